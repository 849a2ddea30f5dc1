// SLO maths: error budget and multi-window, multi-burn-rate alerting (Google SRE workbook, ch. 5).
export type Counts = { good: number; total: number };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Page at 14.4x over 1 h (confirmed by 5 m) or 6x over 6 h (30 m); ticket at 1x over 3 days (6 h). */
export const BURN_RULES = [
  { name: "1h/5m", severity: "page", longMs: HOUR, shortMs: 5 * MIN, factor: 14.4 },
  { name: "6h/30m", severity: "page", longMs: 6 * HOUR, shortMs: 30 * MIN, factor: 6 },
  { name: "3d/6h", severity: "ticket", longMs: 3 * DAY, shortMs: 6 * HOUR, factor: 1 },
] as const;
export type BurnRule = (typeof BURN_RULES)[number];

/** How fast the budget burns: the bad share over the allowed bad share. 1 spends the budget exactly over the SLO window. */
export function burnRate(c: Counts, objective: number): number {
  if (c.total <= 0) return 0;
  return (c.total - c.good) / c.total / (1 - objective);
}

export type BudgetStatus = { objective: number; sli: number | null; allowedBad: number; bad: number; remaining: number };

/** Error budget over the SLO window: remaining 1 means untouched, 0 spent, negative overspent. */
export function errorBudget(c: Counts, objective: number): BudgetStatus {
  const bad = c.total - c.good;
  const allowedBad = (1 - objective) * c.total;
  return { objective, sli: c.total > 0 ? c.good / c.total : null, allowedBad, bad, remaining: c.total > 0 ? 1 - bad / allowedBad : 1 };
}

export type BurnEvaluation = { rule: BurnRule; longBurn: number; shortBurn: number; firing: boolean };

/** Every rule against the counts in its two windows; `countsOver(ms)` answers the counts of the last `ms`. */
export function evaluateBurnRules(countsOver: (ms: number) => Counts, objective: number): { rules: BurnEvaluation[]; severity: "page" | "ticket" | null } {
  const rules = BURN_RULES.map((rule) => {
    const longBurn = burnRate(countsOver(rule.longMs), objective);
    const shortBurn = burnRate(countsOver(rule.shortMs), objective);
    // 1 - 0.999 is not exactly 0.001 in binary: compare with a relative tolerance so 6.0x counts as 6x.
    const atLeast = (burn: number) => burn >= rule.factor * (1 - 1e-9);
    return { rule, longBurn, shortBurn, firing: atLeast(longBurn) && atLeast(shortBurn) };
  });
  const severity = rules.some((r) => r.firing && r.rule.severity === "page") ? "page" : rules.some((r) => r.firing) ? "ticket" : null;
  return { rules, severity };
}

export type Slot = { t: number; good: number; total: number };

/** Counts over the last `ms` before `now` from time slots (each slot counted when it starts inside the window). */
export function countsFromSlots(slots: readonly Slot[], now: number, ms: number): Counts {
  let good = 0;
  let total = 0;
  for (const s of slots)
    if (s.t >= now - ms && s.t < now) {
      good += s.good;
      total += s.total;
    }
  return { good, total };
}

/** Budget remaining after each slot, from the start of the SLO window: the burn-down chart. */
export function budgetBurnDown(slots: readonly Slot[], objective: number, windowTotal: number): { t: number; remaining: number }[] {
  // The budget is what the whole window may spend; with traffic still to come, scale by the window's total so far.
  let bad = 0;
  const allowed = (1 - objective) * windowTotal;
  return [...slots]
    .sort((a, b) => a.t - b.t)
    .map((s) => {
      bad += s.total - s.good;
      return { t: s.t, remaining: allowed > 0 ? 1 - bad / allowed : 1 };
    });
}

/**
 * Freshness as an SLI: each slot is good when the newest data seen by its end is at most `maxAgeMs`
 * old. `windowEnds` are the ends of received telemetry windows (ms), any order.
 */
export function freshnessSlots(windowEnds: readonly number[], from: number, to: number, stepMs: number, maxAgeMs: number): Slot[] {
  const ends = [...windowEnds].sort((a, b) => a - b);
  const slots: Slot[] = [];
  let i = 0;
  let newest = -Infinity;
  for (let t = from; t < to; t += stepMs) {
    const slotEnd = t + stepMs;
    while (i < ends.length && ends[i] <= slotEnd) newest = Math.max(newest, ends[i++]);
    slots.push({ t, good: slotEnd - newest <= maxAgeMs ? 1 : 0, total: 1 });
  }
  return slots;
}
