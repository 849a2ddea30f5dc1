import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { verifyCredentials } from "@/server/auth/users";
import { getModel, getVersion, listModels, resolveAlias, versionResource } from "@/server/registry/service";
import { seedDemo } from ".";

let database: Database;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-seed-"));
const store = new LocalArtifactStore(root);

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db, store, { password: "sentinel-demo" });
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
  fs.rmSync(root, { recursive: true, force: true });
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

  it("is idempotent", async () => {
    await seedDemo(database.db, store, { password: "sentinel-demo" });
    expect((await listModels(database.db, {})).total).toBe(9);
  });
});
