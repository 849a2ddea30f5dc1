// Registering a version from a run, through every door that does it: the MLflow door's
// create-model-version, the run page's tRPC registerArtifact and the run page's dialog (whose metrics
// come from the same rule) give a version the same metrics; and the registry services the MLflow door
// calls (archive, tags) are each one transaction with their audit rows.
import { Readable } from "node:stream";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, mlflowDeletedModels, modelAliases, models, modelVersions } from "@/db/schema";
import { versionMetricsOf } from "@/lib/version-metrics";
import { artifactStore } from "@/server/artifacts";
import { provideDatabase } from "@/server/db";
import { proxiedRootOf, putArtifact } from "@/server/experiments/artifacts";
import { createExperiment, createRun, getRun, logBatch } from "@/server/experiments/service";
import { mlflowRoute } from "@/server/mlflow/door";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { encodeModel, syntheticModel } from "@/server/demo/onnx-fixtures";
import { archiveModel, createModel, deleteModelTag, registerVersion, setAlias, setModelTag } from "./service";

let t: TestEnv;
let token: string;
let runId: string;
const LONG_KEY = `val/${"loss_".repeat(49)}`; // 249 characters: longer than the registry's 200
const SHORT_KEY = "acc";

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const eng = t.actors.engineer;
  token = (await createToken(t.db, eng, { name: "ci", scopes: ["runs:read", "runs:write", "models:read", "models:write"] })).token;
  const exp = await createExperiment(t.db, eng, { name: "register-from-run" });
  const run = await createRun(t.db, eng, { experimentId: String(exp.id) });
  runId = run.info.runId;
  await logBatch(t.db, eng, {
    runId,
    metrics: [
      { key: LONG_KEY, value: 0.25, timestamp: 1, step: 0 },
      { key: SHORT_KEY, value: 0.9, timestamp: 1, step: 0 },
    ],
  });
  const root = proxiedRootOf(run.info.artifactUri)!;
  await putArtifact(t.db, artifactStore, eng, `${root}/model/model.onnx`, Readable.from([encodeModel(syntheticModel())]), 10_000_000);
});
afterAll(async () => {
  await t.close();
});

async function mlflow(path: string, json: unknown) {
  const req = new Request(`http://sentinel.test/api/2.0/mlflow/${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  const res = await mlflowRoute(req, { params: Promise.resolve({ path: path.split("/") }) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function metricsOf(slug: string, number: number) {
  const [v] = await t.db
    .select({ metrics: modelVersions.metrics })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.slug, slug), eq(modelVersions.number, number)));
  return v.metrics;
}

describe("registerVersionFromRun", () => {
  it("gives the same metrics, a long key truncated to 200 characters, through the MLflow door, the run page's tRPC and the dialog's rule", async () => {
    await mlflow("registered-models/create", { name: "From the door" });
    const created = await mlflow("model-versions/create", { name: "From the door", source: `runs:/${runId}/model`, run_id: runId });
    expect(created.model_version).toMatchObject({ version: "1", run_id: runId });
    const door = await metricsOf("from-the-door", 1);

    const ui = await t.caller("engineer").experiments.registerArtifact({ runId, path: "model", model: { kind: "new", name: "From the run page" } });
    const page = await metricsOf(ui.slug, ui.version);

    const expected = { [LONG_KEY.slice(0, 200)]: 0.25, [SHORT_KEY]: 0.9 };
    expect(door).toEqual(expected);
    expect(page).toEqual(expected);
    // The run page's "reference the artifact" dialog posts the metrics it computes with the same rule.
    expect(versionMetricsOf((await getRun(t.db, runId)).data.metrics)).toEqual(expected);
  });
});

describe("registry services behind the MLflow door", () => {
  it("setModelTag and deleteModelTag change one key, keep the others, and write one audit row each", async () => {
    const eng = t.actors.engineer;
    await createModel(t.db, eng, { slug: "tagged", name: "Tagged", team: "perception", task: "other", tags: { keep: "1" } });
    // Concurrent writers of different keys: each reads and writes under the row lock, so none is lost.
    await Promise.all(["a", "b", "c", "d"].map((k) => setModelTag(t.db, eng, "tagged", k, k.toUpperCase())));
    await deleteModelTag(t.db, eng, "tagged", "a");
    const [m] = await t.db.select({ tags: models.tags }).from(models).where(eq(models.slug, "tagged"));
    expect(m.tags).toEqual({ keep: "1", b: "B", c: "C", d: "D" });
    const rows = await t.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, "tagged"), eq(auditLog.action, "model.update")));
    expect(rows).toHaveLength(5);
    await expect(deleteModelTag(t.db, eng, "tagged", "a")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("archiveModel archives every version, drops their aliases and hides the model from MLflow, with its audit row", async () => {
    const eng = t.actors.engineer;
    await createModel(t.db, eng, { slug: "retired", name: "Retired", team: "perception", task: "other" });
    for (let i = 0; i < 3; i++) await registerVersion(t.db, artifactStore, eng, "retired", { artifactUri: `s3://bucket/retired/${i}.onnx` });
    await setAlias(t.db, eng, "retired", "production", 2);
    await archiveModel(t.db, eng, "retired");
    const [model] = await t.db.select().from(models).where(eq(models.slug, "retired"));
    const versions = await t.db.select({ status: modelVersions.status }).from(modelVersions).where(eq(modelVersions.modelId, model.id));
    expect(versions.map((v) => v.status)).toEqual(["archived", "archived", "archived"]);
    expect(await t.db.select().from(modelAliases).where(eq(modelAliases.modelId, model.id))).toHaveLength(0);
    expect(await t.db.select().from(mlflowDeletedModels).where(eq(mlflowDeletedModels.modelId, model.id))).toHaveLength(1);
    const audit = await t.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(inArray(auditLog.action, ["model.mlflow_delete"]));
    expect(audit.filter((a) => a.action === "model.mlflow_delete")).toHaveLength(1);
  });
});
