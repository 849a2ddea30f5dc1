// Deployment services: list and detail with gates, the buttons (idempotent, revision-checked, audited), approvals.
import { and, asc, count, desc, eq, inArray, isNull, lt, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import type { StepPolicy } from "@/db/schema/deployments";
import {
  alerts,
  deploymentAnalyses,
  deploymentApprovals,
  deploymentEvents,
  deployments,
  deploymentTargets,
  devices,
  environments,
  evaluationResults,
  evaluations,
  models,
  modelVersions,
  userPermissions,
  users,
} from "@/db/schema";
import { effectText, type EffectAction, type EffectTarget } from "@/lib/deployment-effects";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, DomainError, Forbidden, Invalid, NotFound, PreconditionFailed } from "@/server/errors";
import type { TContract, TManifest } from "@/server/registry/schemas";
import { getVersion, type VersionView } from "@/server/registry/service";
import { onCallForModel, openIncidentCommanders } from "@/server/incidents/oncall";
import { env } from "@/server/env";
import { announce } from "@/server/incidents/notify";
import { isSafetyRelevant } from "@/server/safety/policy";
import { compareResults, markSignOffUsed, SAFETY_REVIEWER, signOffFacts } from "@/server/safety/service";
import type { Check } from "./analysis";
import { thenApplyServing } from "./apply";
import { BUCKETS } from "./cohort";
import { canApproveRelease, canChangeDeployment, canWithdrawApproval, gatesInTheWay, lastStableVersion, type Decision, type PolicyContext } from "./policy";
import { fleetVersions, type FleetVersions } from "./reports";
import { runtimeConfigProblems, type TRuntimeConfig } from "./config";
import { evaluateGates, failingGates, GATE_KEYS, signOffGate, type Gate, type GateFacts } from "./gates";
import {
  DEFAULT_STEP_POLICY,
  ZApprove,
  ZWithdrawApproval,
  ZPromote,
  ZRollback,
  ZStartCanary,
  ZStep,
  type TPlan,
  ZDeploymentList,
  ZDeploymentQuery,
} from "./schemas";
import { percentOf, transition, type Action, type Snapshot } from "./state-machine";

/** Recall may drop this much below the version it replaces before the evaluation gate fails. */
export const EVAL_TOLERANCE = 0.01;

const stableV = alias(modelVersions, "stable_version");
const candidateV = alias(modelVersions, "candidate_version");

type Loaded = Awaited<ReturnType<typeof loadDeployment>>;

async function loadDeployment(db: Db, id: string, lock = false) {
  // Lock the bare row first, then read the joins. A `FOR UPDATE OF deployments` on the joined query
  // re-checks the join after waiting on a concurrent writer with the old stable version row, finds no
  // match when that writer changed the stable version, and answers "no row" (a false 404).
  if (lock) {
    const [held] = await db.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, id)).for("update");
    if (!held) throw new NotFound("Deployment");
  }
  const q = db
    .select({
      d: deployments,
      target: deploymentTargets,
      env: environments,
      model: { id: models.id, slug: models.slug, name: models.name, team: models.team, tags: models.tags },
      stable: stableV.number,
      candidate: candidateV.number,
    })
    .from(deployments)
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
    .innerJoin(environments, eq(environments.key, deploymentTargets.environment))
    .innerJoin(models, eq(models.id, deployments.modelId))
    .innerJoin(stableV, eq(stableV.id, deployments.stableVersionId))
    .leftJoin(candidateV, eq(candidateV.id, deployments.candidateVersionId))
    .where(eq(deployments.id, id));
  const [row] = await q;
  if (!row) throw new NotFound("Deployment");
  const deviceCount = row.target.kind === "edge-fleet" ? ((await deviceCounts(db, [row.target.id])).get(row.target.id) ?? 0) : 0;
  return { ...row, deviceCount };
}

async function deviceCounts(db: Db, targetIds: string[]): Promise<Map<string, number>> {
  if (!targetIds.length) return new Map();
  const rows = await db.select({ targetId: devices.targetId, n: count() }).from(devices).where(inArray(devices.targetId, targetIds)).groupBy(devices.targetId);
  return new Map(rows.map((r) => [r.targetId, r.n]));
}

function snapshotOf(l: Loaded): Snapshot {
  return { state: l.d.state, stable: l.stable, candidate: l.candidate ?? null, step: l.d.step, plan: l.d.plan };
}

function effectTarget(l: Loaded, fleet: FleetVersions | null = null): EffectTarget {
  const removed = l.candidate ?? l.stable;
  return {
    name: l.target.name,
    kind: l.target.kind,
    devices: l.deviceCount,
    environment: l.env.name.toLowerCase(),
    // With no device report at all, the plan's estimate is all there is (the effect text says so).
    ...(fleet && fleet.unreported < fleet.total
      ? {
          reported: {
            version: removed,
            running: fleet.byVersion.find((v) => v.version === removed)?.devices ?? 0,
            pending: fleet.pending,
            unreported: fleet.unreported,
          },
        }
      : {}),
  };
}

/** Everything the policy needs about a deployment beyond its state: who is on call, who commands an incident, where a rollback goes. */
async function policyFacts(db: Db, l: Loaded, now = new Date()) {
  const [events, versions, onCall, commanders] = await Promise.all([
    db
      .select({ kind: deploymentEvents.kind, fromVersion: deploymentEvents.fromVersion })
      .from(deploymentEvents)
      .where(eq(deploymentEvents.deploymentId, l.d.id))
      .orderBy(desc(deploymentEvents.id))
      .limit(200),
    db
      .select({ number: modelVersions.number, status: modelVersions.status })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, l.model.id))
      .orderBy(desc(modelVersions.number))
      .limit(200),
    onCallForModel(db, l.model, now),
    openIncidentCommanders(db, l.model.id),
  ]);
  const state = snapshotOf(l);
  return {
    rollbackTo: lastStableVersion(state, events, versions),
    onCall: onCall.map((o) => ({ userId: o.userId!, email: o.email })),
    commanders,
  };
}

/** The one server check: refuses with the policy's own words, and asks for a reason where the policy does. */
async function assertCan(db: Db, actor: Actor | null, l: Loaded, input: ActInput): Promise<Decision> {
  // Gates are checked in applyAction; this decides who may act.
  const noGates = { gateVersion: null, failingGates: [], canaryMaxPercent: env.SIGNOFF_CANARY_MAX_PERCENT };
  if (!actor)
    return canChangeDeployment(null, { environment: l.env, state: snapshotOf(l), rollbackTo: null, onCall: [], commanders: [], ...noGates }, input.action);
  const facts = await policyFacts(db, l);
  const d = canChangeDeployment(actor, { environment: l.env, state: snapshotOf(l), ...noGates, ...facts }, input.action);
  // A refusal the state machine gives (nothing to pause...) stays PRECONDITION_FAILED below; a refusal of the person is FORBIDDEN.
  if (!d.allowed && transition(snapshotOf(l), input.action).ok) throw new Forbidden(d.reason);
  if (d.allowed && d.needsReason && (d.as === "on-call" || d.as === "commander") && !input.reason)
    throw new Invalid("Write why you are doing this (a few words: it goes to the audit log, the timeline and the admins)");
  return d;
}

// ---- Reads ----

export async function listDeployments(db: Db, input: unknown = {}) {
  const filter = ZDeploymentList.parse(input);
  const rows = await db
    .select({
      id: deployments.id,
      state: deployments.state,
      step: deployments.step,
      plan: deployments.plan,
      revision: deployments.revision,
      updatedAt: deployments.updatedAt,
      target: { id: deploymentTargets.id, slug: deploymentTargets.slug, name: deploymentTargets.name, kind: deploymentTargets.kind },
      environment: { key: environments.key, name: environments.name, rank: environments.rank },
      model: { slug: models.slug, name: models.name },
      stable: stableV.number,
      candidate: candidateV.number,
    })
    .from(deployments)
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
    .innerJoin(environments, eq(environments.key, deploymentTargets.environment))
    .innerJoin(models, eq(models.id, deployments.modelId))
    .innerJoin(stableV, eq(stableV.id, deployments.stableVersionId))
    .leftJoin(candidateV, eq(candidateV.id, deployments.candidateVersionId))
    .where(filter.modelId ? eq(deployments.modelId, filter.modelId) : undefined)
    .orderBy(desc(environments.rank), asc(deploymentTargets.name), asc(models.slug))
    .limit(500);
  const counts = await deviceCounts(db, [...new Set(rows.filter((r) => r.target.kind === "edge-fleet").map((r) => r.target.id))]);
  return rows.map((r) => ({ ...r, percent: percentOf(r), devices: counts.get(r.target.id) ?? null }));
}

async function gateFacts(db: Db, l: Loaded, v: VersionView): Promise<GateFacts> {
  const fleet =
    l.target.kind === "edge-fleet"
      ? await db.selectDistinct({ hardwareClass: devices.hardwareClass, firmware: devices.firmware }).from(devices).where(eq(devices.targetId, l.target.id))
      : [];
  const hardwareClasses =
    l.target.kind === "edge-fleet" ? [...new Set(fleet.map((f) => f.hardwareClass))].sort() : l.target.hardwareClass ? [l.target.hardwareClass] : [];
  const firmwares = [...new Set(fleet.map((f) => f.firmware))].sort();
  const baseline = v.version.number === l.stable ? null : l.stable;
  const [evaluation, openAlerts, approvals, signOff] = await Promise.all([
    evaluationFacts(db, l.model.id, v.version.id, baseline === null ? null : l.d.stableVersionId, baseline),
    db
      .select({ title: alerts.title, severity: alerts.severity, state: alerts.state })
      .from(alerts)
      .where(and(eq(alerts.modelId, l.model.id), ne(alerts.state, "resolved"))),
    db
      .select({ userId: users.id, email: users.email, role: users.role, at: deploymentApprovals.createdAt })
      .from(deploymentApprovals)
      .innerJoin(users, eq(users.id, deploymentApprovals.approvedBy))
      .where(and(eq(deploymentApprovals.deploymentId, l.d.id), eq(deploymentApprovals.versionId, v.version.id)))
      .orderBy(asc(deploymentApprovals.createdAt)),
    signOffOf(db, l, v.version.id, v.version.number),
  ]);
  return {
    version: v.version.number,
    integrity: {
      held: Boolean(v.artifact),
      integrity: v.artifact?.integrity ?? null,
      sha256: v.artifact?.sha256 ?? null,
      uri: v.version.artifactUri,
      checkedAt: v.artifact?.integrityCheckedAt ?? null,
    },
    compatibility: { contract: (v.version.contract as TContract | null) ?? null, runtime: l.target.runtime, hardwareClasses, firmwares },
    evaluation,
    alerts: openAlerts,
    author: { userId: v.version.createdBy, email: v.createdBy },
    approvals,
    signOff,
  };
}

async function signOffOf(db: Db, l: Loaded, versionId: string, number: number): Promise<GateFacts["signOff"]> {
  const safetyRelevant = isSafetyRelevant(l.model.tags);
  // A model that needs no sign-off gets a "none" gate whatever is on record: no need to read it.
  const latest = safetyRelevant ? await signOffFacts(db, versionId) : null;
  return { safetyRelevant, canaryMaxPercent: env.SIGNOFF_CANARY_MAX_PERCENT, latest, href: reviewHref(l.model.slug, number) };
}

const reviewHref = (slug: string, version: number) => `/safety/review/${slug}?candidate=${version}`;

/** The candidate's newest evaluation against the baseline's newest on the same dataset, per event type and slice. */
async function evaluationFacts(
  db: Db,
  modelId: string,
  versionId: string,
  baselineId: string | null,
  baseline: number | null,
): Promise<GateFacts["evaluation"]> {
  const heads = await db
    .select({
      id: evaluations.id,
      versionId: evaluations.versionId,
      name: evaluations.datasetName,
      dsVersion: evaluations.datasetVersion,
      createdAt: evaluations.createdAt,
    })
    .from(evaluations)
    .where(and(eq(evaluations.modelId, modelId), inArray(evaluations.versionId, baselineId ? [versionId, baselineId] : [versionId])))
    .orderBy(desc(evaluations.createdAt))
    .limit(200);
  const cand = heads.find((h) => h.versionId === versionId) ?? null;
  const base = baselineId
    ? (heads.find((h) => h.versionId === baselineId && (!cand || (h.name === cand.name && h.dsVersion === cand.dsVersion))) ?? null)
    : null;
  const baseAny = baselineId ? heads.some((h) => h.versionId === baselineId) : false;
  const ids = [cand?.id, base?.id].filter((x): x is string => Boolean(x));
  const results = ids.length ? await db.select().from(evaluationResults).where(inArray(evaluationResults.evaluationId, ids)) : [];
  const rows = cand
    ? compareResults(
        results.filter((r) => r.evaluationId === cand.id),
        base ? results.filter((r) => r.evaluationId === base.id) : null,
      ).map((r) => ({
        eventType: r.eventType,
        dimension: r.dimension,
        value: r.value,
        candidate: r.candidate?.recall?.value ?? null,
        baseline: r.production?.recall?.value ?? null,
      }))
    : [];
  return {
    tolerance: EVAL_TOLERANCE,
    baseline,
    candidateEvaluated: Boolean(cand),
    baselineEvaluated: cand ? Boolean(base) : baseAny,
    dataset: cand ? `${cand.name}${cand.dsVersion ? ` v${cand.dsVersion}` : ""}` : null,
    rows,
  };
}

export type DeploymentDetail = Awaited<ReturnType<typeof getDeployment>>;

/** Detail for the page: state, timeline, versions, cohorts, and the gates for `version` (default: the candidate or the newest version). */
export async function getDeployment(db: Db, raw: unknown) {
  const input = ZDeploymentQuery.parse(raw);
  const l = await loadDeployment(db, input.id);
  const [events, versions, cohorts, onCandidate, analyses] = await Promise.all([
    db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, l.d.id)).orderBy(desc(deploymentEvents.id)).limit(200),
    db
      .select({ number: modelVersions.number, status: modelVersions.status, createdAt: modelVersions.createdAt, description: modelVersions.description })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, l.model.id))
      .orderBy(desc(modelVersions.number))
      .limit(200),
    l.target.kind === "edge-fleet"
      ? db
          .select({ hardwareClass: devices.hardwareClass, firmware: devices.firmware, region: devices.region, devices: count() })
          .from(devices)
          .where(eq(devices.targetId, l.target.id))
          .groupBy(devices.hardwareClass, devices.firmware, devices.region)
          .orderBy(devices.region, devices.hardwareClass, devices.firmware)
      : Promise.resolve([]),
    l.target.kind === "edge-fleet" && l.d.state !== "idle"
      ? db
          .select({ n: count() })
          .from(devices)
          .where(and(eq(devices.targetId, l.target.id), lt(devices.bucket, Math.round(percentOf(l.d) * (BUCKETS / 100)))))
          .then((r) => r[0]?.n ?? 0)
      : Promise.resolve(0),
    db.select().from(deploymentAnalyses).where(eq(deploymentAnalyses.deploymentId, l.d.id)).orderBy(desc(deploymentAnalyses.createdAt)).limit(30),
  ]);
  const fleet =
    l.target.kind === "edge-fleet"
      ? await fleetVersions(db, { targetId: l.target.id, modelId: l.model.id, stable: l.stable, candidate: l.candidate ?? null, percent: percentOf(l.d) })
      : null;
  const facts = await policyFacts(db, l);
  const gateVersion =
    input.version ?? l.candidate ?? versions.find((v) => v.number > l.stable && v.status !== "archived" && v.status !== "draft")?.number ?? null;
  let gates: Gate[] | null = null;
  let approvals: { approvedBy: string; email: string; comment: string; at: Date; usedAt: Date | null }[] = [];
  if (gateVersion !== null && l.env.protected && versions.some((v) => v.number === gateVersion)) {
    const gv = await getVersion(db, l.model.slug, gateVersion);
    gates = evaluateGates(await gateFacts(db, l, gv));
    approvals = await db
      .select({
        approvedBy: deploymentApprovals.approvedBy,
        email: users.email,
        comment: deploymentApprovals.comment,
        at: deploymentApprovals.createdAt,
        usedAt: deploymentApprovals.usedAt,
      })
      .from(deploymentApprovals)
      .innerJoin(users, eq(users.id, deploymentApprovals.approvedBy))
      .where(and(eq(deploymentApprovals.deploymentId, l.d.id), eq(deploymentApprovals.versionId, gv.version.id)))
      .orderBy(asc(deploymentApprovals.createdAt));
  }
  return {
    id: l.d.id,
    revision: l.d.revision,
    state: l.d.state,
    step: l.d.step,
    plan: l.d.plan,
    stepPolicies: l.d.plan.map((_, i) => l.d.stepPolicies[i] ?? DEFAULT_STEP_POLICY),
    stepStartedAt: l.d.stepStartedAt,
    analyses: analyses.map((a) => ({ ...a, checks: a.checks as Check[] })),
    percent: percentOf(l.d),
    stable: l.stable,
    candidate: l.candidate ?? null,
    stableConfig: l.d.stableConfig,
    candidateConfig: l.d.candidateConfig,
    updatedAt: l.d.updatedAt,
    target: {
      id: l.target.id,
      slug: l.target.slug,
      name: l.target.name,
      kind: l.target.kind,
      runtime: l.target.runtime,
      hardwareClass: l.target.hardwareClass,
      description: l.target.description,
    },
    environment: { key: l.env.key, name: l.env.name, protected: l.env.protected },
    model: l.model,
    devices: l.target.kind === "edge-fleet" ? { total: l.deviceCount, onCandidate, onStable: l.deviceCount - onCandidate } : null,
    fleet,
    cohorts,
    versions,
    gateVersion,
    gates,
    /** Four-eyes approvals of `gateVersion` here, with whether a promotion has used them (then they cannot be withdrawn). */
    approvals,
    rollbackTo: facts.rollbackTo,
    /** What the policy needs to decide each button for the viewer (`allowedActions` in policy.ts). */
    policy: {
      environment: { name: l.env.name, protected: l.env.protected },
      state: snapshotOf(l),
      rollbackTo: facts.rollbackTo,
      gateVersion,
      failingGates: gates ? failingGates(gates).map(({ key, label, reason }) => ({ key, label, reason })) : [],
      canaryMaxPercent: env.SIGNOFF_CANARY_MAX_PERCENT,
      onCall: facts.onCall,
      commanders: facts.commanders,
    } satisfies PolicyContext,
    effectTarget: effectTarget(l, fleet),
    events,
  };
}

// ---- Actions ----

type ActInput = {
  deploymentId: string;
  revision: number;
  idempotencyKey: string;
  action: Action;
  config?: TRuntimeConfig;
  override?: { reason: string };
  plan?: TPlan;
  detail?: Record<string, unknown>;
  reason?: string;
};
/** Runs inside the action's transaction after it applied (e.g. the incident records the mitigation): both commit or neither. */
export type AfterAction = (
  tx: Db,
  result: ActResult,
  facts: { decision: Decision; model: { id: string; slug: string }; fromVersion: number; toVersion: number },
) => Promise<void>;
export type ActResult = { deploymentId: string; revision: number; state: "idle" | "canary" | "paused"; summary: string; replayed: boolean };

/** A repeated key returns what the first request did; the key reused for another action is refused. */
async function replayOf(db: Db, input: ActInput): Promise<ActResult | null> {
  const [e] = await db.select().from(deploymentEvents).where(eq(deploymentEvents.idempotencyKey, input.idempotencyKey));
  if (!e) return null;
  const sameKind = e.kind === input.action.kind || (input.action.kind === "advance" && e.kind === "complete");
  if (e.deploymentId !== input.deploymentId || !sameKind) throw new Conflict("This idempotency key was already used for a different action; send a new key");
  const [d] = await db.select({ revision: deployments.revision, state: deployments.state }).from(deployments).where(eq(deployments.id, e.deploymentId));
  return { deploymentId: e.deploymentId, revision: d?.revision ?? e.revision, state: d?.state ?? "idle", summary: e.summary, replayed: true };
}

export async function act(db: Db, actor: Actor, input: ActInput, after?: AfterAction): Promise<ActResult> {
  const replay = await replayOf(db, input);
  if (replay) return replay;
  try {
    return await thenApplyServing(db, await db.transaction((tx) => applyAction(tx, actor, input, after)));
  } catch (err) {
    // A double click that lost the race to its twin: answer with the twin's result.
    if (err instanceof DomainError && err.code === "CONFLICT") {
      const twin = await replayOf(db, input);
      if (twin) return twin;
    }
    if (err instanceof DomainError && err.code !== "NOT_FOUND") {
      await writeAudit(db, actor, {
        action: "deployment.refused",
        entityType: "deployment",
        entityId: input.deploymentId,
        after: {
          action: input.action.kind,
          version: "version" in input.action ? input.action.version : undefined,
          code: err.code,
          reason: err.message,
          revision: input.revision,
        },
      });
    }
    throw err;
  }
}

/** Percents and per-step policies from either form of plan; bare percents keep the old behaviour (a person advances). */
function checkPlan(input: TPlan): { plan: number[]; policies: StepPolicy[] } {
  const steps = input.map((s) => (typeof s === "number" ? { percent: s, ...DEFAULT_STEP_POLICY } : s));
  const plan = steps.map((s) => s.percent);
  for (let i = 1; i < plan.length; i++) if (plan[i] <= plan[i - 1]) throw new Invalid("plan: steps must go up, e.g. 1, 5, 25, 50, 100");
  if (plan.at(-1) !== 100) throw new Invalid("plan: the last step must be 100%");
  return { plan, policies: steps.map(({ bakeMinutes, mode, onFail }) => ({ bakeMinutes, mode, onFail })) };
}

/**
 * Applies one action inside `tx`. `actor` null is the rollout analysis acting on its plan (the plan was
 * set by whoever started the canary, so the protected-environment role check does not apply).
 */
export async function applyAction(tx: Db, actor: Actor | null, input: ActInput, after?: AfterAction): Promise<ActResult> {
  const l = await loadDeployment(tx, input.deploymentId, true);
  const decision = await assertCan(tx, actor, l, input);
  if (l.d.revision !== input.revision) {
    throw new Conflict(
      `The deployment changed since you loaded it (you saw revision ${input.revision}, it is now ${l.d.revision}); reload and check before pressing again`,
    );
  }
  const before = snapshotOf(l);
  const t = transition(before, input.action);
  if (!t.ok) throw new PreconditionFailed(t.reason);
  const a = input.action;

  let target: VersionView | null = null;
  let config: TRuntimeConfig | null = null;
  if (a.kind === "promote" || a.kind === "canary.start" || a.kind === "rollback") {
    target = await getVersion(tx, l.model.slug, a.version);
    if (target.version.status === "archived") throw new PreconditionFailed(`v${a.version} is archived; restore it in the registry before deploying it`);
    if (target.artifact && (target.artifact.integrity === "mismatch" || target.artifact.integrity === "missing")) {
      throw new PreconditionFailed(`v${a.version}'s stored file failed its integrity check (${target.artifact.integrity}); it cannot be deployed`);
    }
    config = input.config ?? l.d.stableConfig;
    const problems = runtimeConfigProblems(config, (target.version.manifest as TManifest | null) ?? null, `v${a.version}`);
    if (problems.length) throw new Invalid(`Runtime config does not fit v${a.version}: ${problems.join("; ")}`, { issues: problems });
  }

  let overridden: Gate[] = [];
  let passed: Gate[] = [];
  if ((a.kind === "promote" || a.kind === "canary.start" || a.kind === "advance") && l.env.protected) {
    const plan = a.kind === "canary.start" && input.plan ? checkPlan(input.plan).plan : undefined;
    const ctx = { environment: l.env, state: snapshotOf(l), canaryMaxPercent: env.SIGNOFF_CANARY_MAX_PERCENT };
    // Whether the policy holds this action to the gate (asked as if the gate failed): one rule for buttons and server.
    const applies = (g: Pick<Gate, "key" | "label" | "reason">) => gatesInTheWay({ ...ctx, failingGates: [g] }, a, plan).length > 0;
    // Only the gates the policy can hold this action to are evaluated: a step forward is held by the sign-off alone.
    const keys = GATE_KEYS.filter((key) => applies({ key, label: key, reason: "" }));
    let gates: Gate[] = [];
    if (keys.length === 1 && keys[0] === "signoff") {
      const v = target
        ? { id: target.version.id, number: target.version.number }
        : l.candidate !== null
          ? { id: l.d.candidateVersionId!, number: l.candidate }
          : null;
      if (v) gates = [signOffGate({ version: v.number, signOff: await signOffOf(tx, l, v.id, v.number) })];
    } else if (keys.length) {
      const gated = target ?? (l.candidate !== null ? await getVersion(tx, l.model.slug, l.candidate) : null);
      if (gated) gates = evaluateGates(await gateFacts(tx, l, gated));
    }
    const blocking = gates.filter((g) => g.state === "fail" && applies(g));
    if (blocking.length && !input.override) {
      throw new PreconditionFailed(
        `Blocked by ${blocking.length} gate${blocking.length > 1 ? "s" : ""}: ${blocking.map((g) => `${g.label}: ${g.reason}`).join(" · ")}. An admin can override with a written reason`,
      );
    }
    overridden = blocking;
    // What the action went ahead on: those approvals and that sign-off are then on record for good (no withdrawal).
    passed = gates.filter((g) => g.state === "pass" && applies(g));
  }

  const next = t.next;
  const stableVersionId = next.stable === before.stable ? l.d.stableVersionId : t.event === "complete" ? l.d.candidateVersionId! : target!.version.id;
  const candidateVersionId = next.candidate === null ? null : a.kind === "canary.start" ? target!.version.id : l.d.candidateVersionId;
  const stableConfig =
    a.kind === "promote" || a.kind === "rollback" ? config! : t.event === "complete" ? (l.d.candidateConfig ?? l.d.stableConfig) : l.d.stableConfig;
  const candidateConfig = next.candidate === null ? null : a.kind === "canary.start" ? config : l.d.candidateConfig;
  const planned = a.kind === "canary.start" ? checkPlan(input.plan ?? l.d.plan) : { plan: l.d.plan, policies: l.d.stepPolicies };
  const plan = planned.plan;
  const revision = l.d.revision + 1;
  // The bake window restarts whenever traffic on the candidate changes or a paused rollout resumes.
  const stepStartedAt =
    next.state === "idle" ? null : t.event === "canary.start" || t.event === "advance" || t.event === "resume" ? new Date() : l.d.stepStartedAt;

  const [updated] = await tx
    .update(deployments)
    .set({
      state: next.state,
      step: next.step,
      stableVersionId,
      candidateVersionId,
      stableConfig,
      candidateConfig,
      plan,
      stepPolicies: planned.policies,
      stepStartedAt,
      revision,
      updatedAt: new Date(),
    })
    .where(and(eq(deployments.id, l.d.id), eq(deployments.revision, input.revision)))
    .returning({ id: deployments.id });
  if (!updated) throw new Conflict("Someone else changed the deployment at the same moment; reload and check before pressing again");

  const effectAction: EffectAction =
    a.kind === "promote" || a.kind === "canary.start" || a.kind === "rollback" ? { kind: a.kind, version: a.version } : { kind: a.kind };
  // A rollback states how many devices actually run the version it removes (device reports), not the plan's estimate.
  const fleet =
    a.kind === "rollback" && l.target.kind === "edge-fleet"
      ? await fleetVersions(tx, { targetId: l.target.id, modelId: l.model.id, stable: before.stable, candidate: before.candidate, percent: percentOf(before) })
      : null;
  const summary = effectText(effectTarget(l, fleet), { ...before, plan }, effectAction) + (input.reason ? `. Why: “${input.reason}”` : "");
  const actorLabel = !actor ? "rollout analysis" : actor.tokenId ? `${actor.email} (token)` : actor.email;
  if (overridden.length) {
    const reason = input.override!.reason;
    await tx.insert(deploymentEvents).values({
      deploymentId: l.d.id,
      actorUserId: actor?.userId ?? null,
      actorLabel,
      kind: "override",
      fromVersion: t.from,
      toVersion: t.to,
      summary: `Overrode ${overridden.map((g) => g.label.toLowerCase()).join(", ")} for v${t.to}: “${reason}”`,
      detail: { reason, gates: overridden.map((g) => ({ key: g.key, label: g.label, reason: g.reason })) },
      revision,
    });
    await writeAudit(tx, actor, {
      action: "deployment.override",
      entityType: "deployment",
      entityId: l.d.id,
      after: { version: t.to, reason, gates: overridden.map((g) => ({ key: g.key, reason: g.reason })) },
    });
    if (overridden.some((g) => g.key === "signoff")) await tellReviewers(tx, l, t.to, actorLabel, reason);
  }
  const signedOff = passed.find((g) => g.key === "signoff");
  const signOffId = (signedOff?.evidence.signOff as { id?: string } | null | undefined)?.id;
  if (signOffId) await markSignOffUsed(tx, signOffId);
  if (passed.some((g) => g.key === "approval") && target) {
    await tx
      .update(deploymentApprovals)
      .set({ usedAt: new Date() })
      .where(and(eq(deploymentApprovals.deploymentId, l.d.id), eq(deploymentApprovals.versionId, target.version.id), isNull(deploymentApprovals.usedAt)));
  }
  await tx.insert(deploymentEvents).values({
    deploymentId: l.d.id,
    actorUserId: actor?.userId ?? null,
    actorLabel,
    kind: t.event,
    fromVersion: t.from,
    toVersion: t.to,
    summary,
    detail: {
      before: { state: before.state, step: before.step, percent: percentOf(before) },
      after: { state: next.state, step: next.step, percent: percentOf({ ...next, plan }) },
      ...(config ? { config } : {}),
      ...(input.reason ? { reason: input.reason, authority: decision.as } : {}),
      ...input.detail,
    },
    idempotencyKey: input.idempotencyKey,
    revision,
  });
  await writeAudit(tx, actor, {
    action: `deployment.${t.event}`,
    entityType: "deployment",
    entityId: l.d.id,
    before: { ...before, revision: l.d.revision },
    after: { ...next, plan, revision, summary, ...(input.reason ? { reason: input.reason, authority: decision.as } : {}) },
  });
  const result: ActResult = { deploymentId: l.d.id, revision, state: next.state, summary, replayed: false };
  if (after) await after(tx, result, { decision, model: l.model, fromVersion: t.from, toVersion: t.to });
  return result;
}

export async function promote(db: Db, actor: Actor, input: unknown) {
  const p = ZPromote.parse(input);
  return act(db, actor, { ...p, action: { kind: "promote", version: p.version } });
}
export async function startCanary(db: Db, actor: Actor, input: unknown) {
  const p = ZStartCanary.parse(input);
  return act(db, actor, { ...p, action: { kind: "canary.start", version: p.version } });
}
export async function rollback(db: Db, actor: Actor, input: unknown, after?: AfterAction) {
  const p = ZRollback.parse(input);
  return act(db, actor, { ...p, action: { kind: "rollback", version: p.version } }, after);
}
export async function stepRollout(db: Db, actor: Actor, kind: "advance" | "pause" | "resume" | "abort", input: unknown, after?: AfterAction) {
  const p = ZStep.parse(input);
  return act(db, actor, { ...p, action: { kind } }, after);
}

/** Why the rollout's next step must wait for a safety sign-off (the gate's reason), or null when it may go on. */
export async function heldForSignOff(db: Db, deploymentId: string): Promise<string | null> {
  const l = await loadDeployment(db, deploymentId);
  if (!l.env.protected || l.candidate === null || !isSafetyRelevant(l.model.tags)) return null;
  const signOff = failingGates([signOffGate({ version: l.candidate, signOff: await signOffOf(db, l, l.d.candidateVersionId!, l.candidate) })]);
  const held = gatesInTheWay(
    { environment: l.env, state: snapshotOf(l), failingGates: signOff, canaryMaxPercent: env.SIGNOFF_CANARY_MAX_PERCENT },
    { kind: "advance" },
  );
  return held[0]?.reason ?? null;
}

/** The safety reviewers hear in-app (and through webhooks) that a release went past their missing sign-off. */
async function tellReviewers(tx: Db, l: Loaded, version: number, by: string, reason: string) {
  const reviewers = await tx.select({ id: userPermissions.userId }).from(userPermissions).where(eq(userPermissions.permission, SAFETY_REVIEWER));
  if (!reviewers.length) return;
  await announce(tx, {
    kind: "signoff.overridden",
    title: `${l.model.name} v${version} shipped without safety sign-off`,
    body: `${by} overrode the sign-off gate on ${l.target.name}: “${reason}”`,
    href: reviewHref(l.model.slug, version),
    modelId: l.model.id,
    alert: null,
    detail: { deploymentId: l.d.id, version },
    userIds: reviewers.map((r) => r.id),
  });
}

/** Four-eyes: an admin who did not author the version approves it for this deployment. */
export async function approveVersion(db: Db, actor: Actor, input: unknown) {
  const p = ZApprove.parse(input);
  const may = canApproveRelease(actor);
  if (!may.allowed) throw new Forbidden(may.reason);
  return db.transaction(async (tx) => {
    const l = await loadDeployment(tx, p.deploymentId);
    const v = await getVersion(tx, l.model.slug, p.version);
    const four = canApproveRelease(actor, { number: p.version, createdBy: v.version.createdBy });
    if (!four.allowed) throw new Forbidden(four.reason);
    if (v.version.status === "archived") throw new PreconditionFailed(`v${p.version} is archived`);
    const [row] = await tx
      .insert(deploymentApprovals)
      .values({ deploymentId: l.d.id, versionId: v.version.id, approvedBy: actor.userId, comment: p.comment })
      .onConflictDoNothing()
      .returning();
    if (!row) return { approved: true, already: true };
    await tx.insert(deploymentEvents).values({
      deploymentId: l.d.id,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      kind: "approve",
      fromVersion: l.stable,
      toVersion: p.version,
      summary: `Approved v${p.version} for ${effectTarget(l).kind === "edge-fleet" ? "fleet " : ""}${l.target.name}${p.comment ? `: “${p.comment}”` : ""}`,
      detail: { comment: p.comment },
      revision: l.d.revision,
    });
    await writeAudit(tx, actor, {
      action: "deployment.approve",
      entityType: "deployment",
      entityId: l.d.id,
      after: { version: p.version, comment: p.comment },
    });
    return { approved: true, already: false };
  });
}

/** Takes back one's own four-eyes approval before anything used it; on the timeline and in the audit log. */
export async function withdrawApproval(db: Db, actor: Actor, input: unknown) {
  const p = ZWithdrawApproval.parse(input);
  return db.transaction(async (tx) => {
    const l = await loadDeployment(tx, p.deploymentId);
    const v = await getVersion(tx, l.model.slug, p.version);
    const [row] = await tx
      .select()
      .from(deploymentApprovals)
      .where(
        and(eq(deploymentApprovals.deploymentId, l.d.id), eq(deploymentApprovals.versionId, v.version.id), eq(deploymentApprovals.approvedBy, actor.userId)),
      )
      .for("update");
    if (!row) throw new NotFound(`Your approval of v${p.version} for this deployment`);
    const may = canWithdrawApproval(actor, row);
    if (!may.allowed) throw new PreconditionFailed(may.reason);
    await tx.delete(deploymentApprovals).where(eq(deploymentApprovals.id, row.id));
    await tx.insert(deploymentEvents).values({
      deploymentId: l.d.id,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      kind: "approve.withdraw",
      fromVersion: l.stable,
      toVersion: p.version,
      summary: `Withdrew the approval of v${p.version}: “${p.reason}”`,
      detail: { reason: p.reason, approvedAt: row.createdAt },
      revision: l.d.revision,
    });
    await writeAudit(tx, actor, {
      action: "deployment.approve.withdraw",
      entityType: "deployment",
      entityId: l.d.id,
      before: { version: p.version, comment: row.comment, approvedAt: row.createdAt },
      after: { reason: p.reason },
    });
    return { withdrawn: true };
  });
}

/** Recent timeline entries across a model's deployments, newest first (on-call "what changed"). */
export async function recentDeploymentEvents(db: Db, modelId: string, limit = 20) {
  return db
    .select({ event: deploymentEvents, target: deploymentTargets.name, deploymentId: deployments.id })
    .from(deploymentEvents)
    .innerJoin(deployments, eq(deployments.id, deploymentEvents.deploymentId))
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
    .where(eq(deployments.modelId, modelId))
    .orderBy(desc(deploymentEvents.at), desc(deploymentEvents.id))
    .limit(limit);
}
