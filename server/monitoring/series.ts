// Time ranges, step choice and downsampling for monitoring charts: shaping happens here, not in components.
export const RANGE_PRESETS = { "1h": 3600_000, "6h": 6 * 3600_000, "24h": 24 * 3600_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const MAX_POINTS = 300;

const NICE_STEPS = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3600_000, 2 * 3600_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000, 86_400_000];

/** The smallest nice step (at least `minStepMs`) that keeps the range under `maxPoints` points. */
export function chooseStep(rangeMs: number, maxPoints = MAX_POINTS, minStepMs = 5 * 60_000): number {
  for (const s of NICE_STEPS) if (s >= minStepMs && rangeMs / s <= maxPoints) return s;
  return Math.ceil(rangeMs / maxPoints / 86_400_000) * 86_400_000;
}

/** Start and end of a preset range ending at `to` (default now), end rounded up to the step so deep links are stable. */
export function resolveRange(preset: RangePreset, to?: Date, now = new Date()): { from: Date; to: Date; stepMs: number } {
  const ms = RANGE_PRESETS[preset];
  const stepMs = chooseStep(ms);
  const end = Math.ceil((to ?? now).getTime() / stepMs) * stepMs;
  return { from: new Date(end - ms), to: new Date(end), stepMs };
}

/**
 * Downsamples points into at most `maxPoints` buckets keeping each bucket's extreme (max of `value`),
 * so a spike survives downsampling; keys other than t/value come from the extreme point.
 */
export function downsampleMax<T extends { t: number; value: number }>(points: readonly T[], maxPoints = MAX_POINTS): T[] {
  if (points.length <= maxPoints) return [...points];
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const t0 = sorted[0].t;
  const span = sorted[sorted.length - 1].t - t0 || 1;
  const buckets = new Map<number, T>();
  for (const p of sorted) {
    const b = Math.min(maxPoints - 1, Math.floor(((p.t - t0) / span) * maxPoints));
    const cur = buckets.get(b);
    if (!cur || p.value > cur.value) buckets.set(b, p);
  }
  return [...buckets.values()].sort((a, b) => a.t - b.t);
}

/** Reference and current histograms as chart rows, both as shares so windows of different sizes overlay. */
export function overlayRows(
  labels: readonly string[],
  reference: readonly number[],
  current: readonly number[],
): { label: string; reference: number; current: number }[] {
  const rs = reference.reduce((a, b) => a + b, 0) || 1;
  const cs = current.reduce((a, b) => a + b, 0) || 1;
  return labels.map((label, i) => ({ label, reference: reference[i] / rs, current: current[i] / cs }));
}

/**
 * Breaks a line where evaluations are missing (a night-only slice has none by day): a null point after each gap
 * longer than twice the usual spacing, so the chart does not draw a trend across hours without data.
 */
export function withGaps<T extends { t: number }>(points: readonly T[], minStepMs: number, gap: (t: number) => T): T[] {
  if (points.length < 2) return [...points];
  let spacing = Infinity;
  for (let i = 1; i < points.length; i++) spacing = Math.min(spacing, points[i].t - points[i - 1].t);
  const limit = 2 * Math.max(minStepMs, spacing);
  const out: T[] = [points[0]];
  for (let i = 1; i < points.length; i++) {
    if (points[i].t - points[i - 1].t > limit) out.push(gap(points[i - 1].t + Math.max(minStepMs, spacing)));
    out.push(points[i]);
  }
  return out;
}

/** The start of the step-long slot holding `t` (epoch milliseconds). */
export function alignDown(t: number, step: number): number {
  return Math.floor(t / step) * step;
}
