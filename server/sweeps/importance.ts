// Parameter importance for a sweep: how much of the objective's variance each parameter's main effect explains.
//
// The method is a first-order functional ANOVA over binned parameters (the "main effect" part of fANOVA, without
// the random forest fANOVA fits first): each parameter's values are grouped into levels (its categories, or up to
// MAX_BINS equal-count bins of a numeric range), and the between-level variance of the objective is compared with
// the total. Plain eta² (SS_between / SS_total) grows with the number of levels even for pure noise, so the score
// is omega², which subtracts what noise alone would explain: (SS_between - (k-1)·MS_within) / (SS_total + MS_within),
// clamped at 0. The function is pure and has no randomness: the same trials give the same answer in any order.

export const IMPORTANCE_METHOD = {
  id: "anova-omega2",
  name: "Main-effect variance share (fANOVA-style, ω² over binned parameters)",
  summary:
    "Each parameter's values are grouped into levels (its categories, or up to 8 equal-count bins of a numeric range); the score is the share of the objective's variance explained by the differences between the levels' means, corrected for what noise alone would explain (ω²). Interactions between parameters are not counted.",
} as const;

export const MAX_BINS = 8;

export type ImportanceTrial = { params: Readonly<Record<string, string>>; value: number };
export type ParamImportance = {
  param: string;
  /** ω²: the fraction (0..1) of the objective's variance this parameter's main effect explains. */
  score: number;
  /** The score as a share of the summed scores of all parameters (0..1); 0 when no parameter explains anything. */
  share: number;
  /** How many levels (categories or bins) the parameter's values were grouped into. */
  levels: number;
};

const MISSING = "\u0000missing";

/** Level index per trial: categories as they are; numbers with more distinct values than MAX_BINS into equal-count bins. */
export function levelsOf(values: readonly (string | undefined)[], maxBins = MAX_BINS): { level: number[]; count: number } {
  const keys = values.map((v) => (v === undefined || v === "" ? MISSING : v));
  const present = keys.filter((k) => k !== MISSING);
  const nums = present.map(Number);
  const numeric = present.length > 0 && nums.every(Number.isFinite);
  const distinct = [...new Set(present)];
  if (!numeric || distinct.length <= maxBins) {
    // Sorted so the level numbering, and so the result, does not depend on the trials' order.
    const order = [...new Set(keys)].sort();
    const index = new Map(order.map((k, i) => [k, i]));
    return { level: keys.map((k) => index.get(k)!), count: order.length };
  }
  // Equal-count bins by rank; equal values share the bin of their first rank, so ties never straddle two bins.
  const sorted = [...nums].sort((a, b) => a - b);
  const firstRank = new Map<number, number>();
  sorted.forEach((v, i) => {
    if (!firstRank.has(v)) firstRank.set(v, i);
  });
  const binOf = (v: number) => Math.min(maxBins - 1, Math.floor((firstRank.get(v)! * maxBins) / sorted.length));
  const used = [...new Set(sorted.map(binOf))].sort((a, b) => a - b);
  const renumber = new Map(used.map((b, i) => [b, i]));
  const missingLevel = used.length;
  const hasMissing = keys.some((k) => k === MISSING);
  return {
    level: keys.map((k) => (k === MISSING ? missingLevel : renumber.get(binOf(Number(k)))!)),
    count: used.length + (hasMissing ? 1 : 0),
  };
}

/** ω² of one grouping of the values (0 when there is nothing to explain or too few trials per level). */
export function omegaSquared(values: readonly number[], level: readonly number[], levels: number): number {
  const n = values.length;
  if (n < 3 || levels < 2 || n - levels < 1) return 0;
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const sum = new Array<number>(levels).fill(0);
  const cnt = new Array<number>(levels).fill(0);
  values.forEach((v, i) => {
    sum[level[i]] += v;
    cnt[level[i]] += 1;
  });
  let sst = 0;
  for (const v of values) sst += (v - mean) ** 2;
  if (!(sst > 0)) return 0;
  let ssb = 0;
  for (let j = 0; j < levels; j++) if (cnt[j]) ssb += cnt[j] * (sum[j] / cnt[j] - mean) ** 2;
  const k = cnt.filter((c) => c > 0).length;
  if (k < 2) return 0;
  const msw = Math.max(0, sst - ssb) / (n - k);
  return Math.max(0, Math.min(1, (ssb - (k - 1) * msw) / (sst + msw)));
}

/** Importance of each parameter, most important first (ties by name). Trials with a non-finite objective are ignored. */
export function paramImportance(trials: readonly ImportanceTrial[], paramKeys: readonly string[], maxBins = MAX_BINS): ParamImportance[] {
  const usable = trials.filter((t) => Number.isFinite(t.value));
  const values = usable.map((t) => t.value);
  const scored = paramKeys.map((param) => {
    const { level, count } = levelsOf(
      usable.map((t) => t.params[param]),
      maxBins,
    );
    return { param, score: omegaSquared(values, level, count), levels: count };
  });
  const total = scored.reduce((a, s) => a + s.score, 0);
  return scored
    .map((s) => ({ ...s, share: total > 0 ? s.score / total : 0 }))
    .sort((a, b) => b.score - a.score || (a.param < b.param ? -1 : a.param > b.param ? 1 : 0));
}
