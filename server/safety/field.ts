// Field metrics: the same rates measured on the fleet, per week, from telemetry outcome counts, and
// whether the field agrees with the lab.
import { and, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { telemetrySummaries } from "@/db/schema";
import { proportion, type Proportion } from "./metrics";

const DAY_MS = 86_400_000;
export const FIELD_WEEKS = 8;
/** The weeks pooled for the comparison with the lab: enough counts for a narrow interval, recent enough to matter. */
export const FIELD_POOLED_WEEKS = 4;

export type Agreement = "agrees" | "disagrees" | "unknown";

/** The field disagrees with the lab when their 95% intervals do not overlap; a missing side is unknown. */
export function agreement(lab: Proportion | null | undefined, field: Proportion | null | undefined): Agreement {
  if (!lab || !field) return "unknown";
  return field.hi < lab.lo || field.lo > lab.hi ? "disagrees" : "agrees";
}

/** Monday 00:00 UTC of the week holding `t` (ISO weeks start on Monday). */
export function weekStart(t: Date): string {
  const day = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  const back = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - back * DAY_MS).toISOString().slice(0, 10);
}

export type FieldWeek = { week: string; tp: number; fp: number; fn: number; recall: Proportion | null; precision: Proportion | null };
export type FieldSeries = { modelId: string; version: number; eventType: string; weeks: FieldWeek[]; pooled: FieldWeek | null };

function withRates(week: string, c: { tp: number; fp: number; fn: number }): FieldWeek {
  return { week, ...c, recall: proportion(c.tp, c.tp + c.fn), precision: proportion(c.tp, c.tp + c.fp) };
}

/** Weekly rows into series per model, version and event type, with the last `pooledWeeks` weeks pooled; pure. */
export function fieldSeries(
  rows: { modelId: string; version: number; eventType: string; week: string; tp: number; fp: number; fn: number }[],
  now: Date,
  pooledWeeks = FIELD_POOLED_WEEKS,
): FieldSeries[] {
  const pooledFrom = weekStart(new Date(now.getTime() - (pooledWeeks - 1) * 7 * DAY_MS));
  const by = new Map<string, FieldSeries>();
  for (const r of [...rows].sort((a, b) => a.week.localeCompare(b.week))) {
    const k = `${r.modelId}|${r.version}|${r.eventType}`;
    const s = by.get(k) ?? by.set(k, { modelId: r.modelId, version: r.version, eventType: r.eventType, weeks: [], pooled: null }).get(k)!;
    s.weeks.push(withRates(r.week, r));
  }
  for (const s of by.values()) {
    const recent = s.weeks.filter((w) => w.week >= pooledFrom);
    if (recent.length)
      s.pooled = withRates(`${recent[0].week}…${recent.at(-1)!.week}`, { tp: sum(recent, "tp"), fp: sum(recent, "fp"), fn: sum(recent, "fn") });
  }
  return [...by.values()];
}

function sum(ws: FieldWeek[], f: "tp" | "fp" | "fn") {
  return ws.reduce((a, w) => a + w[f], 0);
}

/** TP/FP/FN per model, version, event type and week from the telemetry summaries that carry outcomes. */
export async function fieldMetrics(db: Db, modelIds: string[], now = new Date()): Promise<FieldSeries[]> {
  if (!modelIds.length) return [];
  const since = new Date(`${weekStart(new Date(now.getTime() - (FIELD_WEEKS - 1) * 7 * DAY_MS))}T00:00:00Z`);
  const o = sql`lateral jsonb_each(${telemetrySummaries.outcomes}) as o(key, value)`;
  const week = sql<string>`to_char(date_trunc('week', ${telemetrySummaries.windowStart} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      modelId: telemetrySummaries.modelId,
      version: telemetrySummaries.version,
      eventType: sql<string>`o.key`,
      week,
      tp: sql<number>`sum((o.value->>'tp')::bigint)`.mapWith(Number),
      fp: sql<number>`sum((o.value->>'fp')::bigint)`.mapWith(Number),
      fn: sql<number>`sum((o.value->>'fn')::bigint)`.mapWith(Number),
    })
    .from(telemetrySummaries)
    .innerJoin(o, sql`true`)
    .where(and(inArray(telemetrySummaries.modelId, modelIds), gte(telemetrySummaries.windowStart, since), sql`${telemetrySummaries.outcomes} is not null`))
    .groupBy(telemetrySummaries.modelId, telemetrySummaries.version, sql`o.key`, week);
  return fieldSeries(rows, now);
}
