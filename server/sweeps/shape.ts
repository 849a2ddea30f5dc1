// Pure shaping of a sweep's trials for the page: the best-so-far curve, the top-k, and parallel-coordinates lines
// thinned to what an SVG draws without lag. The service feeds these; the components only draw.

export type Direction = "min" | "max";
export type Trial = {
  runId: string;
  runName: string;
  status: "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
  startTime: number;
  params: Record<string, string>;
  value: number | null;
};

/** True when a is a better objective value than b in this direction. */
export const better = (dir: Direction, a: number, b: number) => (dir === "min" ? a < b : a > b);

/** Direction a metric is usually optimised in, from its name: losses and errors go down, the rest up. */
export function defaultDirection(metricKey: string): Direction {
  return /(^|[_./-])(loss|error|err|mae|mse|rmse|wer|cer|latency|time|duration|perplexity|nll)([_./-]|$)/i.test(metricKey) ? "min" : "max";
}

export type BestPoint = { trial: number; value: number | null; best: number };

/**
 * The best value seen after each trial (trials in start order, numbered from 1). Trials without a finite objective
 * keep the best so far and carry value null. At most `maxPoints` are returned: every trial that improved the best is
 * kept (the curve's steps), the others are thinned evenly, so a 2,000-trial sweep still draws as a few hundred dots.
 */
export function bestSoFar(trials: readonly Trial[], dir: Direction, maxPoints = 400): BestPoint[] {
  const all: (BestPoint & { improved: boolean })[] = [];
  let best: number | null = null;
  trials.forEach((t, i) => {
    const v = t.value !== null && Number.isFinite(t.value) ? t.value : null;
    const improved = v !== null && (best === null || better(dir, v, best));
    if (improved) best = v;
    if (best !== null) all.push({ trial: i + 1, value: v, best, improved });
  });
  if (all.length <= maxPoints) return all.map(({ improved: _, ...p }) => p);
  const keepEvery = Math.ceil(all.length / Math.max(1, maxPoints - all.filter((p) => p.improved).length));
  return all.filter((p, i) => p.improved || i % keepEvery === 0 || i === all.length - 1).map(({ improved: _, ...p }) => p);
}

/** Trials with a finite objective, best first (ties by start order, which `trials` already is). */
export function ranked(trials: readonly Trial[], dir: Direction): Trial[] {
  return trials
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.value !== null && Number.isFinite(t.value))
    .sort((a, b) => (a.t.value === b.t.value ? a.i - b.i : better(dir, a.t.value!, b.t.value!) ? -1 : 1))
    .map(({ t }) => t);
}

export type ParallelAxis = { key: string; label: string; kind: "numeric" | "log" | "categorical"; ticks: { label: string; at: number }[] };
/** positions in 0..1 (0 = bottom), one per axis (params, then the objective); `t` 0 = worst drawn, 1 = best. */
export type ParallelTrial = { runId: string; runName: string; positions: (number | null)[]; value: number; t: number };

const tickLabel = (v: number) => (v === 0 ? "0" : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3))));

function axisFor(key: string, label: string, values: (string | number | undefined)[], allowLog = true) {
  const present = values.filter((v): v is string | number => v !== undefined && v !== "");
  const nums = present.map(Number);
  if (present.length && nums.every(Number.isFinite)) {
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    // Learning rates and weight decays span decades: a log axis spreads them out instead of piling them at 0.
    // Three decades or more: a dropout of 0.003 to 0.5 stays linear.
    const log = allowLog && min > 0 && max / min >= 1000;
    const f = log ? Math.log10 : (x: number) => x;
    const lo = f(min);
    const hi = f(max);
    const at = (v: number) => (hi === lo ? 0.5 : (f(v) - lo) / (hi - lo));
    const tickValues = hi === lo ? [min] : log ? [min, 10 ** ((lo + hi) / 2), max] : [min, (min + max) / 2, max];
    const axis: ParallelAxis = { key, label, kind: log ? "log" : "numeric", ticks: tickValues.map((v) => ({ label: tickLabel(v), at: at(v) })) };
    return { axis, position: (v: string | number | undefined) => (v === undefined || v === "" || !Number.isFinite(Number(v)) ? null : at(Number(v))) };
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const at = (i: number) => (categories.length === 1 ? 0.5 : i / (categories.length - 1));
  const axis: ParallelAxis = { key, label, kind: "categorical", ticks: categories.map((c, i) => ({ label: c, at: at(i) })) };
  return {
    axis,
    position: (v: string | number | undefined) => (v === undefined ? null : categories.indexOf(String(v)) < 0 ? null : at(categories.indexOf(String(v)))),
  };
}

/**
 * Parallel-coordinates data: one axis per parameter, the objective last; one line per trial, at most `maxLines`.
 * With more trials, the best `keepBest` are always drawn (they are what a reader looks for) and the rest are an
 * even sample across the ranking, so the spread of bad trials stays visible. Returns how many were left out.
 */
export function parallelData(rankedTrials: readonly Trial[], paramKeys: readonly string[], objective: string, maxLines = 600, keepBest = 100) {
  const n = rankedTrials.length;
  let chosen: Trial[] = [...rankedTrials];
  if (n > maxLines) {
    const rest = rankedTrials.slice(keepBest);
    const slots = maxLines - keepBest;
    const sample = Array.from({ length: slots }, (_, i) => rest[Math.floor((i * rest.length) / slots)]);
    chosen = [...rankedTrials.slice(0, keepBest), ...sample];
  }
  const shaped = paramKeys.map((k) =>
    axisFor(
      k,
      k,
      chosen.map((t) => t.params[k]),
    ),
  );
  // The objective stays linear: its colour and position are read as "how good", not as orders of magnitude.
  const objectiveAxis = axisFor(
    objective,
    objective,
    chosen.map((t) => t.value ?? undefined),
    false,
  );
  const lines: ParallelTrial[] = chosen.map((t, i) => ({
    runId: t.runId,
    runName: t.runName,
    positions: [...shaped.map((s) => s.position(t.params[s.axis.key])), objectiveAxis.position(t.value ?? undefined)],
    value: t.value!,
    // By rank, not by value: one outlier would otherwise wash every other line into the same colour.
    t: chosen.length === 1 ? 1 : 1 - i / (chosen.length - 1),
  }));
  // Worst first, so the best lines are painted last, on top.
  lines.reverse();
  return { axes: [...shaped.map((s) => s.axis), objectiveAxis.axis], lines, omitted: n - chosen.length };
}
