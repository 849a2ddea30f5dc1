// Display helpers for safety numbers: percentages, intervals, deltas in points, slice names.
import { SLICE_DIMENSIONS, eventTypeLabel } from "@/server/safety/schemas";

export { eventTypeLabel };

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? "—" : `${(v * 100).toFixed(digits)}%`;
}

/** "[82.6, 94.5]" in percent. */
export function interval(i: { lo: number; hi: number } | null | undefined, digits = 1): string {
  return i ? `[${(i.lo * 100).toFixed(digits)}, ${(i.hi * 100).toFixed(digits)}]` : "";
}

/** A difference of proportions in percentage points, signed: "−3.0 pt". */
export function points(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return "—";
  const s = (v * 100).toFixed(digits);
  return `${v > 0 ? "+" : v < 0 ? "−" : "±"}${s.replace("-", "")} pt`;
}

export function sliceLabel(dimension: string, value: string): string {
  if (dimension === "all") return "All data";
  const dim = dimension in SLICE_DIMENSIONS ? SLICE_DIMENSIONS[dimension as keyof typeof SLICE_DIMENSIONS] : dimension;
  return `${dim}: ${value}`;
}

export function perThousandHours(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : `${v.toFixed(2)} per 1,000 h`;
}

/** Points for the trend chart: rates in percent, one per evaluated version. */
export function prepareTrend(points: { version: number; recall: number | null; precision: number | null; production: boolean }[]) {
  return [...points]
    .sort((a, b) => a.version - b.version)
    .map((p) => ({
      label: `v${p.version}${p.production ? " (prod)" : ""}`,
      recall: p.recall === null ? null : Math.round(p.recall * 1000) / 10,
      precision: p.precision === null ? null : Math.round(p.precision * 1000) / 10,
    }));
}
