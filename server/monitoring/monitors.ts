// Creating drift monitors (with their frozen reference distribution) and SLOs, each in one
// transaction with its audit row.
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { driftMonitors, modelVersions, slos, telemetrySummaries, type FeatureSummary } from "@/db/schema";
import { modelBySlug } from "@/server/registry/lookup";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Invalid, NotFound } from "@/server/errors";
import { mergeSummaries, summaryTotal } from "@/server/telemetry/histogram";
import { seriesName } from "./evidence";
import { distributionColumn, summariesOf } from "./queries";
import { ZCreateMonitor, ZCreateSlo } from "./schemas";

/** One feature's (or prediction's) distribution merged over a time window. */
export async function mergedDistribution(
  db: Db,
  q: {
    modelId: string;
    version: number;
    source: string;
    name: string;
    from: Date;
    to: Date;
    cohort?: string | null;
    slice?: Record<string, string>;
    edges?: number[];
  },
) {
  const rows = await db
    .select({ dist: distributionColumn(q.source, q.name) })
    .from(telemetrySummaries)
    .where(summariesOf(q));
  return mergeSummaries(
    rows.map((r) => r.dist).filter((d): d is FeatureSummary => d !== null),
    q.edges,
  );
}

export async function createMonitor(db: Db, actor: Actor, input: unknown) {
  const m = ZCreateMonitor.parse(input);
  const model = await modelBySlug(db, m.model);
  const [v] = await db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, m.version)));
  if (!v) throw new NotFound(`Version ${m.version} of ${m.model}`);
  const reference = await mergedDistribution(db, {
    modelId: model.id,
    version: m.version,
    source: m.source,
    name: m.name,
    from: m.referenceFrom,
    to: m.referenceTo,
    cohort: m.cohort,
    slice: m.slice,
  });
  if (!reference || summaryTotal(reference) <= 0)
    throw new Invalid(
      `No telemetry for ${m.source} ${m.name} of ${seriesName({ model: m.model, version: m.version, cohort: m.cohort ?? null, slice: m.slice })} between ${m.referenceFrom.toISOString()} and ${m.referenceTo.toISOString()}; pick a reference window with data`,
    );
  if (reference.kind === "categorical" && (m.method === "ks" || m.method === "wasserstein"))
    throw new Invalid(`${m.method} needs a numeric feature; ${m.name} is categorical`);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(driftMonitors)
      .values({
        modelId: model.id,
        version: m.version,
        source: m.source,
        name: m.name,
        method: m.method,
        threshold: m.threshold ?? null,
        windowMinutes: m.windowMinutes,
        cohort: m.cohort ?? null,
        slice: m.slice,
        severity: m.severity,
        referenceFrom: m.referenceFrom,
        referenceTo: m.referenceTo,
        reference,
        referenceCount: Math.round(summaryTotal(reference)),
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!row)
      throw new Conflict(
        `A monitor for ${m.source} ${m.name} of ${seriesName({ model: m.model, version: m.version, cohort: m.cohort ?? null, slice: m.slice })} already exists`,
      );
    const { reference: _r, ...audited } = row;
    await writeAudit(tx, actor, { action: "monitor.create", entityType: "drift_monitor", entityId: row.id, after: { ...audited, model: m.model } });
    return row;
  });
}

export async function createSlo(db: Db, actor: Actor, input: unknown) {
  const s = ZCreateSlo.parse(input);
  if (s.kind === "latency" && !s.latencyThresholdMs) throw new Invalid("A latency SLO needs latencyThresholdMs");
  if (s.kind === "freshness" && !s.maxAgeMinutes) throw new Invalid("A freshness SLO needs maxAgeMinutes");
  const model = await modelBySlug(db, s.model);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(slos)
      .values({
        modelId: model.id,
        target: s.target,
        kind: s.kind,
        objective: s.objective,
        windowDays: s.windowDays,
        latencyThresholdMs: s.latencyThresholdMs ?? null,
        maxAgeMinutes: s.maxAgeMinutes ?? null,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`${s.model} already has a ${s.kind} SLO on ${s.target}`);
    await writeAudit(tx, actor, { action: "slo.create", entityType: "slo", entityId: row.id, after: { ...row, model: s.model } });
    return row;
  });
}
