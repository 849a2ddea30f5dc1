// Drift statistics other than KS, matching scipy: chi-square goodness of fit (scipy.stats.chisquare),
// Wasserstein-1 distance (scipy.stats.wasserstein_distance), Jensen-Shannon distance
// (scipy.spatial.distance.jensenshannon), and the population stability index.
import { chi2Sf } from "./special";

export type TestResult = { statistic: number; pValue: number | null };

/** Pearson's chi-square of observed against expected counts (sums must agree), k-1 degrees of freedom. */
export function chiSquare(observed: readonly number[], expected: readonly number[]): TestResult {
  if (observed.length !== expected.length || observed.length < 1) throw new Error("chiSquare needs equally long, non-empty arrays");
  const so = observed.reduce((a, b) => a + b, 0);
  const se = expected.reduce((a, b) => a + b, 0);
  if (Math.abs(so - se) > 1e-8 * Math.max(so, se)) throw new Error(`observed and expected sums differ (${so} vs ${se})`);
  let stat = 0;
  for (let i = 0; i < observed.length; i++) stat += (observed[i] - expected[i]) ** 2 / expected[i];
  return { statistic: stat, pValue: chi2Sf(stat, observed.length - 1) };
}

/**
 * Wasserstein-1 distance between two weighted 1-D distributions (weights default to 1), as
 * scipy's _cdf_distance(p=1): the integral of |U(x) - V(x)| over x.
 */
export function wasserstein(u: readonly number[], v: readonly number[], uw?: readonly number[], vw?: readonly number[]): number {
  if (!u.length || !v.length) throw new Error("wasserstein needs two non-empty distributions");
  const order = (vals: readonly number[]) => vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b] || a - b);
  const uo = order(u);
  const vo = order(v);
  const us = uo.map((i) => u[i]);
  const vs = vo.map((i) => v[i]);
  const cum = (o: number[], w?: readonly number[]) => {
    const c = new Float64Array(o.length + 1);
    for (let i = 0; i < o.length; i++) c[i + 1] = c[i] + (w ? w[o[i]] : 1);
    return c;
  };
  const uc = cum(uo, uw);
  const vc = cum(vo, vw);
  const all = [...u, ...v].sort((a, b) => a - b);
  let total = 0;
  let iu = 0;
  let iv = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k];
    // searchsorted(side="right"): count of sorted values <= x (x only grows, so the cursors only move forward).
    while (iu < us.length && us[iu] <= x) iu++;
    while (iv < vs.length && vs[iv] <= x) iv++;
    const ucdf = uc[iu] / uc[us.length];
    const vcdf = vc[iv] / vc[vs.length];
    total += Math.abs(ucdf - vcdf) * (all[k + 1] - x);
  }
  return total;
}

function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** Jensen-Shannon distance (the square root of the divergence), in bits by default. */
export function jensenShannon(p: readonly number[], q: readonly number[], base = 2): number {
  if (p.length !== q.length) throw new Error("jensenShannon needs equally long arrays");
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    left += relEntr(pi, m);
    right += relEntr(qi, m);
  }
  const js = (left + right) / Math.log(base);
  return Math.sqrt(js / 2);
}

/** Share given to an empty bin so PSI and chi-square expectations never divide by zero (Evidently's choice). */
export const EMPTY_BIN_EPSILON = 1e-4;

/** Shares of each bin, empty bins raised to the epsilon. */
export function sharesWithEpsilon(counts: readonly number[], eps = EMPTY_BIN_EPSILON): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 && c > 0 ? c / total : eps));
}

/** Population stability index of current against reference bin counts: Σ (r - c) ln(r / c) over bin shares. */
export function psi(reference: readonly number[], current: readonly number[], eps = EMPTY_BIN_EPSILON): number {
  if (reference.length !== current.length) throw new Error("psi needs equally long arrays");
  const r = sharesWithEpsilon(reference, eps);
  const c = sharesWithEpsilon(current, eps);
  let s = 0;
  for (let i = 0; i < r.length; i++) s += (r[i] - c[i]) * Math.log(r[i] / c[i]);
  return s;
}

/** Population standard deviation of weighted values (numpy.std, ddof 0). */
export function weightedStd(values: readonly number[], weights?: readonly number[]): number {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? weights[i] : 1;
    sw += w;
    s += w * values[i];
  }
  const mean = s / sw;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (weights ? weights[i] : 1) * (values[i] - mean) ** 2;
  return Math.sqrt(ss / sw);
}
