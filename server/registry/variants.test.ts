// "Make an int8 variant" through the tRPC door's service on the real database and store: a new draft version derived
// from its parent, smaller, checked in onnxruntime-node, audited; refused for what cannot be quantised.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { OCR_FILES, ocrAsset } from "./ocr-assets";
import { createModel, getVersion, registerVersion } from "./service";
import { makeInt8Variant } from "./variants";

let t: TestEnv;
let store: LocalArtifactStore;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-variants-"));

beforeAll(async () => {
  t = await setupTestEnv();
  store = new LocalArtifactStore(root);
  await createModel(t.db, t.actors.engineer, { slug: "ocr-det", name: "Text detector", team: "perception", task: "text-detection" });
  const staged = await store.stage(fs.createReadStream(ocrAsset(OCR_FILES.detector)), 1 << 30);
  await registerVersion(
    t.db,
    store,
    t.actors.engineer,
    "ocr-det",
    { description: "float", modelCard: "Trained by PaddleOCR." },
    { staged, fileName: "det.onnx" },
  );
  await registerVersion(t.db, store, t.actors.engineer, "ocr-det", { artifactUri: "s3://models/ocr-det/2/model.onnx" });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("int8 variants", () => {
  it("registers a smaller draft version derived from its parent, with the method and the measured difference", async () => {
    const v = await makeInt8Variant(t.db, store, t.actors.engineer, { slug: "ocr-det", version: 1 });
    expect(v.version.number).toBe(3);
    expect(v.parentVersion).toBe(1);
    expect(v.version.status).toBe("draft");
    expect(v.version.tags).toMatchObject({ quantization: "int8-weight-only", "quantization.granularity": "per-tensor", "derived.from": "v1" });
    expect(v.version.fileName).toBe("det-int8.onnx");
    const parent = await getVersion(t.db, "ocr-det", 1);
    expect(v.artifact!.sizeBytes / parent.artifact!.sizeBytes).toBeLessThan(0.4);
    expect(await store.exists(v.artifact!.sha256)).toBe(true);
    const metrics = v.version.metrics as Record<string, number>;
    expect(metrics["quantization.size_ratio"]).toBeCloseTo(v.artifact!.sizeBytes / parent.artifact!.sizeBytes, 6);
    expect(metrics["quantization.max_abs_error"]).toBeGreaterThan(0);
    expect(metrics["node.p50_ms"]).toBeGreaterThan(0);
    expect(v.version.modelCard).toMatch(/int8 weight-only, symmetric, per-tensor scales \(opset 11\)/);
    expect(v.version.modelCard).toContain("Trained by PaddleOCR.");
    expect(v.version.manifest).toEqual(parent.version.manifest);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, "ocr-det/3"));
    expect(audit.map((a) => a.action)).toContain("model_version.create");
  }, 180_000);

  it("refuses a version without a file and a variant of a variant, registering nothing", async () => {
    await expect(makeInt8Variant(t.db, store, t.actors.engineer, { slug: "ocr-det", version: 2 })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(makeInt8Variant(t.db, store, t.actors.engineer, { slug: "ocr-det", version: 3 })).rejects.toThrow(/already a quantised variant/);
    await expect(makeInt8Variant(t.db, store, t.actors.engineer, { slug: "ocr-det", version: 9 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(makeInt8Variant(t.db, store, t.actors.engineer, { slug: "ocr-det", version: "1" })).rejects.toThrow();
    await expect(getVersion(t.db, "ocr-det", 4)).rejects.toThrow(/Version 4/);
  });

  it("is for engineers: a viewer's call through tRPC is refused", async () => {
    expect(await codeOf(t.caller("viewer").registry.makeInt8Variant({ slug: "ocr-det", version: 1 }))).toBe("FORBIDDEN");
  });
});
