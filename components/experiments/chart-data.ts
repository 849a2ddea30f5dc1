// Shaping for experiment charts (pure, unit-tested): smoothing, log scale, outlier-robust domains,
// parallel coordinates, scatter, param diffs and the best run per metric. Chart components draw the result.

export type SeriesPoint = { x: number; y: number; min: number; max: number };
export type InputSeries = { runId: string; runName: string; color: string; points: readonly SeriesPoint[] };
export type ChartPoint = { x: number; y: number; band: [number, number] };
export type ChartLine = { runId: string; runName: string; color: string; points: ChartPoint[] };
export type ChartOptions = { smoothing: number; log: boolean; ignoreOutliers: boolean };
export type PreparedChart = { lines: ChartLine[]; yDomain: [number, number] | null; xDomain: [number, number] | null };

import { ema } from "@/lib/series";

export { ema };

/** The q-quantile (0..1) of sorted values, linear between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * A y-range that ignores outliers: Tukey's fences (1.5 IQR beyond the quartiles), clamped to the data.
 * A few spikes then leave the chart's scale to the bulk of the curve (they are still drawn, clipped).
 */
export function robustDomain(values: readonly number[]): [number, number] | null {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length < 4) return null;
  const q1 = quantile(s, 0.25);
  const q3 = quantile(s, 0.75);
  const iqr = q3 - q1;
  const lo = Math.max(s[0], q1 - 1.5 * iqr);
  const hi = Math.min(s[s.length - 1], q3 + 1.5 * iqr);
  if (!(hi > lo)) return null;
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** Lines ready for the chart: log scale drops values ≤ 0 (not drawable), smoothing applies to y only (the band stays raw). */
export function prepareMetricChart(series: readonly InputSeries[], opt: ChartOptions): PreparedChart {
  const lines: ChartLine[] = series.map((s) => {
    const pts = opt.log ? s.points.filter((p) => p.y > 0) : s.points;
    const ys = ema(
      pts.map((p) => p.y),
      opt.smoothing,
    );
    return {
      runId: s.runId,
      runName: s.runName,
      color: s.color,
      points: pts.map((p, i) => ({ x: p.x, y: ys[i], band: [opt.log && p.min <= 0 ? p.y : p.min, p.max] as [number, number] })),
    };
  });
  const all = lines.flatMap((l) => l.points.map((p) => p.y));
  let yDomain: [number, number] | null = null;
  if (opt.ignoreOutliers) {
    yDomain = robustDomain(all);
    if (yDomain && opt.log && yDomain[0] <= 0) yDomain = [Math.min(...all.filter((v) => v > 0)), yDomain[1]];
  }
  const xs = lines.flatMap((l) => (l.points.length ? [l.points[0].x, l.points[l.points.length - 1].x] : []));
  const xDomain: [number, number] | null = xs.length ? [Math.min(...xs), Math.max(...xs)] : null;
  return { lines, yDomain, xDomain };
}

/** How many points each of n runs may ask for, so the chart stays under a total budget (recharts lags from ~8,000). */
export function pointsPerRun(runs: number, budget = 8000): number {
  return Math.max(20, Math.min(1000, Math.floor(budget / Math.max(1, runs))));
}

// ---------------------------------------------------------------- tables of runs (compare)

export type RunSummary = { runId: string; runName: string; params: Record<string, string>; metrics: Record<string, number> };

// Declared directions by metric name (whole words of the key, so `lr` or `epoch` never match). A key that matches
// neither list has no direction: it is shown, never starred as "best" (a learning-rate schedule is not a score).
const HIGHER =
  /(^|[_./-])(acc|accuracy|precision|recall|f1|f1_score|map|map50|map_50|map50_95|ap|ap50|auc|roc_auc|pr_auc|iou|miou|dice|r2|bleu|rouge|top1|top5|reward|tpr|specificity|sensitivity)([_./-]|$)/i;
const LOWER = /(^|[_./-])(loss|error|err|mae|mse|rmse|wer|cer|latency|latency_ms|time|duration|perplexity|ppl|fpr|fnr|eer|nll|brier)([_./-]|$)/i;

/** A metric's declared direction: "higher" (accuracy, mAP, recall) or "lower" (loss, error, latency); null when undeclared. */
export function metricDirection(metricKey: string): "higher" | "lower" | null {
  const key = metricKey.replace(/([a-z])([A-Z])/g, "$1_$2");
  if (LOWER.test(key)) return "lower";
  if (HIGHER.test(key)) return "higher";
  return null;
}

/** The best run per metric among finite values, for metrics with a declared direction only. */
export function bestRunPerMetric(runs: readonly RunSummary[]): Record<string, string> {
  const best: Record<string, { runId: string; value: number }> = {};
  for (const r of runs)
    for (const [k, v] of Object.entries(r.metrics)) {
      const dir = metricDirection(k);
      if (!dir || !Number.isFinite(v)) continue;
      const cur = best[k];
      if (!cur || (dir === "higher" ? v > cur.value : v < cur.value)) best[k] = { runId: r.runId, value: v };
    }
  return Object.fromEntries(Object.entries(best).map(([k, b]) => [k, b.runId]));
}

export type DiffRow = { key: string; values: (string | null)[]; differs: boolean };

/** Params side by side; `differs` when at least two runs disagree (a missing param counts as a value). */
export function paramDiff(runs: readonly RunSummary[], showAll: boolean): DiffRow[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const rows = keys.map((key) => {
    const values = runs.map((r) => r.params[key] ?? null);
    return { key, values, differs: new Set(values).size > 1 };
  });
  return showAll ? rows : rows.filter((r) => r.differs);
}

// ---------------------------------------------------------------- parallel coordinates

export type Axis =
  | { key: string; label: string; kind: "numeric"; min: number; max: number; ticks: { value: number; at: number }[] }
  | { key: string; label: string; kind: "categorical"; categories: string[]; ticks: { label: string; at: number }[] };
export type ParallelLine = { runId: string; runName: string; positions: (number | null)[]; value: number | null; color: string };

const asNumber = (v: string | number | undefined | null): number | null => {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
};

function makeAxis(key: string, label: string, values: (string | number | null)[]): Axis {
  const present = values.filter((v): v is string | number => v !== null);
  const nums = present.map(asNumber);
  if (present.length && nums.every((n) => n !== null)) {
    const ns = nums as number[];
    const min = Math.min(...ns);
    const max = Math.max(...ns);
    const ticks = min === max ? [{ value: min, at: 0.5 }] : [0, 0.5, 1].map((t) => ({ value: min + (max - min) * t, at: t }));
    return { key, label, kind: "numeric", min, max, ticks };
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const at = (i: number) => (categories.length === 1 ? 0.5 : i / (categories.length - 1));
  return { key, label, kind: "categorical", categories, ticks: categories.map((c, i) => ({ label: c, at: at(i) })) };
}

function positionOn(axis: Axis, v: string | number | null): number | null {
  if (v === null) return null;
  if (axis.kind === "numeric") {
    const n = asNumber(v);
    if (n === null) return null;
    return axis.max === axis.min ? 0.5 : (n - axis.min) / (axis.max - axis.min);
  }
  const i = axis.categories.indexOf(String(v));
  return i < 0 ? null : axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1);
}

/** Interpolates from a cool colour (worst) to a warm one (best) so the best runs stand out. */
export function valueColor(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  const lerp = (a: number, b: number) => Math.round(a + (b - a) * c);
  return `rgb(${lerp(59, 234)}, ${lerp(130, 88)}, ${lerp(246, 12)})`;
}

/** Axes (each param, then the metric last) with positions in 0..1 (0 = bottom); lines coloured by the metric. */
export function prepareParallel(runs: readonly RunSummary[], paramKeys: readonly string[], metricKey: string): { axes: Axis[]; lines: ParallelLine[] } {
  const axes = paramKeys.map((k) =>
    makeAxis(
      k,
      k,
      runs.map((r) => r.params[k] ?? null),
    ),
  );
  const metricAxis = makeAxis(
    metricKey,
    metricKey,
    runs.map((r) => asNumber(r.metrics[metricKey])),
  );
  axes.push(metricAxis);
  // Undeclared direction: colour by value, larger warmer, as for "higher".
  const better = metricDirection(metricKey) !== "lower";
  const lines = runs.map((r) => {
    const value = asNumber(r.metrics[metricKey]);
    const positions = [...paramKeys.map((k, i) => positionOn(axes[i], r.params[k] ?? null)), positionOn(metricAxis, value)];
    const t = positions[positions.length - 1];
    return { runId: r.runId, runName: r.runName, positions, value, color: t === null ? "#a1a1aa" : valueColor(better ? t : 1 - t) };
  });
  return { axes, lines };
}

// ---------------------------------------------------------------- scatter

export type ScatterField = { kind: "param" | "metric"; key: string };
export type ScatterPoint = { x: number; y: number; runId: string; runName: string; xLabel: string; yLabel: string };

function fieldValue(r: RunSummary, f: ScatterField): string | number | null {
  return f.kind === "param" ? (r.params[f.key] ?? null) : (asNumber(r.metrics[f.key]) ?? null);
}

/** Points for a scatter of any param or metric against another; categorical params become evenly spaced positions with labels. */
export function prepareScatter(runs: readonly RunSummary[], xf: ScatterField, yf: ScatterField) {
  const xAxis = makeAxis(
    xf.key,
    xf.key,
    runs.map((r) => fieldValue(r, xf)),
  );
  const yAxis = makeAxis(
    yf.key,
    yf.key,
    runs.map((r) => fieldValue(r, yf)),
  );
  const coord = (axis: Axis, v: string | number | null) => (axis.kind === "numeric" ? asNumber(v) : v === null ? null : axis.categories.indexOf(String(v)));
  const points: ScatterPoint[] = [];
  for (const r of runs) {
    const xv = fieldValue(r, xf);
    const yv = fieldValue(r, yf);
    const x = coord(xAxis, xv);
    const y = coord(yAxis, yv);
    if (x === null || y === null) continue;
    points.push({ x, y, runId: r.runId, runName: r.runName, xLabel: String(xv), yLabel: String(yv) });
  }
  const categoriesOf = (a: Axis) => (a.kind === "categorical" ? a.categories : null);
  return { points, xCategories: categoriesOf(xAxis), yCategories: categoriesOf(yAxis) };
}

/** Compact number for tables and ticks: 4 significant digits, exponent for very small or large values. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(3);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

export type XKind = "step" | "relative" | "wall";

/** Tick text for the x-axis: steps as numbers, relative time as a duration, wall time as UTC clock time (with the date when it spans days). */
export function formatX(x: number, kind: XKind, span = 0): string {
  if (kind === "step") return formatValue(x);
  if (kind === "relative") {
    const s = Math.abs(x) / 1000;
    const sign = x < 0 ? "-" : "";
    if (s < 60) return `${sign}${Math.round(s)}s`;
    if (s < 3600) return `${sign}${Math.round(s / 60)}m`;
    if (s < 86_400) return `${sign}${Number((s / 3600).toFixed(1))}h`;
    return `${sign}${Number((s / 86_400).toFixed(1))}d`;
  }
  const iso = new Date(x).toISOString();
  return span > 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** One row per distinct x for a chart that shares an x-axis between few lines (keys y0, y1… and b0, b1… for bands). */
export function mergeLines(lines: readonly ChartLine[]): Record<string, number | [number, number]>[] {
  const rows = new Map<number, Record<string, number | [number, number]>>();
  lines.forEach((l, i) => {
    for (const p of l.points) {
      let row = rows.get(p.x);
      if (!row) rows.set(p.x, (row = { x: p.x }));
      row[`y${i}`] = p.y;
      row[`b${i}`] = p.band;
    }
  });
  return [...rows.values()].sort((a, b) => (a.x as number) - (b.x as number));
}
