// Mitigating from an alert through the real tRPC door: the deployment policy (on call / commander / admin), the incident it
// declares or reuses, the timeline, the audit rows, the admins' notifications, and a rollback request.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alerts,
  auditLog,
  deployments,
  deploymentTargets,
  deviceModelStates,
  devices,
  environments,
  incidents,
  modelVersions,
  notifications,
  oncallRotations,
} from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import type { Actor } from "@/server/auth/roles";
import { createUser } from "@/server/auth/users";
import { bucketOf } from "@/server/deployments/cohort";
import { createModel, registerVersion } from "@/server/registry/service";
import { createCaller } from "@/server/routers/_app";
import { codeOf, setupTestEnv, TEST_PASSWORD, type TestEnv } from "@/server/test-utils";

let t: TestEnv;
let offCall: Actor;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-mitigation-"));
const ids = { model: "", deployment: "", alert: "" };
let n = 0;
const key = () => `mitigation-key-${++n}`;

const as = (a: Actor) => createCaller({ db: t.db, actor: a, requestId: "test" });

beforeAll(async () => {
  t = await setupTestEnv();
  const store = new LocalArtifactStore(root);
  const eng = t.actors.engineer;
  const u = await createUser(t.db, null, { email: "offcall@test.local", role: "engineer", password: TEST_PASSWORD });
  offCall = { userId: u.id, email: u.email, role: "engineer", requestId: "test-offcall" };
  const model = await createModel(t.db, eng, { slug: "fcw-test", name: "FCW test", team: "perception", task: "detection" });
  ids.model = model.id;
  for (const v of [1, 2]) await registerVersion(t.db, store, eng, "fcw-test", { status: "approved", artifactUri: `s3://bucket/fcw/${v}.onnx` });
  await t.db.insert(environments).values({ key: "production", name: "Production", rank: 2, protected: true });
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "eu-fleet", name: "EU-fleet", kind: "edge-fleet", environment: "production", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  const devs = Array.from({ length: 400 }, (_, i) => ({
    id: `dev-${i}`,
    targetId: fleet.id,
    hardwareClass: "gen3",
    firmware: "3.4.1",
    region: "eu",
    bucket: bucketOf(`dev-${i}`),
  }));
  await t.db.insert(devices).values(devs);
  const vs = await t.db.select().from(modelVersions).orderBy(modelVersions.number);
  // v2 is a canary at 25%: the devices in the first quarter of buckets should run it.
  const [d] = await t.db
    .insert(deployments)
    .values({ targetId: fleet.id, modelId: model.id, stableVersionId: vs[0].id, candidateVersionId: vs[1].id, state: "canary", plan: [5, 25, 100], step: 1 })
    .returning();
  ids.deployment = d.id;
  const onCandidate = devs.filter((x) => x.bucket < 2500);
  // All but three report running v2; two of the rest still run v1; one never reported.
  const reported = onCandidate.slice(0, -3).map((x) => ({ deviceId: x.id, modelId: model.id, runningVersion: 2, status: "running", reportedAt: new Date() }));
  const lagging = onCandidate.slice(-3, -1).map((x) => ({ deviceId: x.id, modelId: model.id, runningVersion: 1, status: "running", reportedAt: new Date() }));
  const stable = devs
    .filter((x) => x.bucket >= 2500)
    .map((x) => ({ deviceId: x.id, modelId: model.id, runningVersion: 1, status: "running", reportedAt: new Date() }));
  await t.db.insert(deviceModelStates).values([...reported, ...lagging, ...stable]);
  const at = new Date(Date.now() - 30 * 60_000);
  const [a] = await t.db
    .insert(alerts)
    .values({
      ruleKey: "drift:fcw",
      subject: "fcw-test/v2/brightness@canary",
      kind: "drift",
      severity: "page",
      modelId: model.id,
      title: "Drift in brightness of fcw-test v2 on the canary at night",
      state: "firing",
      evidence: {},
      startedAt: at,
      firingAt: at,
      lastEvaluatedAt: new Date(),
    })
    .returning();
  ids.alert = a.id;
  // The engineer is on call for the perception team now; "offcall" is not.
  await t.db
    .insert(oncallRotations)
    .values({ name: "Perception", service: "perception", members: [eng.userId], startsAt: new Date(Date.now() - 86_400_000), periodDays: 7 });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("mitigation from an alert", () => {
  it("states the true number of devices that run the version being removed", async () => {
    const d = await t.caller("viewer").deployments.get({ id: ids.deployment });
    expect(d.effectTarget.reported).toMatchObject({ version: 2 });
    const running = d.fleet!.byVersion.find((v) => v.version === 2)!.devices;
    expect(d.effectTarget.reported!.running).toBe(running);
    expect(running).toBeLessThan(d.devices!.total / 2);
    expect(d.policy.onCall.map((o) => o.email)).toEqual(["engineer@test.local"]);
  });

  it("refuses an engineer who is not on call, with the reason and who is; nothing is declared; the refusal is audited", async () => {
    const d = await t.caller("viewer").deployments.get({ id: ids.deployment });
    const attempt = as(offCall).incidents.mitigate({
      alertId: ids.alert,
      deploymentId: ids.deployment,
      action: "rollback",
      version: 1,
      revision: d.revision,
      idempotencyKey: key(),
      reason: "drift at night",
    });
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("FORBIDDEN");
    expect((err as TRPCError).message).toMatch(/on call now: engineer@test\.local/);
    expect(await t.db.select().from(incidents).where(eq(incidents.alertId, ids.alert))).toHaveLength(0);
    const refused = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "deployment.refused"), eq(auditLog.actorUserId, offCall.userId)));
    expect(refused).toHaveLength(1);
    expect(
      await codeOf(
        t.caller("viewer").incidents.mitigate({
          alertId: ids.alert,
          deploymentId: ids.deployment,
          action: "rollback",
          version: 1,
          revision: d.revision,
          idempotencyKey: key(),
          reason: "x y z",
        }),
      ),
    ).toBe("FORBIDDEN");
    // Promotion stays admin-only even for the on-call engineer.
    expect(await codeOf(t.caller("engineer").deployments.advance({ deploymentId: ids.deployment, revision: d.revision, idempotencyKey: key() }))).toBe(
      "FORBIDDEN",
    );
  });

  it("lets the on-call engineer roll back with a reason: declares the incident in their command, mitigated, once on the timeline, audited, admins told", async () => {
    const d = await t.caller("viewer").deployments.get({ id: ids.deployment });
    const eng = t.caller("engineer");
    const base = { alertId: ids.alert, deploymentId: ids.deployment, action: "rollback" as const, version: 1, revision: d.revision };
    expect(await codeOf(eng.incidents.mitigate({ ...base, idempotencyKey: key() }))).toBe("BAD_REQUEST");
    const k = key();
    const res = await eng.incidents.mitigate({ ...base, idempotencyKey: k, reason: "Night drift on the canary" });
    expect(res.declared).toBe(true);
    expect(res.summary).toContain("report running v2");
    const again = await eng.incidents.mitigate({ ...base, idempotencyKey: k, reason: "Night drift on the canary" });
    expect(again).toMatchObject({ replayed: true, incidentId: res.incidentId });

    const inc = await t.caller("viewer").incidents.get({ id: res.incidentId });
    expect(inc.status).toBe("mitigated");
    expect(inc.ttmMs).not.toBeNull();
    expect(inc.commander?.email).toBe("engineer@test.local");
    expect(inc.severity).toBe("sev2");
    const rollbacks = inc.timeline.filter((x) => x.kind === "action" || (x.source === "deployment" && x.kind === "rollback"));
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0].text).toContain("Night drift on the canary");
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "deployment.rollback"), eq(auditLog.entityId, ids.deployment)));
    expect(audit.map((a) => a.actorUserId)).toEqual([t.actors.engineer.userId]);
    expect(audit[0].after).toMatchObject({ reason: "Night drift on the canary", authority: "on-call" });
    const told = await t.db.select().from(notifications).where(eq(notifications.kind, "deployment.mitigated"));
    expect(told.map((x) => x.userId)).toEqual([t.actors.admin.userId]);
    expect(told[0].href).toBe(`/incidents/${res.incidentId}`);
    expect(inc.timeline.some((x) => x.kind === "notified" && x.text.includes("admin@test.local"))).toBe(true);
  });

  it("a second mitigation from the same alert attaches to the open incident", async () => {
    const d = await t.caller("viewer").deployments.get({ id: ids.deployment });
    expect(d.state).toBe("idle");
    // Nothing in flight and the version it replaced is the one it returned to: no rollback is offered now.
    const [first] = await t.db.select().from(incidents).where(eq(incidents.alertId, ids.alert));
    const declared = await t.caller("engineer").incidents.declareFromAlert({ alertId: ids.alert });
    expect(declared.id).toBe(first.id);
    expect(declared.existing).toBe(true);
  });

  it("a viewer requests a rollback: the on-call admins (else all admins) are paged with a link, audited", async () => {
    const r = await t.caller("viewer").incidents.requestRollback({ deploymentId: ids.deployment, alertId: ids.alert, note: "Drivers report false warnings" });
    expect(r.notified).toEqual(["admin@test.local"]);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.action, "deployment.rollback_request"));
    expect(row.actorUserId).toBe(t.actors.viewer.userId);
    const [note] = await t.db.select().from(notifications).where(eq(notifications.kind, "rollback.requested"));
    expect(note.href).toMatch(/^\/incidents\//);
    expect(await codeOf(t.caller("viewer").incidents.requestRollback({ deploymentId: ids.deployment, alertId: "00000000-0000-0000-0000-000000000000" }))).toBe(
      "NOT_FOUND",
    );
  });
});
