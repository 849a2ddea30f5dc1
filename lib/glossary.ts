// Plain-language meanings of the statistical and operational terms the portal's pages use. One sentence each: the
// pages show it on hover and on keyboard focus, and /glossary lists them all with anchors that can be shared.

export type GlossaryTerm = { term: string; meaning: string };

export const GLOSSARY = {
  recall: { term: "Recall", meaning: "Of the real events in the evaluation frames, the share the model caught; 93% recall means it missed 7 in 100." },
  precision: {
    term: "Precision",
    meaning: "Of the alerts the model raised, the share that were real events; 88% precision means 12 in 100 alerts were false.",
  },
  interval: {
    term: "95% interval",
    meaning:
      "The range the true rate lies in with 95% confidence, given how many examples were counted; fewer examples give a wider range (computed with Wilson's method).",
  },
  regressed: {
    term: "Regressed",
    meaning:
      "The candidate is worse than production by more than chance explains: the whole 95% range of the difference is below zero (Newcombe's method), not just the single number.",
  },
  falseAlerts: {
    term: "False alerts per 1,000 driving hours",
    meaning: "How often drivers would hear an alert for nothing, counted over 1,000 hours of driving on the evaluation set.",
  },
  fieldVsLab: {
    term: "Field and lab disagree",
    meaning:
      "The rate the fleet reports from real driving and the rate measured on the evaluation frames have 95% ranges that do not overlap, so the lab set may not look like the road.",
  },
  points: { term: "Percentage points (pt)", meaning: "The plain difference between two percentages: 90% against 93% is 3 points lower (not 3% lower)." },
  slice: { term: "Slice", meaning: "A part of the evaluation data with one condition in common, such as night, rain or a camera model, measured on its own." },
  signOff: {
    term: "Safety sign-off",
    meaning: "A safety reviewer's recorded decision that a version's safety numbers are acceptable for release, with the numbers they saw frozen.",
  },
  fourEyes: {
    term: "Four-eyes approval",
    meaning: "A second admin approves a deployment change to a protected environment; it is about the change, not about the model's safety.",
  },
  canary: { term: "Canary", meaning: "A new version sent to a small share of devices or traffic first, so a problem shows before everyone gets it." },
  drift: {
    term: "Drift (PSI)",
    meaning:
      "How far the data the model sees now has moved from what it saw in training, as a population stability index: under 0.1 is stable, above 0.25 is a large shift.",
  },
  burnRate: {
    term: "Burn rate",
    meaning:
      "How fast the error budget is being used: a rate of 1 spends exactly the budget over the SLO window, 14 spends a month's budget in about two days.",
  },
  errorBudget: {
    term: "Error budget",
    meaning: "The failures an SLO allows over its window (for 99.9% over 30 days, about 43 minutes of errors); alerts fire when it is spent too fast.",
  },
  backtest: {
    term: "Backtest error",
    meaning: "How far a forecast method was off when it predicted months that are already known, as a typical percentage miss.",
  },
  p95: { term: "p95 latency", meaning: "The time within which 95 of 100 requests finish; the slowest 5 take longer." },
} satisfies Record<string, GlossaryTerm>;

export type GlossaryKey = keyof typeof GLOSSARY;
