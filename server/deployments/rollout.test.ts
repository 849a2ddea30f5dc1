import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiTokens,
  auditLog,
  deviceModelStates,
  deploymentAnalyses,
  deploymentEvents,
  deployments,
  deploymentTargets,
  devices,
  environments,
  modelVersions,
} from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion } from "@/server/registry/service";
import { ingestSummaries } from "@/server/telemetry/service";
import { deviceWindow, type Regression } from "@/server/demo/rollout-sim";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { bucketOf, inRollout } from "./cohort";
import { followManifests, type Transport } from "@/server/demo/follow";
import { deviceManifest, manifestEtag, notModified } from "./manifest";
import { fleetVersions, recordDeviceReport } from "./reports";
import { analyseDueRollouts, decide, dueForAnalysis, runAnalysis } from "./rollout";
import { getDeployment, startCanary } from "./service";
import { createDeployment, createTarget, targetDevices } from "./targets";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-rollout-"));
let deploymentId = "";
let targetId = "";
let key = 0;
const k = () => `rollout-key-${++key}`;
const DEVICES = Array.from({ length: 40 }, (_, i) => ({ id: `rig-${i}`, region: "lab", hardwareClass: "dashcam-gen3" }));

async function state() {
  const [d] = await t.db.select().from(deployments).where(eq(deployments.id, deploymentId));
  return d;
}
/** Every device posts `windows` 5-minute windows from the step start for the version its bucket gives it. */
async function fleetTelemetry(percent: number, windows: number, regress?: Regression, fleet?: string) {
  const d = await state();
  const start = d.stepStartedAt!.getTime();
  const summaries = DEVICES.flatMap((dev) =>
    Array.from({ length: windows }, (_, w) =>
      deviceWindow({
        model: "rollout-test",
        version: inRollout(bucketOf(dev.id), percent) ? 2 : 1,
        device: dev,
        windowStart: new Date(start + w * 60_000),
        windowIndex: w,
        windowSeconds: 60,
        regress,
        fleet,
      }),
    ),
  );
  await ingestSummaries(t.db, t.actors.engineer, { summaries }, { now: new Date(start + windows * 60_000) });
}
async function resetCanary(plan: unknown) {
  const d = await state();
  await t.db
    .update(deployments)
    .set({ state: "idle", candidateVersionId: null, step: 0, stepStartedAt: null, revision: d.revision + 1 })
    .where(eq(deployments.id, deploymentId));
  await startCanary(t.db, t.actors.engineer, { deploymentId, version: 2, revision: d.revision + 1, idempotencyKey: k(), plan });
  // Each canary gets its own hour, so one test's telemetry never falls in another's bake window.
  await t.db
    .update(deployments)
    .set({ stepStartedAt: new Date(Date.UTC(2026, 0, 1) + ++epoch * 3600_000) })
    .where(eq(deployments.id, deploymentId));
}
let epoch = 0;

beforeAll(async () => {
  t = await setupTestEnv();
  const store = new LocalArtifactStore(root);
  await createModel(t.db, t.actors.engineer, { slug: "rollout-test", name: "Rollout test", team: "perception", task: "detection" });
  for (const n of [1, 2])
    await registerVersion(t.db, store, t.actors.engineer, "rollout-test", { status: "approved", artifactUri: `s3://bucket/rollout/${n}.onnx` });
  await t.db.insert(environments).values({ key: "staging", name: "Staging", rank: 1, protected: false });
  const [target] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "rigs", name: "Rigs", kind: "edge-fleet", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  targetId = target.id;
  await t.db
    .insert(devices)
    .values(DEVICES.map((d) => ({ id: d.id, targetId, hardwareClass: d.hardwareClass, firmware: "3.4.1", region: d.region, bucket: bucketOf(d.id) })));
  const [v1] = await t.db.select().from(modelVersions).where(eq(modelVersions.number, 1));
  const [d] = await t.db.insert(deployments).values({ targetId, modelId: v1.modelId, stableVersionId: v1.id }).returning();
  deploymentId = d.id;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("decide", () => {
  const auto = { bakeMinutes: 10, mode: "auto", onFail: "rollback" } as const;
  it("acts on a failure at once, and on a pass only after the bake", () => {
    expect(decide("fail", auto, false, false, true)).toBe("rolled-back");
    expect(decide("fail", { ...auto, onFail: "pause" }, false, false, true)).toBe("paused");
    expect(decide("pass", auto, false, false, true)).toBe("waiting");
    expect(decide("pass", auto, true, false, true)).toBe("advanced");
    expect(decide("pass", auto, true, true, true)).toBe("completed");
    expect(decide("pass", { ...auto, mode: "manual" }, true, false, true)).toBe("ready");
    expect(decide("inconclusive", auto, true, false, true)).toBe("waiting");
    expect(decide("fail", auto, true, false, false)).toBe("none");
  });
});

describe("rollout analysis on PGlite", () => {
  it("rolls back by itself when the candidate regresses at night, with the evidence stored and audited", async () => {
    await resetCanary([
      { percent: 50, bakeMinutes: 0, mode: "auto", onFail: "rollback" },
      { percent: 100, bakeMinutes: 0, mode: "auto", onFail: "rollback" },
    ]);
    await fleetTelemetry(50, 6, { version: 2, slice: "night" });
    const d = await state();
    const due = await dueForAnalysis(t.db, new Date(d.stepStartedAt!.getTime() + 7 * 60_000));
    expect(due).toContain(deploymentId);
    const run = await runAnalysis(t.db, null, { deploymentId }, new Date(d.stepStartedAt!.getTime() + 7 * 60_000));
    expect(run?.verdict).toBe("fail");
    expect(run?.decision).toBe("rolled-back");
    expect(run?.summary).toContain("Recall: forward_collision [timeOfDay=night]");
    const after = await state();
    expect(after.state).toBe("idle");
    expect(after.candidateVersionId).toBeNull();
    const [e] = await t.db
      .select()
      .from(deploymentEvents)
      .where(eq(deploymentEvents.deploymentId, deploymentId))
      .orderBy(deploymentEvents.id)
      .then((r) => r.slice(-1));
    expect(e.kind).toBe("rollback");
    expect(e.actorLabel).toBe("rollout analysis");
    expect(e.detail.analysisId).toBe(run?.analysisId);
    const [a] = await t.db.select().from(deploymentAnalyses).where(eq(deploymentAnalyses.id, run!.analysisId));
    expect(a.decision).toBe("rolled-back");
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.entityId, deploymentId));
    expect(audits.map((x) => x.action)).toEqual(expect.arrayContaining(["deployment.analysis", "deployment.rollback"]));
    // The page's detail carries the analysis rows.
    expect((await getDeployment(t.db, { id: deploymentId })).analyses[0].verdict).toBe("fail");
  });

  it("pauses instead when the plan says so, and the scheduler does not analyse the same revision twice", async () => {
    await resetCanary([
      { percent: 50, bakeMinutes: 0, mode: "auto", onFail: "pause" },
      { percent: 100, bakeMinutes: 0, mode: "auto", onFail: "pause" },
    ]);
    await fleetTelemetry(50, 6, { version: 2, slice: "night" });
    const at = new Date((await state()).stepStartedAt!.getTime() + 7 * 60_000);
    expect(await analyseDueRollouts(t.db, at)).toEqual({ analysed: 1, decisions: { paused: 1 } });
    expect((await state()).state).toBe("paused");
    expect(await analyseDueRollouts(t.db, at)).toEqual({ analysed: 0, decisions: {} });
  });

  it("a healthy candidate waits for its bake, then advances by itself; a manual step is only marked ready", async () => {
    await resetCanary([
      { percent: 50, bakeMinutes: 30, mode: "auto", onFail: "rollback" },
      { percent: 75, bakeMinutes: 0, mode: "manual", onFail: "rollback" },
      { percent: 100, bakeMinutes: 0, mode: "manual", onFail: "rollback" },
    ]);
    await fleetTelemetry(50, 6);
    const started = (await state()).stepStartedAt!.getTime();
    const early = await runAnalysis(t.db, t.actors.engineer, { deploymentId }, new Date(started + 7 * 60_000));
    expect(early).toMatchObject({ verdict: "pass", decision: "waiting" });
    expect(await dueForAnalysis(t.db, new Date(started + 7 * 60_000))).not.toContain(deploymentId);
    const late = await runAnalysis(t.db, null, { deploymentId }, new Date(started + 31 * 60_000));
    expect(late).toMatchObject({ verdict: "pass", decision: "advanced" });
    const d = await state();
    expect(d.step).toBe(1);
    await fleetTelemetry(75, 6);
    const ready = await runAnalysis(t.db, null, { deploymentId }, new Date(d.stepStartedAt!.getTime() + 7 * 60_000));
    expect(ready?.decision).toBe("ready");
    expect((await state()).state).toBe("canary");
  });

  it("the scheduler keeps one waiting row per step while telemetry is missing", async () => {
    await resetCanary([
      { percent: 50, bakeMinutes: 0, mode: "auto", onFail: "rollback" },
      { percent: 100, bakeMinutes: 0, mode: "auto", onFail: "rollback" },
    ]);
    const d = await state();
    const at = (m: number) => new Date(d.stepStartedAt!.getTime() + m * 60_000);
    expect(await analyseDueRollouts(t.db, at(5))).toEqual({ analysed: 1, decisions: { waiting: 1 } });
    expect(await analyseDueRollouts(t.db, at(10))).toEqual({ analysed: 1, decisions: { waiting: 1 } });
    const rows = await t.db.select().from(deploymentAnalyses).where(eq(deploymentAnalyses.revision, d.revision));
    expect(rows.filter((r) => r.deploymentId === deploymentId)).toHaveLength(1);
    expect(rows[0].windowEnd.getTime()).toBe(at(10).getTime());
  });

  it("counts telemetry tagged with another fleet for that fleet only", async () => {
    await resetCanary([
      { percent: 50, bakeMinutes: 0, mode: "manual", onFail: "pause" },
      { percent: 100, bakeMinutes: 0, mode: "auto", onFail: "rollback" },
    ]);
    const d = await state();
    const when = new Date(d.stepStartedAt!.getTime() + 7 * 60_000);
    // Another fleet running the same versions regresses at night: not this rollout's evidence.
    await fleetTelemetry(50, 6, { version: 2, slice: "night" }, "other-rigs");
    expect((await runAnalysis(t.db, t.actors.engineer, { deploymentId }, when))?.verdict).toBe("inconclusive");
    await fleetTelemetry(50, 6, undefined, "rigs");
    const run = await runAnalysis(t.db, t.actors.engineer, { deploymentId }, when);
    expect(run?.verdict).toBe("pass");
    expect(run?.decision).toBe("ready");
  });

  it("refuses to analyse without a rollout in flight", async () => {
    const d = await state();
    await t.db.update(deployments).set({ state: "idle", candidateVersionId: null, stepStartedAt: null }).where(eq(deployments.id, d.id));
    await expect(runAnalysis(t.db, t.actors.engineer, { deploymentId })).rejects.toThrow(/no rollout is in progress/);
  });
});

describe("a fleet following its manifests", () => {
  it("picks up the canary, catches the night regression, rolls back, and the devices return to the stable version", async () => {
    const actor = t.actors.engineer;
    const http: Transport = {
      async get(p, headers = {}) {
        const m = /^\/api\/v1\/devices\/([^/]+)\/manifest$/.exec(p);
        if (!m) return { status: 200, etag: null, body: await targetDevices(t.db, p.split("/")[4]) };
        const body = await deviceManifest(t.db, actor, m[1]);
        const etag = manifestEtag(body);
        return notModified(headers["if-none-match"] ?? null, etag) ? { status: 304, etag, body: null } : { status: 200, etag, body };
      },
      async post(p, body) {
        if (p === "/api/v1/telemetry/summaries") return { status: 201, body: await ingestSummaries(t.db, actor, body) };
        return { status: 201, body: await recordDeviceReport(t.db, actor, p.split("/")[4], body) };
      },
    };
    const d0 = await state();
    await t.db
      .update(deployments)
      .set({ state: "idle", candidateVersionId: null, step: 0, stepStartedAt: null, revision: d0.revision + 1 })
      .where(eq(deployments.id, deploymentId));
    await startCanary(t.db, actor, {
      deploymentId,
      version: 2,
      revision: d0.revision + 1,
      idempotencyKey: k(),
      plan: [
        { percent: 50, bakeMinutes: 0, mode: "auto", onFail: "rollback" },
        { percent: 100, bakeMinutes: 0, mode: "auto", onFail: "rollback" },
      ],
    });
    const opts = { fleet: "rigs", model: "rollout-test", checkInEvery: 2, regress: { version: 2, slice: "night" as const } };
    const first = await followManifests(http, { ...opts, rounds: 4 });
    const canary = DEVICES.filter((x) => inRollout(bucketOf(x.id), 50)).length;
    expect(first.running).toEqual({ 1: 40 - canary, 2: canary });
    expect(first.notModified).toBeGreaterThan(0);
    const run = await runAnalysis(t.db, actor, { deploymentId }, new Date(Date.now() + 1000));
    expect(run).toMatchObject({ verdict: "fail", decision: "rolled-back" });
    // Everyone checks in within two rounds and goes back to v1.
    const after = await followManifests(http, { ...opts, rounds: 2 });
    expect(after.running).toEqual({ 1: 40 });
    const d = await state();
    expect(await fleetVersions(t.db, { targetId, modelId: d.modelId, stable: 1, candidate: null, percent: 0 })).toMatchObject({
      upToDate: 40,
      pending: 0,
      byVersion: [{ version: 1, devices: 40 }],
    });
  });
});

describe("creating targets and deployments", () => {
  it("admins create targets; engineers deploy outside protected environments; bad versions and configs are refused and audited", async () => {
    const store = new LocalArtifactStore(root);
    const contract = { minOnnxRuntime: "1.16", maxOpset: 17, deviceClasses: ["cloud-cpu"] };
    const manifest = {
      input: { name: "x", layout: "NCHW" as const, width: 8, height: 8 },
      labels: ["lead_vehicle"],
      postprocess: { kind: "softmax" as const },
    };
    await registerVersion(t.db, store, t.actors.engineer, "rollout-test", {
      status: "approved",
      artifactUri: "s3://bucket/rollout/3.onnx",
      contract,
      manifest,
    });
    await registerVersion(t.db, store, t.actors.engineer, "rollout-test", {
      status: "approved",
      artifactUri: "s3://bucket/rollout/4.onnx",
      contract,
      manifest,
    });
    await t.db.update(modelVersions).set({ status: "archived" }).where(eq(modelVersions.number, 4));
    await t.db.insert(environments).values({ key: "production", name: "Production", rank: 2, protected: true });
    const target = {
      slug: "svc",
      name: "Service",
      kind: "cloud-online",
      environment: "staging",
      runtime: { onnxRuntime: "1.20", maxOpset: 21 },
      hardwareClass: "cloud-cpu",
    } as const;
    await expect(createTarget(t.db, t.actors.engineer, target)).rejects.toThrow(/needs an admin/);
    await createTarget(t.db, t.actors.admin, target);
    await expect(createTarget(t.db, t.actors.admin, target)).rejects.toThrow(/already exists/);
    await createTarget(t.db, t.actors.admin, { ...target, slug: "svc-prod", name: "Service prod", environment: "production" });

    await expect(createDeployment(t.db, t.actors.engineer, { target: "svc", model: "rollout-test", version: 4 })).rejects.toThrow(/archived/);
    await expect(createDeployment(t.db, t.actors.engineer, { target: "svc", model: "rollout-test", version: 1 })).rejects.toThrow(/no compatibility contract/);
    await expect(
      createDeployment(t.db, t.actors.engineer, { target: "svc", model: "rollout-test", version: 3, config: { thresholds: { pedestrian: 0.5 } } }),
    ).rejects.toThrow(/no label "pedestrian"/);
    await expect(createDeployment(t.db, t.actors.engineer, { target: "svc-prod", model: "rollout-test", version: 3 })).rejects.toThrow(/needs an admin/);
    const made = await createDeployment(t.db, t.actors.engineer, {
      target: "svc",
      model: "rollout-test",
      version: 3,
      config: { thresholds: { lead_vehicle: 0.6 } },
    });
    expect(made.version).toBe(3);
    await expect(createDeployment(t.db, t.actors.engineer, { target: "svc", model: "rollout-test", version: 3 })).rejects.toThrow(/already deployed/);
    const refused = await t.db.select().from(auditLog).where(eq(auditLog.action, "deployment.create.refused"));
    expect(refused.map((r) => (r.after as { code: string }).code).sort()).toEqual(
      ["CONFLICT", "FORBIDDEN", "INVALID", "PRECONDITION_FAILED", "PRECONDITION_FAILED"].sort(),
    );
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "deployment.create"))).toHaveLength(1);
  });
});

describe("device reports", () => {
  it("records versions and failures, answers a replay without changing anything, refuses a reused id", async () => {
    await t.db.delete(deviceModelStates);
    const report = { reportId: "report-0001", models: [{ model: "rollout-test", running: 1 }] };
    const first = await recordDeviceReport(t.db, t.actors.engineer, "rig-0", report);
    expect(first).toMatchObject({ replayed: false, accepted: 1 });
    const again = await recordDeviceReport(t.db, t.actors.engineer, "rig-0", report);
    expect(again.replayed).toBe(true);
    expect(again.detail).toMatch(/already received/);
    await expect(recordDeviceReport(t.db, t.actors.engineer, "rig-0", { ...report, models: [{ model: "rollout-test", running: 2 }] })).rejects.toThrow(
      /different content/,
    );
    await recordDeviceReport(t.db, t.actors.engineer, "rig-1", {
      reportId: "report-0002",
      models: [{ model: "rollout-test", running: 1, failure: { version: 2, stage: "download", message: "timeout" } }],
    });
    await expect(
      recordDeviceReport(t.db, t.actors.engineer, "rig-2", { reportId: "report-0003", models: [{ model: "other-model", running: 1 }] }),
    ).rejects.toThrow(/not deployed/);
    const v = await fleetVersions(t.db, { targetId, modelId: (await state()).modelId, stable: 1, candidate: null, percent: 0 });
    expect(v).toMatchObject({ total: 40, upToDate: 2, failed: 0, unreported: 38 });
    // rig-1 runs v1 (desired) though v2 failed to download: up to date. rig-3 fails to activate v1: failed.
    await recordDeviceReport(t.db, t.actors.engineer, "rig-3", {
      reportId: "report-0004",
      models: [{ model: "rollout-test", running: null, failure: { version: 1, stage: "activation", message: "bad opset" } }],
    });
    expect(await fleetVersions(t.db, { targetId, modelId: (await state()).modelId, stable: 1, candidate: null, percent: 0 })).toMatchObject({
      failed: 1,
      upToDate: 2,
      byVersion: [{ version: 1, devices: 2 }],
    });
  });

  it("a device token cannot read another device's manifest or report for it; a viewer cannot report", async () => {
    const [tok] = await t.db
      .insert(apiTokens)
      .values({ userId: t.actors.viewer.userId, name: "rig-5", tokenHash: "h-rig-5", prefix: "snt_rig5", scopes: ["deploy:read"] })
      .returning();
    await t.db.update(devices).set({ tokenId: tok.id }).where(eq(devices.id, "rig-5"));
    const asDevice = { ...t.actors.viewer, tokenId: tok.id, scopes: ["deploy:read"] as const, deviceId: "rig-5" };
    expect((await deviceManifest(t.db, asDevice, "rig-5")).device.id).toBe("rig-5");
    await expect(deviceManifest(t.db, asDevice, "rig-6")).rejects.toThrow(/belongs to device rig-5/);
    expect((await recordDeviceReport(t.db, asDevice, "rig-5", { reportId: "report-rig5-1", models: [{ model: "rollout-test", running: 1 }] })).replayed).toBe(
      false,
    );
    await expect(recordDeviceReport(t.db, asDevice, "rig-6", { reportId: "report-rig5-2", models: [{ model: "rollout-test", running: 1 }] })).rejects.toThrow(
      /belongs to device rig-5/,
    );
    await expect(
      recordDeviceReport(t.db, t.actors.viewer, "rig-7", { reportId: "report-viewer", models: [{ model: "rollout-test", running: 1 }] }),
    ).rejects.toThrow(/own device credential or the devices:write scope/);
  });
});
