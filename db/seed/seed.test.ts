import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createSeededTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { verifyCredentials } from "@/server/auth/users";
import { and, arrayContains, eq, inArray } from "drizzle-orm";
import { alerts, appMeta, mlflowDatasets, models, runTags, sampleFrames } from "@/db/schema";
import { FCW_SETS } from "@/server/demo/fcw-frames";
import { devicesRunningDataset, getLineage } from "@/server/lineage/service";
import { getModel, getVersion, listModels, resolveAlias, versionResource } from "@/server/registry/service";
import { TRIGGER_TAG } from "@/server/webhooks/schemas";
import { seedDemo } from ".";

let database: Database;
let store: LocalArtifactStore;

beforeAll(async () => {
  const seeded = await createSeededTestDatabase();
  database = seeded;
  store = new LocalArtifactStore(seeded.storeRoot);
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
});

describe("demo seed", () => {
  it("creates one user per role with the demo password", async () => {
    for (const role of ["admin", "engineer", "viewer"]) {
      const r = await verifyCredentials(database.db, `${role}@example.com`, "sentinel-demo");
      expect(r.ok && r.user.role).toBe(role);
    }
  });

  it("registers the real PaddleOCR models with held, parsed bytes and production aliases", async () => {
    const { items } = await listModels(database.db, { q: "ocr" });
    expect(items.map((m) => m.slug).sort()).toEqual(["ocr-direction-classifier", "ocr-text-detector", "ocr-text-recognizer"]);
    const det = versionResource(await resolveAlias(database.db, "ocr-text-detector", "production"));
    expect(det.artifact.held).toBe(true);
    expect(det.onnx?.inputs[0]).toMatchObject({ name: "x", elemType: "float32" });
    expect(await store.exists(det.sha256!)).toBe(true);
    const rec = versionResource(await resolveAlias(database.db, "ocr-text-recognizer", "production"));
    // The CTC output has one class per label: the manifest's labels must line up with the model.
    expect(rec.onnx?.outputs[0].shape[2]).toBe((rec.manifest as { labels: string[] }).labels.length);
  });

  it("registers the project's own camera-health model with its built bytes", async () => {
    const v = versionResource(await resolveAlias(database.db, "camera-health", "production"));
    expect(v.onnx?.inputs[0]).toMatchObject({ name: "image", shape: [1, 3, 224, 224] });
    expect(v.onnx?.outputs.map((o) => o.name).sort()).toEqual(["features", "scores"]);
  });

  it("holds no bytes for models whose weights live elsewhere, and says so", async () => {
    const dd = await getModel(database.db, "distracted-driving");
    expect(dd.versions.every((v) => v.artifactSha256 === null && v.artifactUri?.startsWith("gs://"))).toBe(true);
    // FCW: v1's weights are elsewhere; v2 and v3 are the detectors trained by examples/fcw-detector, held with their manifest.
    const fcw = await getModel(database.db, "forward-collision-warning");
    expect(fcw.versions).toHaveLength(3);
    const byNumber = new Map(fcw.versions.map((v) => [v.number, v]));
    expect(byNumber.get(1)).toMatchObject({ artifactSha256: null, artifactUri: expect.stringMatching(/^s3:\/\//) });
    for (const n of [2, 3]) {
      const v = versionResource(await getVersion(database.db, "forward-collision-warning", n));
      expect(v.artifact.held).toBe(true);
      expect(v.onnx?.outputs.map((o) => o.name).sort()).toEqual(["heatmap", "offset", "size"]);
      expect(v.manifest).toMatchObject({ postprocess: { kind: "centernet" }, labels: ["vehicle", "pedestrian"] });
    }
    expect(fcw.aliases.find((a) => a.alias === "production")?.version).toBe(2);
  });

  it("records the dataset FCW was trained on, the devices running it, and the retraining its night drift asked for", async () => {
    const db = database.db;
    const [ds] = await db.select().from(mlflowDatasets).where(eq(mlflowDatasets.name, "fcw-train-v1"));
    expect(ds).toMatchObject({ sourceType: "http", source: "/api/v1/frames?tag=fcw-train-v1" });
    // From the dataset to the devices: production v2 runs on the fleet, and the v3 canary on part of it.
    const impact = await devicesRunningDataset(db, { dataset: ds.id });
    expect(impact.versions.map((v) => v.label).sort()).toEqual(["Forward collision warning v2", "Forward collision warning v3"]);
    expect(impact.devices).toBeGreaterThan(0);
    // The drift alert on v3 triggered a run, which trains on the same dataset.
    const [alert] = await db
      .select({ id: alerts.id })
      .from(alerts)
      .innerJoin(models, eq(models.id, alerts.modelId))
      .where(and(eq(models.slug, "forward-collision-warning"), eq(alerts.kind, "drift")));
    const [tag] = await db
      .select()
      .from(runTags)
      .where(and(eq(runTags.key, TRIGGER_TAG), eq(runTags.value, alert.id)));
    const g = await getLineage(db, { entity: `run:${tag.runId}` });
    expect(g.edges).toContainEqual({ from: `alert:${alert.id}`, to: `run:${tag.runId}`, label: "triggered" });
    expect(g.edges).toContainEqual({ from: `dataset:${ds.id}`, to: `run:${tag.runId}`, label: "trained on" });
  });

  it("is idempotent", async () => {
    await seedDemo(database.db, store, { password: "sentinel-demo" });
    expect((await listModels(database.db, {})).total).toBe(9);
  });

  it("brings a demo database seeded before version 14 the FCW calibration frames it lacks", async () => {
    const db = database.db;
    const calib = () =>
      db
        .select({ id: sampleFrames.id, name: sampleFrames.name })
        .from(sampleFrames)
        .where(arrayContains(sampleFrames.tags, [FCW_SETS.calib.tag]));
    // Four of them gone (the rest held by name are not rendered again, which keeps this quick).
    const gone = (await calib()).slice(0, 4);
    await db.delete(sampleFrames).where(
      inArray(
        sampleFrames.id,
        gone.map((f) => f.id),
      ),
    );
    await db.update(appMeta).set({ value: 13 }).where(eq(appMeta.key, "demo_seed_version"));
    expect(await calib()).toHaveLength(FCW_SETS.calib.count - 4);
    await seedDemo(db, store, { password: "sentinel-demo" });
    const after = await calib();
    expect(after).toHaveLength(FCW_SETS.calib.count);
    expect(after.map((f) => f.name)).toEqual(expect.arrayContaining(gone.map((f) => f.name)));
    const [meta] = await db.select().from(appMeta).where(eq(appMeta.key, "demo_seed_version"));
    expect(meta.value).toBe(14);
    expect((await listModels(db, {})).total).toBe(9);
  }, 120_000);
});
