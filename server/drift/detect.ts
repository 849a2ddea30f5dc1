// Drift verdicts: picks a method like Evidently's defaults (overridable), applies it to histograms
// (what telemetry sends) or raw samples (what a reference upload holds), and decides model drift.
import type { FeatureSummary } from "@/db/schema";
import { rebin, summaryTotal } from "@/server/telemetry/histogram";
import { ks2sampCounts, tally } from "./ks";
import { chiSquare, jensenShannon, psi, sharesWithEpsilon, wasserstein, weightedStd } from "./stats";

export const DRIFT_METHODS = ["ks", "chisquare", "wasserstein", "jensenshannon", "psi"] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];

/** p-value methods drift at p <= threshold; distance methods at statistic >= threshold. */
export const DEFAULT_THRESHOLDS: Record<DriftMethod, number> = { ks: 0.05, chisquare: 0.05, wasserstein: 0.1, jensenshannon: 0.1, psi: 0.25 };
export const PSI_WARNING = 0.1;
/** References with more samples than this use distances: with many samples every test is "significant". */
export const SMALL_REFERENCE = 1000;
/** Floor for the reference standard deviation that normalises Wasserstein (a constant reference). */
export const MIN_NORM_STD = 0.001;
/** A model drifts when at least this share of its monitored features drift. */
export const DEFAULT_DRIFT_SHARE = 0.5;

export const isPValueMethod = (m: DriftMethod) => m === "ks" || m === "chisquare";

export function chooseMethod(kind: "numeric" | "categorical", referenceCount: number): DriftMethod {
  if (kind === "numeric") return referenceCount <= SMALL_REFERENCE ? "ks" : "wasserstein";
  return referenceCount <= SMALL_REFERENCE ? "chisquare" : "jensenshannon";
}

export type DriftResult = {
  method: DriftMethod;
  statistic: number;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  /** PSI alongside the method, over the same bins. */
  psi: number;
  referenceCount: number;
  currentCount: number;
};

export type DriftOptions = { method?: DriftMethod | "auto"; threshold?: number | null };

function verdict(method: DriftMethod, statistic: number, pValue: number | null, threshold: number): boolean {
  return isPValueMethod(method) ? (pValue ?? 1) <= threshold : statistic >= threshold;
}

/** Aligned count vectors for two summaries of one feature: the current one re-binned onto the reference's edges. */
export function alignSummaries(
  reference: FeatureSummary,
  current: FeatureSummary,
): { kind: "numeric" | "categorical"; labels: string[]; centres: number[] | null; ref: number[]; cur: number[] } {
  if (reference.kind === "numeric") {
    if (current.kind !== "numeric") throw new Error("Reference is numeric but the current window is categorical");
    const centres = reference.counts.map((_, i) => (reference.edges[i] + reference.edges[i + 1]) / 2);
    return { kind: "numeric", labels: centres.map(String), centres, ref: [...reference.counts], cur: rebin(current.edges, current.counts, reference.edges) };
  }
  if (current.kind !== "categorical") throw new Error("Reference is categorical but the current window is numeric");
  const labels = [...new Set([...Object.keys(reference.counts), ...Object.keys(current.counts)])].sort();
  return { kind: "categorical", labels, centres: null, ref: labels.map((l) => reference.counts[l] ?? 0), cur: labels.map((l) => current.counts[l] ?? 0) };
}

/** Expected counts for chi-square: reference shares (empty bins raised to epsilon, renormalised) times the current total. */
export function expectedFromReference(ref: readonly number[], currentTotal: number): number[] {
  const shares = sharesWithEpsilon(ref);
  const s = shares.reduce((a, b) => a + b, 0);
  return shares.map((p) => (p / s) * currentTotal);
}

/** Drift of a current histogram or category counts against the reference. */
export function detectDrift(reference: FeatureSummary, current: FeatureSummary, opts: DriftOptions = {}): DriftResult {
  const a = alignSummaries(reference, current);
  const referenceCount = summaryTotal(reference);
  const currentCount = a.cur.reduce((x, y) => x + y, 0);
  if (referenceCount <= 0 || currentCount <= 0) throw new Error("Both the reference and the current window need at least one value");
  const method = !opts.method || opts.method === "auto" ? chooseMethod(a.kind, referenceCount) : opts.method;
  if (a.kind === "categorical" && (method === "ks" || method === "wasserstein")) throw new Error(`${method} needs a numeric feature`);
  const threshold = opts.threshold ?? DEFAULT_THRESHOLDS[method];
  let statistic: number;
  let pValue: number | null = null;
  switch (method) {
    case "ks": {
      // Re-binned counts can be fractional; KS counts values, so round them.
      const r = ks2sampCounts(a.centres!, a.ref.map(Math.round), a.cur.map(Math.round));
      statistic = r.statistic;
      pValue = r.pValue;
      break;
    }
    case "chisquare": {
      const r = chiSquare(a.cur, expectedFromReference(a.ref, currentCount));
      statistic = r.statistic;
      pValue = r.pValue;
      break;
    }
    case "wasserstein":
      statistic = wasserstein(a.centres!, a.centres!, a.ref, a.cur) / Math.max(weightedStd(a.centres!, a.ref), MIN_NORM_STD);
      break;
    case "jensenshannon":
      statistic = jensenShannon(a.ref, a.cur);
      break;
    case "psi":
      statistic = psi(a.ref, a.cur);
      break;
  }
  return { method, statistic, pValue, threshold, drifted: verdict(method, statistic, pValue, threshold), psi: psi(a.ref, a.cur), referenceCount, currentCount };
}

/** Drift between raw samples: numbers (KS and Wasserstein on the values; JS and PSI on 10 bins) or categories. */
export function detectDriftSamples(reference: readonly (number | string)[], current: readonly (number | string)[], opts: DriftOptions = {}): DriftResult {
  if (!reference.length || !current.length) throw new Error("Both samples need at least one value");
  const numeric = reference.every((v) => typeof v === "number") && current.every((v) => typeof v === "number");
  if (!numeric) {
    const counts = (xs: readonly (number | string)[]) => xs.reduce<Record<string, number>>((m, v) => ((m[String(v)] = (m[String(v)] ?? 0) + 1), m), {});
    return detectDrift({ kind: "categorical", counts: counts(reference) }, { kind: "categorical", counts: counts(current) }, opts);
  }
  const ref = reference as number[];
  const cur = current as number[];
  const method = !opts.method || opts.method === "auto" ? chooseMethod("numeric", ref.length) : opts.method;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLDS[method];
  // Ten equal-width bins over both samples, for JS, PSI and chi-square.
  const lo = Math.min(...ref, ...cur);
  const hi = Math.max(...ref, ...cur);
  const edges = lo === hi ? [lo - 0.5, hi + 0.5] : Array.from({ length: 11 }, (_, i) => lo + ((hi - lo) * i) / 10);
  const bin = (xs: number[]) => {
    const c = new Array<number>(edges.length - 1).fill(0);
    for (const x of xs) c[Math.min(c.length - 1, Math.max(0, Math.floor(((x - edges[0]) / (edges[edges.length - 1] - edges[0])) * c.length)))]++;
    return c;
  };
  const [rb, cb] = [bin(ref), bin(cur)];
  let statistic: number;
  let pValue: number | null = null;
  if (method === "ks") {
    const all = tally([...ref, ...cur]).points;
    const at = (xs: number[]) => {
      const t = tally(xs);
      const m = new Map(t.points.map((p, i) => [p, t.counts[i]]));
      return all.map((p) => m.get(p) ?? 0);
    };
    const r = ks2sampCounts(all, at(ref), at(cur));
    statistic = r.statistic;
    pValue = r.pValue;
  } else if (method === "wasserstein") statistic = wasserstein(ref, cur) / Math.max(weightedStd(ref), MIN_NORM_STD);
  else if (method === "jensenshannon") statistic = jensenShannon(rb, cb);
  else if (method === "psi") statistic = psi(rb, cb);
  else {
    const r = chiSquare(cb, expectedFromReference(rb, cur.length));
    statistic = r.statistic;
    pValue = r.pValue;
  }
  return {
    method,
    statistic,
    pValue,
    threshold,
    drifted: verdict(method, statistic, pValue, threshold),
    psi: psi(rb, cb),
    referenceCount: ref.length,
    currentCount: cur.length,
  };
}

/** PSI band: below 0.1 stable, 0.1 to 0.25 a warning, above an alert. */
export function psiBand(value: number): "stable" | "warning" | "alert" {
  return value >= DEFAULT_THRESHOLDS.psi ? "alert" : value >= PSI_WARNING ? "warning" : "stable";
}

/** The model drifts when at least `share` of its monitored features drift. */
export function modelDrift(drifted: readonly boolean[], share = DEFAULT_DRIFT_SHARE): { drifted: boolean; driftedCount: number; total: number; share: number } {
  const driftedCount = drifted.filter(Boolean).length;
  const total = drifted.length;
  const s = total ? driftedCount / total : 0;
  return { drifted: total > 0 && s >= share, driftedCount, total, share: s };
}
