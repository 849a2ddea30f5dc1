// "Register as model version" from a run's artifact, through the tRPC door: role floor, validation
// that changes nothing, one audit row, and the ONNX bytes copied into the registry store.
import { Readable } from "node:stream";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { artifactStore } from "@/server/artifacts";
import { encodeModel, syntheticModel } from "@/server/demo/onnx-fixtures";
import { getVersion, registryCounts } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { proxiedRootOf, putArtifact } from "./artifacts";
import { createExperiment, createRun } from "./service";

let t: TestEnv;
let runId: string;

const auditRows = async () => (await t.db.select({ n: count() }).from(auditLog))[0].n;
const modelRows = async () => (await registryCounts(t.db)).models;

beforeAll(async () => {
  t = await setupTestEnv();
  const eng = t.actors.engineer;
  const exp = await createExperiment(t.db, eng, { name: "register-from-artifact" });
  const run = await createRun(t.db, eng, { experimentId: String(exp.id) });
  runId = run.info.runId;
  const root = proxiedRootOf(run.info.artifactUri)!;
  const put = (p: string, bytes: Uint8Array) => putArtifact(t.db, artifactStore, eng, `${root}/${p}`, Readable.from([bytes]), 10_000_000);
  await put("model/model.onnx", encodeModel(syntheticModel()));
  await put("model/MLmodel", Buffer.from("flavors: {}\n"));
  await put("notes.txt", Buffer.from("hello"));
  await t.caller("engineer").registry.createModel({ slug: "existing-model", name: "Existing model", team: "perception", task: "classification" });
});
afterAll(async () => {
  await t.close();
});

describe("experiments.registerArtifact", () => {
  it("refuses a viewer and an anonymous caller, and changes nothing", async () => {
    const before = [await auditRows(), await modelRows()];
    const input = { runId, path: "model", model: { kind: "new" as const, name: "From viewer" } };
    await expect(t.caller("viewer").experiments.registerArtifact(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(t.caller(null).experiments.registerArtifact(input)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect([await auditRows(), await modelRows()]).toEqual(before);
  });

  it("answers 400 for a bad model name or a file that is not ONNX, and changes nothing", async () => {
    const before = [await auditRows(), await modelRows()];
    const eng = t.caller("engineer").experiments;
    for (const name of ["", "   ", "a/b", "tab\there", "x".repeat(121)]) {
      await expect(eng.registerArtifact({ runId, path: "model", model: { kind: "new", name } }), JSON.stringify(name)).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    await expect(eng.registerArtifact({ runId, path: "notes.txt", model: { kind: "existing", slug: "existing-model" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/directory or an \.onnx file/),
    });
    await expect(eng.registerArtifact({ runId, path: "../other", model: { kind: "existing", slug: "existing-model" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(eng.registerArtifact({ runId, path: "missing", model: { kind: "existing", slug: "existing-model" } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // A taken name is a conflict, and the model is not created twice.
    await expect(eng.registerArtifact({ runId, path: "model", model: { kind: "new", name: "Existing model" } })).rejects.toMatchObject({ code: "CONFLICT" });
    expect([await auditRows(), await modelRows()]).toEqual(before);
  });

  it("registers an .onnx file into an existing model with one audit row, the bytes copied and the run as lineage", async () => {
    const before = await auditRows();
    const r = await t.caller("engineer").experiments.registerArtifact({ runId, path: "model/model.onnx", model: { kind: "existing", slug: "existing-model" } });
    expect(r).toMatchObject({ slug: "existing-model", version: 1, href: "/models/existing-model/versions/1" });
    expect(await auditRows()).toBe(before + 1);
    const [row] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "model_version.create"), eq(auditLog.entityId, "existing-model/1")));
    expect(row).toBeDefined();
    const { version: v } = await getVersion(t.db, "existing-model", 1);
    expect(v.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v.artifactUri).toBeNull();
    expect(v.lineage).toMatchObject({
      sourceRunId: runId,
      sourceUri: expect.stringMatching(new RegExp(`^mlflow-artifacts:/\\d+/${runId}/artifacts/model/model\\.onnx$`)),
    });
  });

  it("registers a model directory under a new name: the model and its first version, readable through the MLflow door's view", async () => {
    const r = await t.caller("engineer").experiments.registerArtifact({ runId, path: "model", model: { kind: "new", name: "Lane detector from run" } });
    expect(r).toMatchObject({ name: "Lane detector from run", slug: "lane-detector-from-run", version: 1 });
    const version = await t.caller("viewer").registry.version({ slug: r.slug, version: 1 });
    expect(version.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
