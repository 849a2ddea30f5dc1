// Mergeable histograms: fixed log-spaced latency buckets with percentile estimates, and feature
// histograms/category counts that merge (re-binned when edges differ) before drift tests.
import type { CategoricalSummary, FeatureSummary, NumericSummary } from "@/db/schema";

/**
 * Upper bounds of the latency buckets in milliseconds: 10 per decade from 1 ms to 100 s
 * (1, 1.26, 1.58, ... 100000). One more count follows them for anything slower (overflow).
 * Fixed for every sender so windows merge by adding counts.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = Array.from({ length: 51 }, (_, k) => Number((10 ** (k / 10)).toPrecision(6)));
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** The bucket a latency falls in: the first whose upper bound is >= ms; the overflow bucket past the last bound. */
export function latencyBucket(ms: number): number {
  let lo = 0;
  let hi = LATENCY_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (LATENCY_BOUNDS_MS[mid] >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function latencyHistogram(samplesMs: Iterable<number>): number[] {
  const counts = new Array<number>(LATENCY_BUCKETS).fill(0);
  for (const ms of samplesMs) counts[latencyBucket(ms)]++;
  return counts;
}

export function addCounts(into: number[], add: readonly number[]): number[] {
  for (let i = 0; i < add.length; i++) into[i] = (into[i] ?? 0) + add[i];
  return into;
}

/**
 * The q-quantile (0..1) from merged latency bucket counts. Interpolates geometrically inside a
 * bucket (the buckets are log-spaced) and linearly in the first one (0..1 ms). Past the last
 * bound it answers the last bound: the true value is only known to be larger. Null when empty.
 */
export function latencyQuantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0 && seen + c >= rank) {
      if (i >= LATENCY_BOUNDS_MS.length) return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
      const upper = LATENCY_BOUNDS_MS[i];
      const frac = Math.min(Math.max((rank - seen) / c, 0), 1);
      if (i === 0) return upper * frac;
      const lower = LATENCY_BOUNDS_MS[i - 1];
      return lower * (upper / lower) ** frac;
    }
    seen += c;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

/** Share of requests at or under `thresholdMs`, counting a bucket as good only when its upper bound is. */
export function shareUnder(counts: readonly number[], thresholdMs: number): { good: number; total: number } {
  let good = 0;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i];
    if (i < LATENCY_BOUNDS_MS.length && LATENCY_BOUNDS_MS[i] <= thresholdMs) good += counts[i];
  }
  return { good, total };
}

/** Counts of `values` in bins [e0,e1), [e1,e2), ... [e(k-1), ek]; values outside go to the end bins. */
export function binCounts(values: Iterable<number>, edges: readonly number[]): number[] {
  const k = edges.length - 1;
  const counts = new Array<number>(k).fill(0);
  for (const v of values) {
    let lo = 0;
    let hi = k - 1;
    if (v >= edges[k - 1]) lo = k - 1;
    else if (v < edges[1]) lo = 0;
    else
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (edges[mid] <= v) lo = mid;
        else hi = mid - 1;
      }
    counts[lo]++;
  }
  return counts;
}

export function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Moves counts from one set of bins onto another, assuming values spread evenly inside a source
 * bin; mass outside the target range lands in the end bins. Used only when senders disagree on edges.
 */
export function rebin(fromEdges: readonly number[], counts: readonly number[], toEdges: readonly number[]): number[] {
  if (sameEdges(fromEdges, toEdges)) return [...counts];
  const k = toEdges.length - 1;
  const out = new Array<number>(k).fill(0);
  const lo = toEdges[0];
  const hi = toEdges[k];
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!c) continue;
    const a = fromEdges[i];
    const b = fromEdges[i + 1];
    const width = b - a; // > 0: edges are validated strictly ascending
    if (a < lo) out[0] += (c * (Math.min(b, lo) - a)) / width;
    if (b > hi) out[k - 1] += (c * (b - Math.max(a, hi))) / width;
    for (let j = 0; j < k; j++) {
      const overlap = Math.min(b, toEdges[j + 1]) - Math.max(a, toEdges[j]);
      if (overlap > 0) out[j] += (c * overlap) / width;
    }
  }
  return out;
}

/** Merges summaries of one feature: numeric ones onto the first one's edges (or `edges`), category counts by key. */
export function mergeSummaries(list: readonly FeatureSummary[], edges?: readonly number[]): FeatureSummary | null {
  if (!list.length) return null;
  const first = list[0];
  if (first.kind === "categorical") {
    const counts: Record<string, number> = {};
    for (const s of list) {
      if (s.kind !== "categorical") continue;
      for (const [k, v] of Object.entries(s.counts)) counts[k] = (counts[k] ?? 0) + v;
    }
    return { kind: "categorical", counts } satisfies CategoricalSummary;
  }
  const target = edges ?? first.edges;
  const counts = new Array<number>(target.length - 1).fill(0);
  for (const s of list) if (s.kind === "numeric") addCounts(counts, rebin(s.edges, s.counts, target));
  return { kind: "numeric", edges: [...target], counts } satisfies NumericSummary;
}

export function summaryTotal(s: FeatureSummary): number {
  return s.kind === "numeric" ? s.counts.reduce((a, b) => a + b, 0) : Object.values(s.counts).reduce((a, b) => a + b, 0);
}

/** Evenly spaced edges from lo to hi. */
export function linearEdges(lo: number, hi: number, bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
}
