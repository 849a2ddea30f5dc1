import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog, modelVersions } from "@/db/schema";
import { artifactHealth } from "@/server/artifacts/health";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { metrics } from "@/server/http/metrics";
import { OCR_FILES, ocrAsset } from "./ocr-assets";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import {
  assertDownloadable,
  compareVersions,
  createModel,
  getModel,
  getVersion,
  listModels,
  registerVersion,
  resolveAlias,
  safeFileName,
  setAlias,
  verifyAllArtifacts,
  verifyArtifact,
  versionResource,
} from "./service";

const DET = ocrAsset(OCR_FILES.detector);
const CLS = ocrAsset(OCR_FILES.classifier);

let t: TestEnv;
let store: LocalArtifactStore;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-registry-"));
const stage = (file: string | Buffer) => store.stage(typeof file === "string" ? fs.createReadStream(file) : Readable.from([file]), 1 << 30);

beforeAll(async () => {
  t = await setupTestEnv();
  store = new LocalArtifactStore(root);
  await createModel(t.db, t.actors.engineer, { slug: "ocr-det", name: "Text detector", team: "perception", task: "text-detection" });
});
const getModelVersions = async () => (await getModel(t.db, "ocr-det")).versions.map((v) => v.number);

afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("registry", () => {
  it("registers a real ONNX upload: parsed, hashed, stored, manifest prefilled, audited", async () => {
    const staged = await stage(DET);
    const v = await registerVersion(t.db, store, t.actors.engineer, "ocr-det", { description: "first" }, { staged, fileName: "../../etc/ch det.onnx" });
    const r = versionResource(v);
    const sha = createHash("sha256").update(fs.readFileSync(DET)).digest("hex");
    expect(r.version).toBe(1);
    expect(r.sha256).toBe(sha);
    expect(r.artifact).toMatchObject({ held: true, size: fs.statSync(DET).size, fileName: "ch det.onnx", integrity: "ok" });
    expect(r.onnx?.inputs[0].name).toBe("x");
    expect(r.onnx?.opsetImports).toEqual([{ domain: "", version: 11 }]);
    expect(r.manifest).toMatchObject({ input: { name: "x", layout: "NCHW" }, postprocess: { kind: "db-text" } });
    expect(r.contract).toMatchObject({ maxOpset: 11 });
    expect(fs.readFileSync(store.pathFor(sha)).equals(fs.readFileSync(DET))).toBe(true);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, "ocr-det/1"));
    expect(audit.map((a) => a.action)).toEqual(["model_version.create"]);
  });

  it("refuses non-ONNX, empty and truncated files, stores nothing and creates no version", async () => {
    const bad = [Buffer.from("not a model"), Buffer.alloc(0), fs.readFileSync(DET).subarray(0, 100_000)];
    const messages: string[] = [];
    for (const b of bad) {
      const staged = await stage(b);
      const err = await registerVersion(t.db, store, t.actors.engineer, "ocr-det", {}, { staged }).catch((e: Error) => e);
      messages.push(String((err as Error).message));
      expect(fs.existsSync(staged.tmpPath)).toBe(false);
      expect(await store.exists(staged.sha256)).toBe(false);
    }
    expect(messages[0]).toMatch(/not an ONNX model/);
    expect(messages[1]).toMatch(/empty/);
    expect(messages[2]).toMatch(/truncated/);
    const versions = await t.db.select().from(modelVersions);
    expect(versions).toHaveLength(1);
  });

  it("gives concurrent registrations distinct consecutive numbers and stores shared bytes once", async () => {
    const results = await Promise.all([0, 1, 2].map(async () => registerVersion(t.db, store, t.actors.engineer, "ocr-det", {}, { staged: await stage(DET) })));
    expect(results.map((r) => r.version.number).sort()).toEqual([2, 3, 4]);
    expect(fs.readdirSync(path.join(root, "sha256", results[0].artifact!.sha256.slice(0, 2)))).toHaveLength(1);
  });

  it("records an external artifact without bytes and says it cannot be downloaded", async () => {
    const v = await registerVersion(t.db, store, t.actors.engineer, "ocr-det", { artifactUri: "s3://models/ocr-det/5/model.onnx" });
    expect(versionResource(v).artifact).toEqual({ held: false, uri: "s3://models/ocr-det/5/model.onnx" });
    expect(() => assertDownloadable(v)).toThrow(/holds no file/);
    await expect(registerVersion(t.db, store, t.actors.engineer, "ocr-det", {})).rejects.toThrow(/file/);
  });

  it("moves aliases, resolves them, marks breaking signature changes against production", async () => {
    await setAlias(t.db, t.actors.engineer, "ocr-det", "production", 1);
    const moved = await setAlias(t.db, t.actors.engineer, "ocr-det", "production", 2);
    expect(moved).toMatchObject({ version: 2, previousVersion: 1 });
    expect((await resolveAlias(t.db, "ocr-det", "production")).version.number).toBe(2);
    await expect(setAlias(t.db, t.actors.engineer, "ocr-det", "production", 99)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(setAlias(t.db, t.actors.engineer, "ocr-det", "Bad Alias!", 1)).rejects.toThrow();

    const cls = await registerVersion(t.db, store, t.actors.engineer, "ocr-det", {}, { staged: await stage(CLS) });
    const bc = versionResource(cls).breakingChange;
    expect(bc?.againstVersion).toBe(2);
    expect(bc?.changes).toContainEqual(expect.objectContaining({ side: "output", name: "sigmoid_0.tmp_0", change: "removed" }));
    const same = await registerVersion(t.db, store, t.actors.engineer, "ocr-det", {}, { staged: await stage(DET) });
    expect(versionResource(same).breakingChange).toBeNull();
    // The classifier's signature differs from the version before it, so its manifest was prefilled…
    expect(versionResource(cls).manifest).toMatchObject({ input: { name: "x" }, postprocess: { kind: "db-text" } });

    const cmp = await compareVersions(t.db, "ocr-det", 1, cls.version.number);
    expect(cmp.signatureChanges.length).toBeGreaterThan(0);
    expect(cmp.operators.find((o) => o.op === "Softmax")).toEqual({ op: "Softmax", a: 0, b: 1 });
  });

  it("flags a stored file whose bytes changed and refuses to hand it out", async () => {
    const v = await getVersion(t.db, "ocr-det", 1);
    const file = store.pathFor(v.artifact!.sha256);
    const original = fs.readFileSync(file);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, Buffer.concat([original.subarray(0, 1000), Buffer.from("tampered")]));
    expect(await verifyArtifact(t.db, store, t.actors.engineer, v.artifact!.sha256)).toBe("mismatch");
    const flagged = await getVersion(t.db, "ocr-det", 1);
    expect(flagged.artifact?.integrity).toBe("mismatch");
    expect(() => assertDownloadable(flagged)).toThrow(/integrity/);
    fs.writeFileSync(file, original);
    expect(await verifyArtifact(t.db, store, null, v.artifact!.sha256)).toBe("ok");
  });

  it("a replica that cannot see a file reports its own problem and leaves the shared row alone", async () => {
    const elsewhere = new LocalArtifactStore(fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-other-replica-")));
    const report = await verifyAllArtifacts(t.db, elsewhere);
    expect(report.unseen).toBeGreaterThan(0);
    expect(report.missing).toBe(0);
    // Its own health answer and metric say so.
    expect(artifactHealth()).toMatchObject({ status: "degraded", store: "local", unseen: report.unseen });
    expect(await metrics.registry.getSingleMetricAsString("sentinel_artifacts_unseen")).toContain(`sentinel_artifacts_unseen ${report.unseen}`);
    const v = await getVersion(t.db, "ocr-det", 1);
    // An engineer's check through this replica is refused as its problem, and records nothing.
    await expect(verifyArtifact(t.db, elsewhere, t.actors.engineer, v.artifact!.sha256)).rejects.toMatchObject({ code: "UNAVAILABLE" });
    const after = await getVersion(t.db, "ocr-det", 1);
    expect(after.artifact?.integrity).toBe("ok");
    expect(() => assertDownloadable(after)).not.toThrow();
    // Pointed at the right store again, the replica is healthy.
    expect(await verifyAllArtifacts(t.db, store)).toMatchObject({ unseen: 0, missing: 0 });
    expect(artifactHealth()).toMatchObject({ status: "ok", unseen: 0 });
    expect(await metrics.registry.getSingleMetricAsString("sentinel_artifacts_unseen")).toContain("sentinel_artifacts_unseen 0");
  });

  it("keeps only a safe base name from uploaded file names", () => {
    expect(safeFileName("../../evil/<script>.onnx", "x.onnx")).toBe("script_.onnx");
    expect(safeFileName("C:\\models\\détecteur.onnx", "x.onnx")).toBe("detecteur.onnx");
    expect(safeFileName(".hidden", "fallback.onnx")).toBe("fallback.onnx");
    expect(safeFileName(undefined, "fallback.onnx")).toBe("fallback.onnx");
  });

  it("keeps the manifest of the latest version when the signature is unchanged", async () => {
    await t.caller("engineer").registry.updateVersion({
      slug: "ocr-det",
      version: 1,
      patch: { manifest: { input: { name: "x", layout: "NCHW", width: 320, height: 320 }, labels: ["text"], postprocess: { kind: "db-text" } } },
    });
    const latest = (await getModelVersions()).at(0)!;
    await t.caller("engineer").registry.updateVersion({
      slug: "ocr-det",
      version: latest,
      patch: { manifest: { input: { name: "x", layout: "NCHW", width: 320, height: 320 }, labels: ["text"], postprocess: { kind: "db-text" } } },
    });
    const next = await registerVersion(t.db, store, t.actors.engineer, "ocr-det", {}, { staged: await stage(DET) });
    expect(versionResource(next).manifest).toMatchObject({ input: { width: 320 }, labels: ["text"] });
  });

  it("leaves tags alone when an update does not mention them", async () => {
    await t.caller("engineer").registry.updateVersion({ slug: "ocr-det", version: 1, patch: { tags: { night: "ok" } } });
    const v = await t.caller("engineer").registry.updateVersion({ slug: "ocr-det", version: 1, patch: { description: "changed" } });
    expect(v.tags).toEqual({ night: "ok" });
    expect(v.description).toBe("changed");
  });

  it("counts versions and the latest number per model in the list", async () => {
    const list = await listModels(t.db, { q: "ocr-det" });
    expect(list.items[0].versionCount).toBe((await getModelVersions()).length);
    expect(list.items[0].latestVersion).toBe((await getModelVersions())[0]);
  });

  it("lets viewers read but not write through tRPC", async () => {
    const list = await t.caller("viewer").registry.list({ q: "det" });
    expect(list.items.map((m) => m.slug)).toEqual(["ocr-det"]);
    expect(list.items[0].aliases).toEqual([{ alias: "production", version: 2 }]);
    await expect(t.caller("viewer").registry.setAlias({ slug: "ocr-det", alias: "staging", version: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(t.caller("viewer").registry.createModel({ slug: "x-model", name: "x", team: "t", task: "other" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
