import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditLog, deploymentEvents, deployments, deploymentTargets, devices, environments, modelVersions } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion } from "@/server/registry/service";
import { encodeModel, syntheticModel } from "@/server/demo/onnx-fixtures";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { bucketOf } from "./cohort";
import { deviceManifest, manifestEtag } from "./manifest";

let t: TestEnv;
let store: LocalArtifactStore;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-deploy-"));
const ids = { prod: "", staging: "", fleet: "" };
const CONTRACT = { minOnnxRuntime: "1.16", maxOpset: 17, deviceClasses: ["dashcam-gen3"], minFirmware: "3.2.0" };
const MANIFEST = {
  input: { name: "x", layout: "NCHW" as const, width: 8, height: 8 },
  labels: ["lead_vehicle", "pedestrian"],
  postprocess: { kind: "softmax" as const },
};
let key = 0;
const k = () => `test-key-${++key}`;

async function revisionOf(id: string) {
  const [d] = await t.db.select({ revision: deployments.revision, state: deployments.state }).from(deployments).where(eq(deployments.id, id));
  return d;
}

beforeAll(async () => {
  t = await setupTestEnv();
  store = new LocalArtifactStore(root);
  const eng = t.actors.engineer;
  await createModel(t.db, eng, { slug: "fcw-test", name: "FCW test", team: "perception", task: "detection" });
  for (const doc of ["v1", "v2"]) {
    const staged = await store.stage(Readable.from([Buffer.from(encodeModel({ ...syntheticModel(), docString: doc }))]), 1 << 30);
    await registerVersion(t.db, store, eng, "fcw-test", { status: "approved", contract: CONTRACT, manifest: MANIFEST }, { staged, fileName: `${doc}.onnx` });
  }
  // v3: weights not held here, so the integrity gate fails.
  await registerVersion(t.db, store, eng, "fcw-test", { status: "candidate", contract: CONTRACT, manifest: MANIFEST, artifactUri: "s3://bucket/fcw/3.onnx" });
  await t.db.insert(environments).values([
    { key: "staging", name: "Staging", rank: 1, protected: false },
    { key: "production", name: "Production", rank: 2, protected: true },
  ]);
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "eu-fleet", name: "EU-fleet", kind: "edge-fleet", environment: "production", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  const [bench] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "bench", name: "Bench", kind: "edge-fleet", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  ids.fleet = fleet.id;
  const devs = Array.from({ length: 400 }, (_, i) => `dev-${i}`).map((id) => ({
    id,
    targetId: fleet.id,
    hardwareClass: "dashcam-gen3",
    firmware: "3.4.1",
    region: "eu-west",
    bucket: bucketOf(id),
  }));
  await t.db.insert(devices).values(devs);
  const [v1] = await t.db.select().from(modelVersions).where(eq(modelVersions.number, 1));
  const [prod] = await t.db.insert(deployments).values({ targetId: fleet.id, modelId: v1.modelId, stableVersionId: v1.id }).returning();
  const [staging] = await t.db.insert(deployments).values({ targetId: bench.id, modelId: v1.modelId, stableVersionId: v1.id }).returning();
  ids.prod = prod.id;
  ids.staging = staging.id;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("deployments", () => {
  it("shows gates for the next version with evidence; no evaluations is said, not faked", async () => {
    const d = await t.caller("viewer").deployments.get({ id: ids.prod });
    expect(d.gateVersion).toBe(3);
    const g = await t.caller("viewer").deployments.get({ id: ids.prod, version: 2 });
    expect(Object.fromEntries(g.gates!.map((x) => [x.key, x.state]))).toEqual({
      integrity: "pass",
      compatibility: "pass",
      evaluation: "none",
      alerts: "pass",
      approval: "fail",
      signoff: "none",
    });
    expect(g.devices).toEqual({ total: 400, onCandidate: 0, onStable: 400 });
  });

  it("refuses production actions to engineers, and a viewer cannot press anything", async () => {
    expect(await codeOf(t.caller("engineer").deployments.startCanary({ deploymentId: ids.prod, version: 2, revision: 1, idempotencyKey: k() }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(t.caller("viewer").deployments.rollback({ deploymentId: ids.staging, version: 2, revision: 1, idempotencyKey: k() }))).toBe(
      "FORBIDDEN",
    );
    const refusals = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "deployment.refused"), eq(auditLog.entityId, ids.prod)));
    expect(refusals.some((r) => (r.after as { code: string }).code === "FORBIDDEN")).toBe(true);
  });

  it("blocks promotion on a failing gate with the reason, audited; four-eyes needs a non-author admin", async () => {
    const admin = t.caller("admin");
    const err = await admin.deployments.startCanary({ deploymentId: ids.prod, version: 2, revision: 1, idempotencyKey: k() }).catch((e: TRPCError) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((err as TRPCError).message).toMatch(/Four-eyes approval: v2 needs approval by an admin who is not its author \(engineer@test.local\)/);
    expect((await revisionOf(ids.prod)).revision).toBe(1);
    expect(await codeOf(t.caller("engineer").deployments.approve({ deploymentId: ids.prod, version: 2 }))).toBe("FORBIDDEN");
    await admin.deployments.approve({ deploymentId: ids.prod, version: 2, comment: "looks good" });
    const g = await admin.deployments.get({ id: ids.prod, version: 2 });
    expect(g.gates!.every((x) => x.state !== "fail")).toBe(true);
  });

  it("validates the runtime config against the version's manifest", async () => {
    expect(
      await codeOf(
        t
          .caller("admin")
          .deployments.startCanary({ deploymentId: ids.prod, version: 2, revision: 1, idempotencyKey: k(), config: { thresholds: { cyclist: 0.5 } } }),
      ),
    ).toBe("BAD_REQUEST");
  });

  it("starts a canary once; a double click with the same key does one thing", async () => {
    const admin = t.caller("admin");
    const input = { deploymentId: ids.prod, version: 2, revision: 1, idempotencyKey: "double-click-1", config: { thresholds: { pedestrian: 0.6 } } };
    const [a, b] = await Promise.all([admin.deployments.startCanary(input), admin.deployments.startCanary(input)]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a.revision).toBe(2);
    expect(b.revision).toBe(2);
    expect(a.summary).toBe("Start a canary of v2 on fleet EU-fleet (production): about 4 devices first, the rest stay on v1");
    const again = await admin.deployments.startCanary(input);
    expect(again).toMatchObject({ replayed: true, revision: 2 });
    const events = await t.db
      .select()
      .from(deploymentEvents)
      .where(and(eq(deploymentEvents.deploymentId, ids.prod), eq(deploymentEvents.kind, "canary.start")));
    expect(events).toHaveLength(1);
    // The key cannot be reused for another action.
    expect(await codeOf(admin.deployments.pause({ deploymentId: ids.prod, revision: 2, idempotencyKey: "double-click-1" }))).toBe("CONFLICT");
  });

  it("two people pressing at once: one success, one CONFLICT", async () => {
    const admin = t.caller("admin");
    const results = await Promise.allSettled([
      admin.deployments.advance({ deploymentId: ids.prod, revision: 2, idempotencyKey: k() }),
      admin.deployments.pause({ deploymentId: ids.prod, revision: 2, idempotencyKey: k() }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected");
    expect(failed && failed.status === "rejected" && (failed.reason as TRPCError).code).toBe("CONFLICT");
    expect((await revisionOf(ids.prod)).revision).toBe(3);
  });

  it("refuses an action the state does not allow, with the reason", async () => {
    const admin = t.caller("admin");
    const { revision, state } = await revisionOf(ids.prod);
    // Which twin won the race above decides the state (on PostgreSQL either can): ask for the move that state refuses.
    if (state === "canary") {
      const err = await admin.deployments.resume({ deploymentId: ids.prod, revision, idempotencyKey: k() }).catch((e: TRPCError) => e);
      expect((err as TRPCError).message).toMatch(/not paused/);
    } else {
      const err = await admin.deployments.advance({ deploymentId: ids.prod, revision, idempotencyKey: k() }).catch((e: TRPCError) => e);
      expect((err as TRPCError).message).toMatch(/is paused; resume it before advancing/);
    }
    expect(await codeOf(admin.deployments.promote({ deploymentId: ids.prod, version: 2, revision, idempotencyKey: k() }))).toBe("PRECONDITION_FAILED");
  });

  it("serves each device its manifest: the canary cohort by bucket, ETag stable, other devices' credentials refused", async () => {
    const admin = t.actors.admin;
    const d = await t.caller("viewer").deployments.get({ id: ids.prod });
    const limit = d.percent * 100;
    const onCanary = Array.from({ length: 400 }, (_, i) => `dev-${i}`).find((id) => bucketOf(id) < limit)!;
    const onStable = Array.from({ length: 400 }, (_, i) => `dev-${i}`).find((id) => bucketOf(id) >= limit)!;
    const canaryManifest = await deviceManifest(t.db, t.actors.viewer, onCanary, "http://x");
    expect(canaryManifest.models[0]).toMatchObject({ channel: "candidate", version: 2, runtimeConfig: { thresholds: { pedestrian: 0.6 } } });
    expect(canaryManifest.models[0].artifact).toMatchObject({
      url: "http://x/api/v1/models/fcw-test/versions/2/artifact",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: expect.any(Number),
    });
    const stable = await deviceManifest(t.db, admin, onStable);
    expect(stable.models[0]).toMatchObject({ channel: "stable", version: 1 });
    expect(manifestEtag(stable)).toBe(manifestEtag(await deviceManifest(t.db, admin, onStable)));
    expect(manifestEtag(stable)).not.toBe(manifestEtag(canaryManifest));
    // A device credential reads its own manifest; another device's credential is refused; people with deploy:read read any.
    const [tok] = await t.db
      .insert(apiTokens)
      .values({ userId: t.actors.viewer.userId, name: "device", prefix: "snt_dev", tokenHash: "h-device", scopes: ["deploy:read"] })
      .returning();
    await t.db.update(devices).set({ tokenId: tok.id }).where(eq(devices.id, onStable));
    await expect(deviceManifest(t.db, { ...t.actors.viewer, tokenId: "00000000-0000-0000-0000-000000000000", deviceId: onCanary }, onStable)).rejects.toThrow(
      /belongs to device/,
    );
    expect((await deviceManifest(t.db, { ...t.actors.viewer, tokenId: tok.id, deviceId: onStable }, onStable)).device.id).toBe(onStable);
    expect((await deviceManifest(t.db, t.actors.viewer, onStable)).device.id).toBe(onStable);
    await expect(deviceManifest(t.db, admin, "no-such-device")).rejects.toThrow(/not found/);
  });

  it("a failing gate can be overridden by an admin with a written reason, audited and on the timeline", async () => {
    const admin = t.caller("admin");
    const { revision } = await revisionOf(ids.prod);
    await admin.deployments.rollback({ deploymentId: ids.prod, version: 1, revision, idempotencyKey: k() });
    const r = (await revisionOf(ids.prod)).revision;
    expect(
      await codeOf(admin.deployments.promote({ deploymentId: ids.prod, version: 3, revision: r, idempotencyKey: k(), override: { reason: "short" } })),
    ).toBe("BAD_REQUEST");
    const reason = "Weights verified by CI in the training bucket, job 4411";
    const done = await admin.deployments.promote({ deploymentId: ids.prod, version: 3, revision: r, idempotencyKey: k(), override: { reason } });
    expect(done.summary).toBe("Promote v3 on fleet EU-fleet (production): 400 devices switch from v1");
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "deployment.override"), eq(auditLog.entityId, ids.prod)));
    expect(audit.after).toMatchObject({
      version: 3,
      reason,
      gates: expect.arrayContaining([expect.objectContaining({ key: "integrity" }), expect.objectContaining({ key: "approval" })]),
    });
    const d = await admin.deployments.get({ id: ids.prod });
    expect(d.events.find((e) => e.kind === "override")?.summary).toContain(reason);
    expect(d.stable).toBe(3);
  });

  it("rolls back to a previous version, audited with the effect; the version it replaced is offered", async () => {
    const admin = t.caller("admin");
    const before = await admin.deployments.get({ id: ids.prod });
    expect(before.rollbackTo).toBe(1);
    const res = await admin.deployments.rollback({ deploymentId: ids.prod, version: 1, revision: before.revision, idempotencyKey: k() });
    expect(res.summary).toBe("Roll back fleet EU-fleet (production) from v3 to v1: 400 devices (expected from the plan; no device reports yet) switch back");
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "deployment.rollback"), eq(auditLog.entityId, ids.prod)));
    expect(rows.at(-1)?.after).toMatchObject({ stable: 1, summary: res.summary });
    expect((await admin.deployments.get({ id: ids.prod })).stable).toBe(1);
  });

  it("engineers change non-production deployments without gates", async () => {
    const eng = t.caller("engineer");
    const res = await eng.deployments.startCanary({ deploymentId: ids.staging, version: 3, revision: 1, idempotencyKey: k() });
    expect(res.state).toBe("canary");
    const adv = await eng.deployments.advance({ deploymentId: ids.staging, revision: res.revision, idempotencyKey: k() });
    expect(adv.revision).toBe(3);
    const list = await t.caller("viewer").deployments.list();
    expect(list.find((d) => d.id === ids.staging)).toMatchObject({ state: "canary", percent: 5, candidate: 3, stable: 1 });
  });
});
