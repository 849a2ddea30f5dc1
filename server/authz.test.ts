// The authorization table: every tRPC procedure and every REST route handler, with its declared floor
// (least role, token scope), checked against the real doors. The lists are discovered (the app
// router's procedures, route.ts files under app/api), so a new procedure or route without an entry
// here fails. Mutations also declare how their audit row is checked: an input builder, or a reason why
// the table does not reach it.
import fs from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  alerts,
  auditLog,
  deployments,
  deploymentTargets,
  environments,
  incidents,
  models,
  oncallRotations,
  sampleFrames,
  signInThrottles,
  teams,
  userSessions,
  webhookAllowlist,
} from "@/db/schema";
import { artifactStore } from "@/server/artifacts";
import { roleAtLeast, ROLES, SCOPE_NAMES, SCOPES, type Actor, type Role, type Scope } from "@/server/auth/roles";
import { provideDatabase } from "@/server/db";
import { createExperiment, createRun } from "@/server/experiments/service";
import { declareIncidentFromAlert } from "@/server/incidents/service";
import { createModel, registerVersion } from "@/server/registry/service";
import { appRouter } from "@/server/routers/_app";
import { saveRunbook } from "@/server/runbooks/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";

// The session door: anonymous unless a test signs a role in. next-auth itself needs a request scope.
const session: { actor: Actor | null } = { actor: null };
vi.mock("@/server/auth/session", () => ({
  getSessionActor: async (requestId?: string) => (session.actor ? { ...session.actor, requestId } : null),
  requirePageActor: async () => session.actor,
}));

let t: TestEnv;
/** Ids made in beforeAll and by earlier builders, for later builders. */
const s: Record<string, string> = {};
let n = 0;
const uniq = (p: string) => `${p}-${++n}`;
const key = () => `authz-key-${++n}`;

// ---------------------------------------------------------------------------------------------
// tRPC procedures

type Build = { input: () => unknown | Promise<unknown>; as?: Role; rows?: number; after?: (result: unknown) => void; why?: string };
type Audit = Build | { skip: string };
type ProcRule = { role: Role; audit?: Audit };
const SKIP = (skip: string) => ({ skip });
const save = (k: string) => (r: unknown) => {
  s[k] = (r as { id: string }).id;
};

/** authz-model as a Backstage Component with the given lifecycle: each import below changes exactly that. */
const authzCatalogYaml = (lifecycle: string) =>
  [
    "apiVersion: backstage.io/v1alpha1",
    "kind: Component",
    "metadata:",
    "  name: authz-model",
    "  annotations:",
    "    sentinel.dev/oncall-rotation: Authz rotation",
    "spec:",
    "  type: ml-model",
    "  owner: authz-team",
    `  lifecycle: ${lifecycle}`,
  ].join("\n");

const PROCEDURES: Record<string, ProcRule> = {
  "admin.audit": { role: "admin" },
  "admin.createUser": {
    role: "admin",
    audit: { input: () => ({ email: `${uniq("u")}@test.local`, role: "viewer", password: "a long password 1" }), after: save("user") },
  },
  "admin.changeRole": { role: "admin", audit: { input: () => ({ userId: s.user, role: "engineer" }) } },
  "admin.setActive": { role: "admin", audit: { input: () => ({ userId: s.user, active: false }) } },
  "admin.tokens": { role: "admin" },
  "admin.signInThrottles": { role: "admin" },
  "admin.unlockSignIn": { role: "admin", audit: { input: () => ({ kind: "account", key: "locked-out@test.local" }) } },
  "sessions.mine": { role: "viewer" },
  // The session is made when the walk reaches it: the role probes above run sessions.endAll, which ends every open one.
  "sessions.end": { role: "viewer", audit: { input: async () => ({ sessionId: await viewerSession() }) } },
  "sessions.endAll": { role: "viewer", audit: { input: () => undefined } },
  "admin.revokeToken": { role: "admin", audit: { input: () => ({ tokenId: s.viewerToken }) } },
  "tokens.mine": { role: "viewer" },
  "tokens.create": { role: "viewer", audit: { input: () => ({ name: uniq("t"), scopes: ["models:read"] }), after: save("ownToken") } },
  "tokens.revoke": { role: "viewer", audit: { input: () => ({ tokenId: s.ownToken }) } },

  "cost.overview": { role: "viewer" },
  "cost.model": { role: "viewer" },
  "cost.previewCsv": { role: "engineer", audit: { input: () => ({ text: "BilledCost\n" }), rows: 0, why: "a dry run changes nothing" } },
  "cost.importCsv": { role: "engineer", audit: { input: () => ({ text: focusCsv("r-trpc") }) } },
  "cost.setBudget": { role: "engineer", audit: { input: () => ({ scope: "team", key: "perception", month: "2026-12", amount: "100" }) } },

  "deployments.list": { role: "viewer" },
  "deployments.get": { role: "viewer" },
  "deployments.targets": { role: "viewer" },
  "deployments.createTarget": {
    role: "admin",
    audit: {
      input: () => ({ slug: uniq("bench"), name: "Bench two", kind: "cloud-online", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } }),
    },
  },
  "deployments.create": { role: "engineer", audit: { input: () => ({ target: "authz-bench", model: "authz-model", version: 1 }), after: save("deployment") } },
  "deployments.promote": {
    role: "engineer",
    audit: { input: async () => ({ deploymentId: s.deployment, revision: await revision(), version: 2, idempotencyKey: key() }) },
  },
  "deployments.rollback": {
    role: "engineer",
    audit: { input: async () => ({ deploymentId: s.deployment, revision: await revision(), version: 1, idempotencyKey: key() }) },
  },
  "deployments.startCanary": {
    role: "engineer",
    audit: { input: async () => ({ deploymentId: s.deployment, revision: await revision(), version: 2, idempotencyKey: key() }) },
  },
  "deployments.pause": { role: "engineer", audit: { input: async () => ({ deploymentId: s.deployment, revision: await revision(), idempotencyKey: key() }) } },
  "deployments.resume": { role: "engineer", audit: { input: async () => ({ deploymentId: s.deployment, revision: await revision(), idempotencyKey: key() }) } },
  "deployments.advance": {
    role: "engineer",
    audit: { input: async () => ({ deploymentId: s.deployment, revision: await revision(), idempotencyKey: key() }) },
  },
  "deployments.abort": { role: "engineer", audit: { input: async () => ({ deploymentId: s.deployment, revision: await revision(), idempotencyKey: key() }) } },
  "deployments.approve": { role: "admin", audit: { input: () => ({ deploymentId: s.deployment, version: 2 }) } },
  "deployments.withdrawApproval": { role: "admin", audit: { input: () => ({ deploymentId: s.deployment, version: 2, reason: "Changed my mind (test)" }) } },
  "deployments.runAnalysis": { role: "engineer", audit: SKIP("needs a canary that has baked with telemetry; covered in server/deployments/rollout.test.ts") },

  "experiments.createExperiment": {
    role: "engineer",
    audit: { input: () => ({ name: uniq("exp") }), after: (r) => (s.experiment = String((r as { id: number }).id)) },
  },
  "experiments.renameExperiment": { role: "engineer", audit: { input: () => ({ experimentId: s.experiment, newName: uniq("renamed") }) } },
  "experiments.archiveExperiment": { role: "engineer", audit: { input: () => ({ experimentId: s.experiment }) } },
  "experiments.restoreExperiment": { role: "engineer", audit: { input: () => ({ experimentId: s.experiment }) } },
  "experiments.setRunTag": { role: "engineer", audit: { input: () => ({ runId: s.run, key: "owner", value: "me" }) } },
  "experiments.deleteRun": { role: "engineer", audit: { input: () => ({ runId: s.run }) } },
  "experiments.restoreRun": { role: "engineer", audit: { input: () => ({ runId: s.run }) } },
  "experiments.registerArtifact": {
    role: "engineer",
    audit: SKIP(
      "needs an artifact logged through the MLflow proxy; the role refusal, the 400 and the one audit row are tested in server/experiments/register-artifact.test.ts",
    ),
  },

  // A frame row made in beforeAll (its image bytes are not needed to rename or delete it).
  "frames.update": { role: "engineer", audit: { input: () => ({ id: s.frame, patch: { name: "Renamed frame" } }) } },
  "frames.delete": { role: "engineer", audit: { input: () => ({ id: s.frame }) } },

  "catalog.list": { role: "viewer" },
  "catalog.get": { role: "viewer" },
  "catalog.team": { role: "viewer" },
  // An admin puts the entry in place: an engineer changes only entries of teams whose rotations list them
  // (server/catalog/service.test.ts); the rotation lists the engineer, so the REST PUT below is theirs to make.
  "catalog.update": {
    role: "engineer",
    audit: {
      as: "admin",
      input: () => ({
        kind: "model",
        name: "authz-model",
        owner: "authz-team",
        rotation: "Authz rotation",
        links: [],
        lifecycle: "experimental",
        dependencies: [],
      }),
    },
  },
  "catalog.exportBackstage": { role: "viewer" },
  "catalog.importBackstage": { role: "engineer", audit: { as: "admin", input: () => ({ yaml: authzCatalogYaml("deprecated") }) } },
  "home.overview": { role: "viewer" },
  "home.search": { role: "viewer" },

  "incidents.declare": { role: "engineer", audit: { input: () => ({ title: "Authz table incident", severity: "sev4" }), after: save("incident") } },
  "incidents.acknowledge": { role: "engineer", audit: { input: () => ({ id: s.systemIncident }) } },
  "incidents.setStatus": { role: "engineer", audit: { input: () => ({ id: s.incident, status: "identified" }) } },
  "incidents.setSeverity": { role: "engineer", audit: { input: () => ({ id: s.incident, severity: "sev3" }) } },
  "incidents.setCommander": { role: "engineer", audit: { input: () => ({ id: s.incident, userId: t.actors.admin.userId }) } },
  "incidents.addNote": { role: "engineer", audit: { input: () => ({ id: s.incident, text: "Looking at it" }) } },
  "incidents.tick": { role: "engineer", audit: { input: () => ({ id: s.systemIncident, item: 0, checked: true }) } },
  "incidents.mitigate": {
    role: "engineer",
    audit: SKIP(
      "needs an incident linked to a deployment (declared from an alert); covered, with its two rows (deployment and incident), in server/incidents/service.test.ts",
    ),
  },
  "incidents.declareFromAlert": { role: "engineer", audit: { input: () => ({ alertId: s.declareAlert }) } },
  "incidents.requestRollback": { role: "viewer", audit: { input: () => ({ deploymentId: s.deployment, alertId: s.declareAlert, note: "Please roll back" }) } },
  "incidents.savePostmortem": { role: "engineer", audit: { input: () => ({ id: s.systemIncident, postmortem: { summary: "What happened" } }) } },
  "incidents.createRotation": {
    role: "admin",
    audit: { input: () => ({ name: "Authz", service: "authz", members: [t.actors.engineer.userId], startsAt: new Date(), periodDays: 7 }) },
  },
  "incidents.addOverride": {
    role: "engineer",
    audit: { input: () => ({ rotationId: s.rotation, userId: t.actors.engineer.userId, startsAt: new Date(), endsAt: new Date(Date.now() + 3_600_000) }) },
  },

  "monitoring.acknowledge": { role: "engineer", audit: { input: () => ({ alertId: s.alert }) } },
  "monitoring.silence": { role: "engineer", audit: { input: () => ({ alertId: s.alert, reason: "Known noise", minutes: 30 }) } },
  "monitoring.unsilence": { role: "engineer", audit: { input: () => ({ alertId: s.alert }) } },
  "monitoring.createMonitor": { role: "engineer", audit: SKIP("needs reference telemetry to freeze; covered in server/monitoring/service.test.ts") },
  "monitoring.createSlo": { role: "engineer", audit: { input: () => ({ model: "authz-model", target: "device", kind: "availability", objective: 0.999 }) } },
  "monitoring.createThresholdRule": {
    role: "engineer",
    audit: {
      input: () => ({ model: "authz-model", metric: "error_rate", op: "above", value: 0.05 }),
      after: (r) => (s.thresholdRule = (r as { id: string }).id),
    },
  },
  "monitoring.disableThresholdRule": { role: "engineer", audit: { input: () => ({ ruleId: s.thresholdRule }) } },
  "monitoring.evaluateNow": { role: "engineer", audit: { input: () => undefined } },
  "monitoring.evaluateModel": { role: "engineer", audit: { input: () => ({ model: "authz-model" }) } },

  "registry.createModel": { role: "engineer", audit: { input: () => ({ slug: uniq("reg"), name: "Reg", team: "perception", task: "classification" }) } },
  "registry.updateVersion": { role: "engineer", audit: { input: () => ({ slug: "authz-model", version: 1, patch: { description: "updated" } }) } },
  "registry.setAlias": { role: "engineer", audit: { input: () => ({ slug: "authz-model", version: 1, alias: "champion" }) } },
  "registry.deleteAlias": { role: "engineer", audit: { input: () => ({ slug: "authz-model", alias: "champion" }) } },
  "registry.makeInt8Variant": {
    role: "engineer",
    audit: SKIP("needs a held ONNX artifact and runs both models; the version row and its audit are covered in server/registry/variants.test.ts"),
  },
  "registry.compareWithParent": {
    role: "engineer",
    audit: SKIP(
      "needs a variant with held files and evaluation frames; the result, its reuse and its audit row are covered in server/registry/variant-comparison.test.ts",
    ),
  },
  "registry.verify": { role: "engineer", audit: SKIP("needs a held artifact; re-hashing is covered in server/registry/rest.test.ts") },

  "runbooks.save": {
    role: "engineer",
    audit: { input: () => ({ title: "Authz runbook", body: "- [ ] step", links: { alertKinds: [], rulePrefixes: [], models: [], services: [] } }) },
  },

  "safety.signOff": { role: "viewer", audit: SKIP("needs the safety_reviewer permission and evaluations; covered in server/safety/service.test.ts") },
  "safety.withdrawSignOff": {
    role: "viewer",
    audit: SKIP("needs a recorded sign-off (reviewer permission and evaluations); the refusals and the audit row are tested in db/seed/signoff-story.test.ts"),
  },
  "safety.saveBatch": { role: "engineer", audit: SKIP("needs frames with ground truth; covered in server/safety/batch.test.ts") },
  "safety.grant": { role: "admin", audit: { input: () => ({ userId: t.actors.viewer.userId, permission: "safety_reviewer" }) } },
  "safety.revoke": { role: "admin", audit: { input: () => ({ userId: t.actors.viewer.userId, permission: "safety_reviewer" }) } },

  // The SSRF guard lets an allow-listed address through (set up in beforeAll); port 9 refuses, so the test send fails fast.
  "webhooks.create": {
    role: "admin",
    audit: {
      input: () => ({ name: "Authz hook", url: "http://127.0.0.1:9/hook", format: "generic" }),
      after: (r) => (s.webhook = (r as { target: { id: string } }).target.id),
    },
  },
  "webhooks.update": { role: "admin", audit: { input: () => ({ id: s.webhook, name: "Authz hook renamed" }) } },
  "webhooks.rotateSecret": { role: "admin", audit: { input: () => ({ id: s.webhook }) } },
  "webhooks.sendTest": { role: "admin", audit: { input: () => ({ id: s.webhook }) } },
  "webhooks.remove": { role: "admin", audit: { input: () => ({ id: s.webhook }) } },
  "webhooks.allow": { role: "admin", audit: { input: () => ({ entry: "10.9.8.0/24", note: "lab" }), after: save("allow") } },
  "webhooks.disallow": { role: "admin", audit: { input: () => ({ id: s.allow }) } },
  "webhooks.setResponseRule": {
    role: "engineer",
    audit: { input: () => ({ model: "authz-model", alertKind: "slo", response: "pause-rollout" }), after: save("responseRule") },
  },
  "webhooks.deleteResponseRule": { role: "engineer", audit: { input: () => ({ id: s.responseRule }) } },
  // Queries.
  "admin.users": { role: "admin" },
  "deployments.oncall": { role: "viewer" },
  "deployments.oncallModels": { role: "viewer" },
  "experiments.experiment": { role: "viewer" },
  "experiments.getRun": { role: "viewer" },
  "experiments.listExperiments": { role: "viewer" },
  "experiments.metricKeys": { role: "viewer" },
  "experiments.metricSeries": { role: "viewer" },
  "experiments.paramKeys": { role: "viewer" },
  "experiments.runGroups": { role: "viewer" },
  "experiments.searchRuns": { role: "viewer" },
  "experiments.tagKeys": { role: "viewer" },
  "frames.get": { role: "viewer" },
  "frames.list": { role: "viewer" },
  "frames.tags": { role: "viewer" },
  "experiments.runArtifacts": { role: "viewer" },
  "experiments.artifactPreview": { role: "viewer" },
  "incidents.commanders": { role: "viewer" },
  "incidents.get": { role: "viewer" },
  "incidents.list": { role: "viewer" },
  "incidents.oncall": { role: "viewer" },
  "incidents.rotations": { role: "viewer" },
  "monitoring.alerts": { role: "viewer" },
  "monitoring.model": { role: "viewer" },
  "monitoring.overview": { role: "viewer" },
  "playground.catalogue": { role: "viewer" },
  "playground.forVersion": { role: "viewer" },
  "registry.compare": { role: "viewer" },
  "registry.list": { role: "viewer" },
  "registry.model": { role: "viewer" },
  "registry.variantComparison": { role: "viewer" },
  "registry.version": { role: "viewer" },
  "registry.versionHistory": { role: "viewer" },
  "releases.list": { role: "viewer" },
  "releases.version": { role: "viewer" },
  "runbooks.diff": { role: "viewer" },
  "runbooks.get": { role: "viewer" },
  "runbooks.list": { role: "viewer" },
  "safety.latestSignOff": { role: "viewer" },
  "safety.myPermissions": { role: "viewer" },
  "safety.overview": { role: "viewer" },
  "safety.review": { role: "viewer" },
  "safety.reviewers": { role: "admin" },
  "safety.signOffs": { role: "viewer" },
  "lineage.graph": { role: "viewer" },
  "lineage.impact": { role: "viewer" },
  "sweeps.forRun": { role: "viewer" },
  "sweeps.get": { role: "viewer" },
  "sweeps.list": { role: "viewer" },
  "webhooks.alertRouting": { role: "viewer" },
  "webhooks.allowlist": { role: "admin" },
  "webhooks.deliveries": { role: "admin" },
  "webhooks.responseRules": { role: "viewer" },
  "webhooks.targets": { role: "admin" },
};

/** A one-row FOCUS cost file for `resource`. */
const focusCsv = (resource: string) =>
  "BilledCost,EffectiveCost,ChargePeriodStart,ChargePeriodEnd,ServiceName,ResourceId,Tags\n" +
  `1.01,1.01,2025-06-01T00:00:00Z,2025-06-01T23:59:59Z,SageMaker,${resource},"{""model"":""authz-model"",""version"":""1"",""environment"":""cloud-prod"",""resource_kind"":""gpu_hours""}"\n`;

async function viewerSession(): Promise<string> {
  const [own] = await t.db
    .insert(userSessions)
    .values({ userId: t.actors.viewer.userId, method: "password", expiresAt: new Date(Date.now() + 3_600_000) })
    .returning();
  return own.id;
}

async function revision(): Promise<number> {
  const [d] = await t.db.select({ revision: deployments.revision }).from(deployments).where(eq(deployments.id, s.deployment));
  return d.revision;
}

/** "query" or "mutation", read from the flattened procedure record tRPC keeps on the router. */
function procedureType(p: string): unknown {
  const procs: Record<string, unknown> = appRouter._def.procedures;
  const proc = procs[p];
  return typeof proc === "function" && "_def" in proc && typeof proc._def === "object" && proc._def && "type" in proc._def ? proc._def.type : undefined;
}

const ROLE_NEEDED = /^This needs the (viewer|engineer|admin) role/;
const below = (r: Role): Role | null => (r === "viewer" ? null : ROLES[ROLES.indexOf(r) - 1]);

type Callable = (input: unknown) => Promise<unknown>;
function procedureOf(role: Role | null, p: string): Callable {
  // Walk the caller proxy by path segments, e.g. caller.admin.audit.
  let node: unknown = t.caller(role);
  for (const part of p.split(".")) node = (node as Record<string, unknown>)[part];
  return node as Callable;
}
async function errorOf(p: Promise<unknown>): Promise<TRPCError | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
}
const auditRows = async () => (await t.db.select({ n: count() }).from(auditLog))[0].n;

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const eng = t.actors.engineer;
  await createModel(t.db, eng, { slug: "authz-model", name: "Authz model", team: "perception", task: "classification" });
  await t.db.insert(teams).values({ slug: "authz-team", name: "Authz team" });
  await t.db
    .insert(oncallRotations)
    .values({ name: "Authz rotation", service: "authz-team", members: [eng.userId], startsAt: new Date("2026-01-05T00:00:00Z") });
  for (const v of [1, 2])
    await registerVersion(t.db, artifactStore, eng, "authz-model", {
      status: "approved",
      contract: { minOnnxRuntime: "1.16", maxOpset: 17, deviceClasses: [] },
      artifactUri: `s3://bucket/authz/${v}.onnx`,
    });
  await t.db.insert(environments).values([{ key: "staging", name: "Staging", rank: 1, protected: false }]);
  await t.db
    .insert(deploymentTargets)
    .values({ slug: "authz-bench", name: "Authz bench", kind: "cloud-online", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } });
  const exp = await createExperiment(t.db, eng, { name: "authz-runs" });
  s.run = (await createRun(t.db, eng, { experimentId: String(exp.id) })).info.runId;
  s.viewerToken = (await createToken(t.db, t.actors.viewer, { name: "viewer-token", scopes: ["models:read"] })).id;
  // State the mutations below need: firing alerts, an unacknowledged incident the system declared (with a runbook
  // checklist), a rotation and a sign-in lock.
  const [model] = await t.db.select({ id: models.id }).from(models).where(eq(models.slug, "authz-model"));
  const firing = (subject: string) => ({
    ruleKey: "authz:rule",
    subject,
    kind: "slo",
    severity: "page",
    modelId: model.id,
    title: `Authz alert ${subject}`,
    state: "firing" as const,
    startedAt: new Date(),
    firingAt: new Date(),
    lastEvaluatedAt: new Date(),
  });
  const [a1, a2, a3] = await t.db
    .insert(alerts)
    .values([firing("one"), firing("two"), firing("three")])
    .returning({ id: alerts.id });
  s.alert = a1.id;
  s.declareAlert = a2.id;
  const book = await saveRunbook(t.db, eng, {
    title: "Authz checklist",
    body: "- [ ] Look at the dashboard",
    links: { alertKinds: [], rulePrefixes: [], models: [], services: [] },
  });
  const declared = await declareIncidentFromAlert(t.db, a3.id, null);
  await t.db.update(incidents).set({ runbookId: book.id }).where(eq(incidents.id, declared.id));
  s.systemIncident = declared.id;
  const [rotation] = await t.db
    .insert(oncallRotations)
    .values({ name: "Authz on call", service: "authz-oncall", members: [eng.userId], startsAt: new Date(Date.now() - 86_400_000), periodDays: 7 })
    .returning();
  s.rotation = rotation.id;
  const [frame] = await t.db
    .insert(sampleFrames)
    .values({ name: "Authz frame", sha256: "0".repeat(64), mediaType: "image/png", width: 4, height: 4, sizeBytes: 10, source: "test" })
    .returning();
  s.frame = frame.id;
  const [restFrame] = await t.db
    .insert(sampleFrames)
    .values({ name: "Authz REST frame", sha256: "1".repeat(64), mediaType: "image/png", width: 4, height: 4, sizeBytes: 10, source: "test" })
    .returning();
  s.restFrame = restFrame.id;
  await t.db.insert(webhookAllowlist).values({ entry: "127.0.0.1", note: "authz table receiver" });
  await t.db
    .insert(signInThrottles)
    .values({ kind: "account", key: "locked-out@test.local", failures: 5, lastFailureAt: new Date(), lockedUntil: new Date(Date.now() + 600_000) });
});
afterAll(async () => {
  await t?.close();
});

describe("tRPC procedures", () => {
  const discovered = Object.keys(appRouter._def.procedures).sort();

  it("has exactly one table entry per procedure, and an audit entry for every mutation", () => {
    expect(Object.keys(PROCEDURES).sort()).toEqual(discovered);
    const mutations = discovered.filter((p) => procedureType(p) === "mutation");
    expect(mutations.filter((p) => !PROCEDURES[p].audit)).toEqual([]);
    expect(discovered.filter((p) => procedureType(p) !== "mutation" && PROCEDURES[p].audit)).toEqual([]);
  });

  it.each(discovered)("%s: anonymous refused, the role below the floor refused, the floor let through", async (p) => {
    const rule = PROCEDURES[p];
    expect((await errorOf(procedureOf(null, p)(undefined)))?.code).toBe("UNAUTHORIZED");
    const lower = below(rule.role);
    if (lower) {
      const e = await errorOf(procedureOf(lower, p)(undefined));
      expect(e?.code).toBe("FORBIDDEN");
      expect(e?.message).toMatch(ROLE_NEEDED);
    }
    // At the floor the role check passes; an empty input then fails validation or runs. Mutations are
    // only probed with an empty input, which they refuse (evaluateNow, which takes none, runs).
    const e = await errorOf(procedureOf(rule.role, p)(undefined));
    expect(e?.code).not.toBe("UNAUTHORIZED");
    expect(e?.message ?? "").not.toMatch(ROLE_NEEDED);
  });

  const reachable = Object.entries(PROCEDURES).filter((e): e is [string, { role: Role; audit: Build }] => !!e[1].audit && "input" in e[1].audit);
  it.each(reachable.map(([p]) => p))("%s: one audit row per successful call", async (p) => {
    const rule = PROCEDURES[p] as { role: Role; audit: Build };
    const before = await auditRows();
    const result = await procedureOf(rule.audit.as ?? rule.role, p)(await rule.audit.input());
    rule.audit.after?.(result);
    expect(await auditRows()).toBe(before + (rule.audit.rows ?? 1));
  });
});

// ---------------------------------------------------------------------------------------------
// REST route handlers

/** `scope: null`: any signed-in caller (session or token). `open`: not behind rest(); how it is protected. */
type RestRule = { scope: Scope | null; role?: Role } | { open: string; anonymous: number };
const ROUTES: Record<string, RestRule> = {
  "GET /api/2.0/mlflow/[...path]": { open: "the MLflow door: a scope per MLflow endpoint (server/mlflow/door.test.ts); anonymous is 401", anonymous: 401 },
  "POST /api/2.0/mlflow/[...path]": { open: "as GET", anonymous: 401 },
  "PATCH /api/2.0/mlflow/[...path]": { open: "as GET", anonymous: 401 },
  "DELETE /api/2.0/mlflow/[...path]": { open: "as GET", anonymous: 401 },
  "GET /api/auth/[...nextauth]": { open: "next-auth's own endpoints (sign-in, session, CSRF)", anonymous: -1 },
  "POST /api/auth/[...nextauth]": { open: "next-auth's own endpoints (sign-in, session, CSRF)", anonymous: -1 },
  "GET /api/health": { open: "public liveness for load balancers; says nothing but status", anonymous: 200 },
  "GET /api/metrics": { open: "bearer token (METRICS_TOKEN or an API token) or loopback; a remote anonymous caller is 401", anonymous: -1 },
  "GET /api/trpc/[trpc]": { open: "the tRPC door: every procedure is in the table above", anonymous: -1 },
  "POST /api/trpc/[trpc]": { open: "the tRPC door: every procedure is in the table above", anonymous: -1 },
  "GET /api/v1/openapi.json": { open: "public API description", anonymous: 200 },
  "POST /api/v1/costs/csv": { scope: "cost:write" },
  "GET /api/v1/costs/export": { scope: "models:read" },
  "POST /api/v1/costs": { scope: "cost:write" },
  "POST /api/v1/deployments/[id]/actions": { scope: "deploy:write" },
  "POST /api/v1/deployments/[id]/analyses": { scope: "deploy:write" },
  "GET /api/v1/deployments/[id]": { scope: "deploy:read" },
  "GET /api/v1/deployments": { scope: "deploy:read" },
  "POST /api/v1/deployments": { scope: "deploy:write" },
  "POST /api/v1/devices/[id]/credentials": { scope: "devices:write" },
  "GET /api/v1/devices/[id]/manifest": { scope: "deploy:read" },
  "POST /api/v1/devices/[id]/reports": { scope: "deploy:read" },
  "POST /api/v1/evaluations": { scope: "evals:write" },
  "GET /api/v1/experiments": { scope: "runs:read" },
  "POST /api/v1/experiments": { scope: "runs:write" },
  "GET /api/v1/frames/[id]/image": { scope: "models:read" },
  "GET /api/v1/frames/[id]": { scope: "models:read" },
  "PATCH /api/v1/frames/[id]": { scope: "frames:write" },
  "DELETE /api/v1/frames/[id]": { scope: "frames:write" },
  "GET /api/v1/frames": { scope: "models:read" },
  "POST /api/v1/frames": { scope: "frames:write" },
  "POST /api/v1/infer/[deployment]": { scope: "models:read" },
  "GET /api/v1/me": { scope: null },
  "GET /api/v1/models/[slug]/aliases/[alias]": { scope: "models:read" },
  "PUT /api/v1/models/[slug]/aliases/[alias]": { scope: "models:write" },
  "DELETE /api/v1/models/[slug]/aliases/[alias]": { scope: "models:write" },
  "GET /api/v1/models/[slug]": { scope: "models:read" },
  "PATCH /api/v1/models/[slug]": { scope: "models:write" },
  "GET /api/v1/models/[slug]/versions/[n]/artifact": { scope: "models:read" },
  "GET /api/v1/models/[slug]/versions/[n]": { scope: "models:read" },
  "PATCH /api/v1/models/[slug]/versions/[n]": { scope: "models:write" },
  "POST /api/v1/models/[slug]/versions/[n]/int8-variant": { scope: "models:write" },
  "GET /api/v1/models/[slug]/versions/[n]/comparison": { scope: "models:read" },
  "POST /api/v1/models/[slug]/versions/[n]/comparison": { scope: "models:write" },
  "POST /api/v1/models/[slug]/versions/[n]/verify": { scope: "models:write" },
  "GET /api/v1/models/[slug]/versions": { scope: "models:read" },
  "POST /api/v1/models/[slug]/versions": { scope: "models:write" },
  "GET /api/v1/models": { scope: "models:read" },
  "POST /api/v1/models": { scope: "models:write" },
  "POST /api/v1/runs/[runId]/batch": { scope: "runs:write" },
  "GET /api/v1/runs/[runId]/metrics/[key]": { scope: "runs:read" },
  "GET /api/v1/runs/[runId]": { scope: "runs:read" },
  "PATCH /api/v1/runs/[runId]": { scope: "runs:write" },
  "POST /api/v1/runs": { scope: "runs:write" },
  "POST /api/v1/runs/search": { scope: "runs:read" },
  "GET /api/v1/releases": { scope: "models:read" },
  "GET /api/v1/safety/overview/csv": { scope: "models:read" },
  "GET /api/v1/sweeps/[id]": { scope: "runs:read" },
  "GET /api/v1/lineage": { scope: "models:read" },
  "GET /api/v1/catalog": { scope: "models:read" },
  "GET /api/v1/catalog/backstage": { scope: "models:read" },
  "POST /api/v1/catalog/backstage": { scope: "models:write" },
  "GET /api/v1/catalog/[kind]/[name]": { scope: "models:read" },
  "PUT /api/v1/catalog/[kind]/[name]": { scope: "models:write" },
  "GET /api/v1/lineage/impact": { scope: "models:read" },
  "GET /api/v1/lineage/openlineage": { scope: "runs:read" },
  "GET /api/v1/safety/review/[slug]/csv": { scope: "models:read" },
  "GET /api/v1/targets/[slug]/devices": { scope: "deploy:read" },
  "POST /api/v1/targets": { scope: "deploy:write", role: "admin" },
  "GET /api/v1/telemetry/buckets": { scope: "telemetry:read" },
  "POST /api/v1/telemetry/summaries": { scope: "telemetry:write" },
  "GET /api/v1/tokens": { scope: "tokens:read" },
  "POST /api/v1/tokens": { scope: "tokens:write" },
  "DELETE /api/v1/tokens/[id]": { scope: "tokens:write" },
  "GET /api/v1/alerts": { scope: "alerts:read" },
  "POST /api/v1/integrations/alertmanager": { scope: "alerts:write" },
  "GET /api/v1/incidents": { scope: "incidents:read" },
  "POST /api/v1/incidents": { scope: "incidents:write" },
  "GET /api/v1/incidents/[id]": { scope: "incidents:read" },
  "PATCH /api/v1/incidents/[id]": { scope: "incidents:write" },
  "POST /api/v1/incidents/[id]/mitigations": { scope: "incidents:write" },
  "GET /api/v1/runs/[runId]/artifacts/[...path]": { scope: "runs:read" },
  "GET /ajax-api/2.0/mlflow/[...path]": {
    open: "MLflow's UI door: the same scopes per endpoint as /api/2.0/mlflow (server/mlflow/extra.test.ts)",
    anonymous: 401,
  },
  "POST /ajax-api/2.0/mlflow/[...path]": { open: "as GET", anonymous: 401 },
  "PUT /ajax-api/2.0/mlflow/[...path]": {
    open: "no MLflow UI endpoint takes PUT: 405 ENDPOINT_NOT_FOUND before anything else, as MLflow answers",
    anonymous: 405,
  },
  "PATCH /ajax-api/2.0/mlflow/[...path]": { open: "as GET", anonymous: 401 },
  "DELETE /ajax-api/2.0/mlflow/[...path]": { open: "as GET", anonymous: 401 },
  "GET /api/2.0/mlflow-artifacts/artifacts/[[...path]]": {
    open: "MLflow's artifact proxy: runs:read to read, runs:write to change (server/mlflow/extra.test.ts)",
    anonymous: 401,
  },
  "PUT /api/2.0/mlflow-artifacts/artifacts/[[...path]]": { open: "as GET", anonymous: 401 },
  "POST /api/2.0/mlflow-artifacts/artifacts/[[...path]]": { open: "the proxy takes no POST: 405 ENDPOINT_NOT_FOUND, as MLflow answers", anonymous: 405 },
  "DELETE /api/2.0/mlflow-artifacts/artifacts/[[...path]]": { open: "as GET", anonymous: 401 },
  "POST /api/2.0/mlflow-artifacts/mpu/create/[...path]": {
    open: "MLflow's multipart upload: runs:write, then 501 NOT_IMPLEMENTED as MLflow's local store answers (server/mlflow/extra.test.ts)",
    anonymous: 401,
  },
  "GET /api/2.0/mlflow-artifacts/mpu/create/[...path]": { open: "POST only: 405 ENDPOINT_NOT_FOUND, as MLflow answers", anonymous: 405 },
  "POST /api/2.0/mlflow-artifacts/mpu/complete/[...path]": {
    open: "MLflow's multipart upload: runs:write, then 501 NOT_IMPLEMENTED as MLflow's local store answers (server/mlflow/extra.test.ts)",
    anonymous: 401,
  },
  "GET /api/2.0/mlflow-artifacts/mpu/complete/[...path]": { open: "POST only: 405 ENDPOINT_NOT_FOUND, as MLflow answers", anonymous: 405 },
  "POST /api/2.0/mlflow-artifacts/mpu/abort/[...path]": {
    open: "MLflow's multipart upload: runs:write, then 501 NOT_IMPLEMENTED as MLflow's local store answers (server/mlflow/extra.test.ts)",
    anonymous: 401,
  },
  "GET /api/2.0/mlflow-artifacts/mpu/abort/[...path]": { open: "POST only: 405 ENDPOINT_NOT_FOUND, as MLflow answers", anonymous: 405 },
  "GET /get-artifact": { open: "MLflow's artifact download for its UI: runs:read (server/mlflow/extra.test.ts)", anonymous: 401 },
  "POST /get-artifact": { open: "GET only: 405 ENDPOINT_NOT_FOUND, as MLflow answers", anonymous: 405 },
};

/**
 * Audit rows per REST write: a request that succeeds (`url` with its params, `body`, made with a token of the floor
 * holding the route's scope) and the rows it must add; or why the table does not reach it. Walked in this order.
 */
type RestWrite =
  | {
      url: () => string;
      params: () => Record<string, string>;
      body?: () => unknown;
      raw?: () => string;
      rows?: number;
      why?: string;
      after?: (json: unknown) => void;
    }
  | { skip: string };
const REST_WRITES: Record<string, RestWrite> = {
  "POST /api/v1/experiments": {
    url: () => "/api/v1/experiments",
    params: () => ({}),
    body: () => ({ name: uniq("rest-exp") }),
    after: (j) => (s.restExperiment = String((j as { id: string | number }).id)),
  },
  "POST /api/v1/runs": {
    url: () => "/api/v1/runs",
    params: () => ({}),
    body: () => ({ experimentId: s.restExperiment }),
    after: (j) => (s.restRun = (j as { info: { runId: string } }).info.runId),
  },
  "POST /api/v1/runs/[runId]/batch": {
    url: () => `/api/v1/runs/${s.restRun}/batch`,
    params: () => ({ runId: s.restRun }),
    body: () => ({ params: [{ key: "lr", value: "0.01" }] }),
  },
  "PATCH /api/v1/runs/[runId]": { url: () => `/api/v1/runs/${s.restRun}`, params: () => ({ runId: s.restRun }), body: () => ({ status: "FINISHED" }) },
  "POST /api/v1/runs/search": { url: () => "/api/v1/runs/search", params: () => ({}), body: () => ({}), rows: 0, why: "a search changes nothing" },
  "POST /api/v1/models": {
    url: () => "/api/v1/models",
    params: () => ({}),
    body: () => ({ slug: "authz-rest", name: "Authz REST", team: "perception", task: "classification" }),
  },
  "PATCH /api/v1/models/[slug]": {
    url: () => "/api/v1/models/authz-rest",
    params: () => ({ slug: "authz-rest" }),
    body: () => ({ description: "patched over REST" }),
  },
  "PATCH /api/v1/models/[slug]/versions/[n]": {
    url: () => "/api/v1/models/authz-model/versions/1",
    params: () => ({ slug: "authz-model", n: "1" }),
    body: () => ({ description: "patched over REST" }),
  },
  "PUT /api/v1/models/[slug]/aliases/[alias]": {
    url: () => "/api/v1/models/authz-model/aliases/rest-alias",
    params: () => ({ slug: "authz-model", alias: "rest-alias" }),
    body: () => ({ version: 1 }),
  },
  "PUT /api/v1/catalog/[kind]/[name]": {
    url: () => "/api/v1/catalog/model/authz-model",
    params: () => ({ kind: "model", name: "authz-model" }),
    body: () => ({ owner: "authz-team", rotation: "Authz rotation", links: [], lifecycle: "production", dependencies: [{ runtime: "onnxruntime 1.20" }] }),
  },
  "POST /api/v1/catalog/backstage": { url: () => "/api/v1/catalog/backstage", params: () => ({}), body: () => ({ yaml: authzCatalogYaml("experimental") }) },
  "DELETE /api/v1/models/[slug]/aliases/[alias]": {
    url: () => "/api/v1/models/authz-model/aliases/rest-alias",
    params: () => ({ slug: "authz-model", alias: "rest-alias" }),
  },
  "POST /api/v1/targets": {
    url: () => "/api/v1/targets",
    params: () => ({}),
    body: () => ({
      slug: "authz-rest-bench",
      name: "Authz REST bench",
      kind: "cloud-online",
      environment: "staging",
      runtime: { onnxRuntime: "1.17", maxOpset: 17 },
    }),
  },
  "POST /api/v1/deployments": {
    url: () => "/api/v1/deployments",
    params: () => ({}),
    body: () => ({ target: "authz-rest-bench", model: "authz-model", version: 1 }),
  },
  "POST /api/v1/tokens": {
    url: () => "/api/v1/tokens",
    params: () => ({}),
    body: () => ({ name: uniq("rest-token"), scopes: ["tokens:write"] }),
    after: (j) => (s.restToken = (j as { id: string }).id),
  },
  "DELETE /api/v1/tokens/[id]": { url: () => `/api/v1/tokens/${s.restToken}`, params: () => ({ id: s.restToken }) },
  "POST /api/v1/incidents": {
    url: () => "/api/v1/incidents",
    params: () => ({}),
    body: () => ({ title: "Authz REST incident", severity: "sev4" }),
    after: (j) => (s.restIncident = (j as { id: string }).id),
  },
  "PATCH /api/v1/incidents/[id]": {
    url: () => `/api/v1/incidents/${s.restIncident}`,
    params: () => ({ id: s.restIncident }),
    body: () => ({ note: "Noted over REST" }),
  },
  "POST /api/v1/costs/csv": { url: () => "/api/v1/costs/csv", params: () => ({}), raw: () => focusCsv("r-rest") },
  "POST /api/v1/costs": { skip: "cost rows in bulk; their audit is tested in server/cost/service.test.ts" },
  "POST /api/v1/deployments/[id]/actions": { skip: "the same service as the tRPC deployment actions walked above" },
  "POST /api/v1/deployments/[id]/analyses": { skip: "needs a canary that has baked with telemetry; covered in server/deployments/rollout.test.ts" },
  "POST /api/v1/devices/[id]/credentials": { skip: "needs a device of a fleet; minting and its audit row are tested in server/deployments/devices.test.ts" },
  "POST /api/v1/devices/[id]/reports": { skip: "a device's own reports are audited once per device and hour (server/deployments/devices.test.ts)" },
  "POST /api/v1/evaluations": { skip: "needs a dataset and per-event counts; covered in server/safety/service.test.ts" },
  "POST /api/v1/frames": { skip: "needs an image upload; frame writes are audited in server/frames/service.test.ts" },
  "PATCH /api/v1/frames/[id]": { url: () => `/api/v1/frames/${s.restFrame}`, params: () => ({ id: s.restFrame }), body: () => ({ name: "Renamed over REST" }) },
  "DELETE /api/v1/frames/[id]": { url: () => `/api/v1/frames/${s.restFrame}`, params: () => ({ id: s.restFrame }) },
  "POST /api/v1/infer/[deployment]": { skip: "needs an ONNX artifact in the store; inference writes nothing (server/deployments/adapters/local-onnx.test.ts)" },
  "POST /api/v1/models/[slug]/versions": { skip: "multipart ONNX upload; covered in server/registry/rest.test.ts" },
  "POST /api/v1/models/[slug]/versions/[n]/int8-variant": {
    skip: "needs a held ONNX artifact; the version row and its audit are covered in server/registry/variants.test.ts",
  },
  "POST /api/v1/models/[slug]/versions/[n]/comparison": {
    skip: "needs a variant with held files and evaluation frames; the stored result and its audit row are covered in server/registry/variant-comparison.test.ts",
  },
  "POST /api/v1/models/[slug]/versions/[n]/verify": { skip: "needs a held artifact; re-hashing is covered in server/registry/rest.test.ts" },
  "POST /api/v1/telemetry/summaries": { skip: "pre-aggregated windows; their audit is tested in server/monitoring/service.test.ts" },
  "POST /api/v1/integrations/alertmanager": { skip: "an Alertmanager v4 payload; covered in server/monitoring/alerts-rest.test.ts" },
  "POST /api/v1/incidents/[id]/mitigations": { skip: "needs a deployment with a rollback target; its rows are counted in server/incidents/rest.test.ts" },
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
// Every route handler in the app, not only under /api: MLflow's doors also live at /ajax-api and /get-artifact.
const APP = path.join(process.cwd(), "app");
function routeFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : []));
}
type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Route = { key: string; pattern: string; method: string; handler: Handler };
async function discoverRoutes(): Promise<Route[]> {
  const out: Route[] = [];
  for (const file of routeFiles(APP)) {
    const pattern =
      "/" +
      path
        .relative(process.cwd(), path.dirname(file))
        .replace(/^app\//, "")
        .split(path.sep)
        .join("/");
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const m of METHODS) if (typeof mod[m] === "function") out.push({ key: `${m} ${pattern}`, pattern, method: m, handler: mod[m] as Handler });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}
/** A syntactically valid value per dynamic segment: the route's own checks then answer 400 or 404. */
const MLFLOW_PATH: Record<string, string> = {
  GET: "experiments/get",
  POST: "experiments/create",
  PATCH: "registered-models/update",
  DELETE: "registered-models/delete",
};
const PARAM = (name: string, method: string): string =>
  name === "slug"
    ? "no-such-model"
    : name === "n"
      ? "1"
      : name === "alias"
        ? "production"
        : name === "key"
          ? "loss"
          : name === "path"
            ? (MLFLOW_PATH[method] ?? "experiments/get")
            : name === "runId"
              ? "0".repeat(32)
              : "00000000-0000-4000-8000-000000000000";
function call(r: Route, auth: string | null) {
  const segments = [...r.pattern.matchAll(/\[?\[(\.\.\.)?(\w+)\]\]?/g)];
  const params = Object.fromEntries(segments.map((m) => [m[2], m[1] ? PARAM(m[2], r.method).split("/") : PARAM(m[2], r.method)]));
  const url = "http://portal.test" + r.pattern.replace(/\[?\[(?:\.\.\.)?(\w+)\]\]?/g, (_x, k: string) => PARAM(k, r.method));
  const hasBody = r.method !== "GET" && r.method !== "DELETE";
  const req = new Request(url, {
    method: r.method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(hasBody ? { "content-type": "application/json" } : {}) },
    body: hasBody ? "{}" : undefined,
  });
  return r.handler(req, { params: Promise.resolve(params) });
}
/** A token holding exactly `scopes`, owned by a user of `role`. */
const tokenFor = async (role: Role, scopes: Scope[]) => (await createToken(t.db, t.actors[role], { name: uniq("authz"), scopes })).token;
const floorOf = (rule: { scope: Scope | null; role?: Role }): Role => {
  const a = rule.role ?? "viewer";
  const b = rule.scope ? SCOPES[rule.scope] : "viewer";
  return roleAtLeast(a, b) ? a : b;
};

describe("REST routes", () => {
  let routes: Route[] = [];
  beforeAll(async () => {
    routes = await discoverRoutes();
  });

  it("has exactly one table entry per exported handler", () => {
    expect(Object.keys(ROUTES).sort()).toEqual(routes.map((r) => r.key));
  });

  it("refuses anonymous callers, tokens without the scope and roles below the floor; lets the floor through", async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const rule = ROUTES[r.key];
      if (!rule) continue;
      session.actor = null;
      if ("open" in rule) {
        if (rule.anonymous !== -1) {
          const res = await call(r, null);
          if (res.status !== rule.anonymous) failures.push(`${r.key}: anonymous got ${res.status}, want ${rule.anonymous}`);
        }
        continue;
      }
      const anon = await call(r, null);
      if (anon.status !== 401) failures.push(`${r.key}: anonymous got ${anon.status}`);
      const floor = floorOf(rule);
      if (rule.scope) {
        // Every scope but the declared one, held by an admin: still refused.
        const others = await tokenFor(
          "admin",
          SCOPE_NAMES.filter((x) => x !== rule.scope && x !== "admin"),
        );
        const res = await call(r, others);
        if (res.status !== 403) failures.push(`${r.key}: a token without ${rule.scope} got ${res.status}`);
      }
      const lower = below(floor);
      if (lower) {
        session.actor = t.actors[lower];
        const res = await call(r, null);
        if (res.status !== 403) failures.push(`${r.key}: a ${lower}'s session got ${res.status}`);
        session.actor = null;
      }
      // The floor: a token with only the declared scope (or the floor's session when no scope is declared).
      let res: Response;
      if (rule.scope) res = await call(r, await tokenFor(floor, [rule.scope]));
      else {
        session.actor = t.actors[floor];
        res = await call(r, null);
        session.actor = null;
      }
      if (res.status === 401 || res.status === 403)
        failures.push(`${r.key}: the floor (${floor}${rule.scope ? `, ${rule.scope}` : ""}) got ${res.status}: ${await res.text()}`);
    }
    expect(failures).toEqual([]);
  });

  it("has an audit entry for every write (POST, PUT, PATCH, DELETE) behind rest()", () => {
    const writes = routes.filter((r) => r.method !== "GET" && !("open" in (ROUTES[r.key] ?? { open: "" }))).map((r) => r.key);
    expect(Object.keys(REST_WRITES).sort()).toEqual([...writes].sort());
  });

  it("writes exactly the audit rows each REST write declares", async () => {
    const failures: string[] = [];
    for (const [k, w] of Object.entries(REST_WRITES)) {
      if ("skip" in w) continue;
      const r = routes.find((x) => x.key === k)!;
      const rule = ROUTES[k] as { scope: Scope; role?: Role };
      const token = await tokenFor(floorOf(rule), [rule.scope]);
      const before = await auditRows();
      const body = w.raw ? w.raw() : w.body ? JSON.stringify(w.body()) : undefined;
      const req = new Request(`http://portal.test${w.url()}`, {
        method: r.method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": w.raw ? "text/csv" : "application/json" }) },
        body,
      });
      const res = await r.handler(req, { params: Promise.resolve(w.params()) });
      const text = await res.text();
      if (res.status >= 300) {
        failures.push(`${k}: ${res.status} ${text.slice(0, 200)}`);
        continue;
      }
      w.after?.(text ? JSON.parse(text) : null);
      // Minting a token above wrote its own row: count from after it.
      const added = (await auditRows()) - before;
      if (added !== (w.rows ?? 1)) failures.push(`${k}: ${added} audit rows, want ${w.rows ?? 1}`);
    }
    expect(failures).toEqual([]);
  });
});
