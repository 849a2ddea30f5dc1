// Rollout analysis between steps: gathers the bake window's telemetry and drift verdicts, runs the pure
// analysis, stores it with its decision, and carries the decision out (advance, pause, roll back) in the
// same transaction. Run by the monitoring scheduler for every baked step, or on demand by a person.
import { and, desc, eq, gt, gte, inArray, lte, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deploymentAnalyses, deployments, deploymentTargets, driftEvaluations, driftMonitors, modelVersions, telemetrySummaries } from "@/db/schema";
import type { StepPolicy } from "@/db/schema/deployments";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { NotFound, PreconditionFailed } from "@/server/errors";
import { logger } from "@/server/log";
import { analyseStep, type Analysis, type AnalysisWindow, type DriftFact } from "./analysis";
import { applyServing } from "./apply";
import { DEFAULT_STEP_POLICY, ZRunAnalysis } from "./schemas";
import { applyAction, heldForSignOff } from "./service";
import { percentOf } from "./state-machine";

export type Decision = "advanced" | "completed" | "ready" | "paused" | "rolled-back" | "waiting" | "none";

/** Telemetry target names for a deployment target kind. */
const TELEMETRY_TARGET = { "edge-fleet": "device", "cloud-online": "cloud-online", "cloud-batch": "cloud-batch" } as const;

export function policyOf(policies: readonly StepPolicy[], step: number): StepPolicy {
  return policies[step] ?? DEFAULT_STEP_POLICY;
}

/** What the plan says to do with a verdict: a failure acts at once (its evidence is already sure); a pass waits for the bake. */
export function decide(verdict: Analysis["verdict"], policy: StepPolicy, bakeOver: boolean, lastStep: boolean, inCanary: boolean): Decision {
  if (!inCanary) return "none";
  if (verdict === "fail") return policy.onFail === "rollback" ? "rolled-back" : "paused";
  if (verdict === "inconclusive" || !bakeOver) return "waiting";
  if (policy.mode === "manual") return "ready";
  return lastStep ? "completed" : "advanced";
}

async function gather(
  db: Db,
  q: { modelId: string; target: keyof typeof TELEMETRY_TARGET; fleet: string; candidate: number; stable: number; from: Date; to: Date },
) {
  const rows = await db
    .select({
      version: telemetrySummaries.version,
      requests: telemetrySummaries.requests,
      errors: telemetrySummaries.errors,
      latency: telemetrySummaries.latency,
      windowSeconds: telemetrySummaries.windowSeconds,
      slice: telemetrySummaries.slice,
      outcomes: telemetrySummaries.outcomes,
    })
    .from(telemetrySummaries)
    .where(
      and(
        eq(telemetrySummaries.modelId, q.modelId),
        inArray(telemetrySummaries.version, [q.candidate, q.stable]),
        eq(telemetrySummaries.target, TELEMETRY_TARGET[q.target]),
        // Summaries that name their fleet (slice key "fleet" = target slug) count only for it; untagged ones count everywhere.
        sql`(${telemetrySummaries.slice} ->> 'fleet' is null or ${telemetrySummaries.slice} ->> 'fleet' = ${q.fleet})`,
        // Windows that start inside the bake window: one straddling the step start mixes in the previous step.
        gte(telemetrySummaries.windowStart, q.from),
        lte(telemetrySummaries.windowStart, q.to),
      ),
    )
    .limit(50_000);
  const drift = await db
    .selectDistinctOn([driftMonitors.id], {
      monitor: driftMonitors.name,
      source: driftMonitors.source,
      drifted: driftEvaluations.drifted,
      statistic: driftEvaluations.statistic,
      threshold: driftEvaluations.threshold,
    })
    .from(driftEvaluations)
    .innerJoin(driftMonitors, eq(driftMonitors.id, driftEvaluations.monitorId))
    .where(
      and(
        eq(driftMonitors.modelId, q.modelId),
        eq(driftMonitors.version, q.candidate),
        gt(driftEvaluations.windowEnd, q.from),
        lte(driftEvaluations.windowStart, q.to),
      ),
    )
    .orderBy(driftMonitors.id, desc(driftEvaluations.windowEnd));
  const asWindow = (r: (typeof rows)[number]): AnalysisWindow => ({
    requests: r.requests,
    errors: r.errors,
    latency: r.latency,
    windowSeconds: r.windowSeconds,
    slice: r.slice,
    outcomes: r.outcomes,
  });
  return {
    candidate: rows.filter((r) => r.version === q.candidate).map(asWindow),
    control: rows.filter((r) => r.version === q.stable).map(asWindow),
    drift: drift.map((d): DriftFact => ({ monitor: `${d.source}:${d.monitor}`, drifted: d.drifted, statistic: d.statistic, threshold: d.threshold })),
  };
}

export type AnalysisRun = { analysisId: string; verdict: Analysis["verdict"]; decision: Decision; summary: string };

/**
 * Analyses the deployment's current step over [step start, now] and applies the plan's decision.
 * `actor` null is the scheduler. A person may run it at any time; a pass still waits for the bake.
 */
export async function runAnalysis(db: Db, actor: Actor | null, input: unknown, now = new Date()): Promise<AnalysisRun | null> {
  const { deploymentId } = ZRunAnalysis.parse(input);
  const run = await db.transaction(async (tx): Promise<AnalysisRun | null> => {
    // The bare row is locked before the join is read (see loadDeployment: a locked join re-checked after a wait can lose its row).
    await tx.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, deploymentId)).for("update");
    const [row] = await tx
      .select({ d: deployments, kind: deploymentTargets.kind, fleet: deploymentTargets.slug })
      .from(deployments)
      .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
      .where(eq(deployments.id, deploymentId));
    if (!row) throw new NotFound("Deployment");
    const d = row.d;
    // The scheduler re-checks under the lock: another replica (or a person) may have just decided this step.
    if (!actor && (d.state !== "canary" || (await decidedAt(tx, d.id, d.revision)))) return null;
    if (d.state === "idle" || !d.candidateVersionId || !d.stepStartedAt) throw new PreconditionFailed("Nothing to analyse: no rollout is in progress");
    const versions = await tx
      .select({ id: modelVersions.id, number: modelVersions.number })
      .from(modelVersions)
      .where(inArray(modelVersions.id, [d.candidateVersionId, d.stableVersionId]));
    const num = (id: string) => versions.find((v) => v.id === id)!.number;
    const candidate = num(d.candidateVersionId);
    const stable = num(d.stableVersionId);
    const facts = await gather(tx, { modelId: d.modelId, target: row.kind, fleet: row.fleet, candidate, stable, from: d.stepStartedAt, to: now });
    // At 100% no device is left on the stable version: compare with the stable cohort of an equal window before the step.
    if (percentOf(d) >= 100 && !facts.control.length) {
      const before = await gather(tx, {
        modelId: d.modelId,
        target: row.kind,
        fleet: row.fleet,
        candidate,
        stable,
        from: new Date(2 * d.stepStartedAt.getTime() - now.getTime()),
        to: d.stepStartedAt,
      });
      facts.control = before.control;
    }
    const analysis = analyseStep(facts);
    const policy = policyOf(d.stepPolicies, d.step);
    const bakeOver = now.getTime() - d.stepStartedAt.getTime() >= policy.bakeMinutes * 60_000;
    let decision = decide(analysis.verdict, policy, bakeOver, d.step >= d.plan.length - 1, d.state === "canary");
    // A passing step still waits at the canary limit until a safety reviewer signs the version off (or an admin overrides).
    const held = decision === "advanced" || decision === "completed" ? await heldForSignOff(tx, d.id) : null;
    if (held) decision = "waiting";
    const percent = percentOf(d);
    const failing = analysis.checks.filter((c) => c.state === "fail");
    const verdictText =
      analysis.verdict === "fail"
        ? `Step ${d.step + 1} (${percent}%) failed: ${failing.map((c) => `${c.label}${c.slice === "all" ? "" : ` [${c.slice}]`}`).join(", ")}`
        : analysis.verdict === "pass"
          ? `Step ${d.step + 1} (${percent}%) passed${bakeOver ? "" : `; baking until ${new Date(d.stepStartedAt.getTime() + policy.bakeMinutes * 60_000).toISOString()}`}`
          : `Step ${d.step + 1} (${percent}%): not enough telemetry yet`;
    const summary = held ? `${verdictText}; holding: ${held}` : verdictText;
    const values = {
      deploymentId: d.id,
      revision: d.revision,
      step: d.step,
      percent,
      candidateVersion: candidate,
      stableVersion: stable,
      windowStart: d.stepStartedAt,
      windowEnd: now,
      verdict: analysis.verdict,
      decision,
      checks: analysis.checks,
      requestedBy: actor ? actor.email : "scheduler",
    };
    // While the scheduler waits (no data yet) it refreshes one row per step instead of adding one every tick.
    if (!actor && decision === "waiting") {
      const [waiting] = await tx
        .select({ id: deploymentAnalyses.id })
        .from(deploymentAnalyses)
        .where(
          and(
            eq(deploymentAnalyses.deploymentId, d.id),
            eq(deploymentAnalyses.revision, d.revision),
            eq(deploymentAnalyses.decision, "waiting"),
            eq(deploymentAnalyses.requestedBy, "scheduler"),
          ),
        )
        .orderBy(desc(deploymentAnalyses.createdAt))
        .limit(1);
      if (waiting) {
        await tx.update(deploymentAnalyses).set(values).where(eq(deploymentAnalyses.id, waiting.id));
        return { analysisId: waiting.id, verdict: analysis.verdict, decision, summary };
      }
    }
    const [stored] = await tx.insert(deploymentAnalyses).values(values).returning({ id: deploymentAnalyses.id });
    await writeAudit(tx, actor, {
      action: "deployment.analysis",
      entityType: "deployment",
      entityId: d.id,
      after: {
        analysisId: stored.id,
        step: d.step,
        percent,
        candidate,
        stable,
        verdict: analysis.verdict,
        decision,
        failing: failing.map((c) => ({ key: c.key, slice: c.slice, reason: c.reason })),
      },
    });
    const detail = { analysisId: stored.id, verdict: analysis.verdict, failing: failing.map((c) => ({ label: c.label, slice: c.slice, reason: c.reason })) };
    const base = { deploymentId: d.id, revision: d.revision, idempotencyKey: `analysis:${stored.id}`, detail };
    if (decision === "rolled-back") await applyAction(tx, null, { ...base, action: { kind: "rollback", version: stable } });
    else if (decision === "paused") await applyAction(tx, null, { ...base, action: { kind: "pause" } });
    else if (decision === "advanced" || decision === "completed") await applyAction(tx, null, { ...base, action: { kind: "advance" } });
    return { analysisId: stored.id, verdict: analysis.verdict, decision, summary };
  });
  // The plan moved the deployment (rolled back, paused, advanced): serving follows once that committed.
  if (run && (run.decision === "rolled-back" || run.decision === "paused" || run.decision === "advanced" || run.decision === "completed"))
    await applyServing(db, deploymentId);
  return run;
}

async function decidedAt(db: Db, deploymentId: string, revision: number): Promise<boolean> {
  const [r] = await db
    .select({ id: deploymentAnalyses.id })
    .from(deploymentAnalyses)
    .where(and(eq(deploymentAnalyses.deploymentId, deploymentId), eq(deploymentAnalyses.revision, revision), ne(deploymentAnalyses.decision, "waiting")))
    .limit(1);
  return Boolean(r);
}

/** Deployments whose current step has baked and has no decided analysis yet at this revision. */
export async function dueForAnalysis(db: Db, now = new Date()): Promise<string[]> {
  const live = await db
    .select({
      id: deployments.id,
      revision: deployments.revision,
      step: deployments.step,
      policies: deployments.stepPolicies,
      startedAt: deployments.stepStartedAt,
    })
    .from(deployments)
    .where(eq(deployments.state, "canary"));
  if (!live.length) return [];
  const decided = await db
    .select({ id: deploymentAnalyses.deploymentId, revision: deploymentAnalyses.revision })
    .from(deploymentAnalyses)
    .where(
      and(
        inArray(
          deploymentAnalyses.deploymentId,
          live.map((l) => l.id),
        ),
        ne(deploymentAnalyses.decision, "waiting"),
      ),
    );
  const done = new Set(decided.map((r) => `${r.id}/${r.revision}`));
  return live
    .filter(
      (l) => l.startedAt && now.getTime() - l.startedAt.getTime() >= policyOf(l.policies, l.step).bakeMinutes * 60_000 && !done.has(`${l.id}/${l.revision}`),
    )
    .map((l) => l.id);
}

/** One scheduler tick: analyse every baked step; one deployment's failure does not stop the others. */
export async function analyseDueRollouts(db: Db, now = new Date()): Promise<{ analysed: number; decisions: Record<string, number> }> {
  const decisions: Record<string, number> = {};
  const ids = await dueForAnalysis(db, now);
  for (const id of ids) {
    try {
      const r = await runAnalysis(db, null, { deploymentId: id }, now);
      if (r) decisions[r.decision] = (decisions[r.decision] ?? 0) + 1;
    } catch (err) {
      logger.error({ err, deploymentId: id }, "rollout analysis failed");
      decisions.error = (decisions.error ?? 0) + 1;
    }
  }
  return { analysed: ids.length, decisions };
}
