// Rates from confusion counts and their 95% intervals: the single place safety numbers are computed.

/** The normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export type Interval = { lo: number; hi: number };
export type Proportion = { value: number; lo: number; hi: number; successes: number; n: number };
export type Counts = { tp: number; fp: number; fn: number; tn: number | null; drivingHours: number | null };

/**
 * Wilson score interval for a proportion (Wilson 1927): unlike the Wald interval it stays inside
 * [0, 1] and is honest at small n and at p near 0 or 1.
 */
export function wilson(successes: number, n: number, z = Z95): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || n < 0 || successes < 0 || successes > n) {
    throw new RangeError(`wilson(${successes}, ${n}): need integers 0 <= successes <= n`);
  }
  if (n === 0) return { lo: 0, hi: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp rounding noise at the ends (p = 0 gives lo = 1e-17 and so on).
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** A proportion with its Wilson interval, or null when there is nothing to divide by. */
export function proportion(successes: number, n: number): Proportion | null {
  if (n === 0) return null;
  return { value: successes / n, ...wilson(successes, n), successes, n };
}

export type Rates = {
  precision: Proportion | null;
  recall: Proportion | null;
  /** F1 has no simple interval; shown as a point value. */
  f1: number | null;
  /** False alerts per 1,000 driving hours, when hours are known. */
  falseAlertsPer1kHours: number | null;
  specificity: Proportion | null;
};

export function rates(c: Counts): Rates {
  const f1Denom = 2 * c.tp + c.fp + c.fn;
  return {
    precision: proportion(c.tp, c.tp + c.fp),
    recall: proportion(c.tp, c.tp + c.fn),
    f1: f1Denom === 0 ? null : (2 * c.tp) / f1Denom,
    falseAlertsPer1kHours: c.drivingHours && c.drivingHours > 0 ? (c.fp / c.drivingHours) * 1000 : null,
    specificity: c.tn === null ? null : proportion(c.tn, c.tn + c.fp),
  };
}

/**
 * Newcombe's hybrid score interval (method 10, 1998) for the difference of two proportions
 * a - b, built from each side's Wilson interval. Candidate and production are scored on the same
 * dataset, so the samples are paired; treating them as independent makes the interval wider, which
 * errs on the side of not crying regression.
 */
export function differenceInterval(a: Proportion, b: Proportion): Interval & { delta: number } {
  const delta = a.value - b.value;
  return {
    delta,
    lo: delta - Math.sqrt((a.value - a.lo) ** 2 + (b.hi - b.value) ** 2),
    hi: delta + Math.sqrt((a.hi - a.value) ** 2 + (b.value - b.lo) ** 2),
  };
}

export type Verdict = "regressed" | "improved" | "unchanged" | "unknown";

/**
 * The regression rule: a candidate has regressed on a rate only when the whole 95% interval of
 * (candidate - production) lies below zero, i.e. the data rule out "no worse". Overlap with zero
 * is "unchanged" however large the point delta looks; a missing side is "unknown".
 */
export function verdict(candidate: Proportion | null, production: Proportion | null): { verdict: Verdict; delta: (Interval & { delta: number }) | null } {
  if (!candidate || !production) return { verdict: "unknown", delta: null };
  const d = differenceInterval(candidate, production);
  return { verdict: d.hi < 0 ? "regressed" : d.lo > 0 ? "improved" : "unchanged", delta: d };
}

export type CurvePoint = { threshold: number; recall: number; precision: number };

/**
 * Precision-recall points of a threshold sweep, in sweep order (recall falls as the threshold
 * rises). A threshold with no detections has no precision and is left out rather than drawn at 0 or 1.
 */
export function prCurve(points: readonly { threshold: number; tp: number; fp: number; fn: number }[]): CurvePoint[] {
  return points.flatMap((p) =>
    p.tp + p.fp === 0 || p.tp + p.fn === 0 ? [] : [{ threshold: p.threshold, recall: p.tp / (p.tp + p.fn), precision: p.tp / (p.tp + p.fp) }],
  );
}

/** Per class of a confusion matrix (rows true, columns predicted): recall over its row, precision over its column. */
export function confusionRates(labels: readonly string[], matrix: readonly (readonly number[])[]) {
  const total = matrix.reduce((a, row) => a + row.reduce((b, c) => b + c, 0), 0);
  const correct = labels.reduce((a, _, i) => a + (matrix[i]?.[i] ?? 0), 0);
  return {
    total,
    accuracy: proportion(correct, total),
    classes: labels.map((label, i) => {
      const row = matrix[i].reduce((a, c) => a + c, 0);
      const col = matrix.reduce((a, r) => a + r[i], 0);
      return { label, support: row, recall: proportion(matrix[i][i], row), precision: proportion(matrix[i][i], col) };
    }),
  };
}
