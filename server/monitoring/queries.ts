// Monitoring lookups shared by creation, evaluation and the pages: production
// versions, a distribution column of the summaries, and a monitor's series in the terms links use.
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { driftMonitors, modelAliases, modelVersions, slos, telemetrySummaries, type FeatureSummary } from "@/db/schema";
import type { DriftSeries } from "./evidence";

export type MonitorRow = typeof driftMonitors.$inferSelect;
export type SloRow = typeof slos.$inferSelect;

/** Versions behind the production alias, by model. */
export async function productionVersions(db: Db, modelIds?: string[]) {
  const rows = await db
    .select({ modelId: modelAliases.modelId, version: modelVersions.number })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.alias, "production"), modelIds ? inArray(modelAliases.modelId, modelIds) : undefined));
  return new Map(rows.map((r) => [r.modelId, r.version]));
}

export function distributionColumn(source: string, name: string) {
  return source === "prediction"
    ? sql<FeatureSummary | null>`${telemetrySummaries.predictions} -> ${name}`
    : sql<FeatureSummary | null>`${telemetrySummaries.features} -> ${name}`;
}

/** The series a monitor watches, in the terms alerts and links use. */
export function monitorSeries(m: MonitorRow, slug: string): DriftSeries {
  return {
    model: slug,
    version: m.version,
    cohort: m.cohort,
    slice: m.slice,
    source: m.source === "prediction" ? "prediction" : "feature",
    feature: m.name,
    windowMinutes: m.windowMinutes,
  };
}

/** Summaries of one model version in [from, to), within a cohort and a slice when they are given. */
export function summariesOf(q: { modelId: string; version: number; from: Date; to: Date; cohort?: string | null; slice?: Record<string, string> }) {
  return and(
    eq(telemetrySummaries.modelId, q.modelId),
    eq(telemetrySummaries.version, q.version),
    gte(telemetrySummaries.windowStart, q.from),
    lt(telemetrySummaries.windowStart, q.to),
    q.cohort ? eq(telemetrySummaries.cohort, q.cohort) : undefined,
    q.slice && Object.keys(q.slice).length ? sql`${telemetrySummaries.slice} @> ${JSON.stringify(q.slice)}::jsonb` : undefined,
  );
}
