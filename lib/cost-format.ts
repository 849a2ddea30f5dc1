// Display helpers for cost: money from integer micro-dollars, and chart shaping.
import { RESOURCE_KIND_LABELS, RESOURCE_KINDS } from "@/server/cost/schemas";

export { RESOURCE_KIND_LABELS };

export function money(micros: number | null | undefined, digits = 2): string {
  if (micros === null || micros === undefined) return "—";
  const sign = micros < 0 ? "-" : "";
  return `${sign}$${new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Math.abs(micros) / 1_000_000)}`;
}

/** Percent of budget as an integer, from integers (no float sums). */
export function percentOf(micros: number, budgetMicros: number | null): number | null {
  return budgetMicros ? Math.round((micros * 100) / budgetMicros) : null;
}

export type KindDatum = { day: string } & Partial<Record<(typeof RESOURCE_KINDS)[number], number>>;

/** One bar per day, stacked by resource kind, in dollars (rounded to cents for display only). */
export function prepareDailyByKind(
  rows: { day: string; kind: string; micros: number }[],
  days: string[],
): { data: KindDatum[]; kinds: (typeof RESOURCE_KINDS)[number][] } {
  const present = RESOURCE_KINDS.filter((k) => rows.some((r) => r.kind === k));
  const byDay = new Map<string, KindDatum>(days.map((d) => [d, { day: d }]));
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (d && (RESOURCE_KINDS as readonly string[]).includes(r.kind)) d[r.kind as (typeof RESOURCE_KINDS)[number]] = Math.round(r.micros / 10_000) / 100;
  }
  return { data: [...byDay.values()], kinds: present };
}

/** "2026-12" → "December 2026". */
export function monthInWords(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
}

/** "2026-12-04" → "4 December". */
export function dayInWords(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });
}
