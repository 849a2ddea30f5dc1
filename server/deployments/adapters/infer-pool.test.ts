// Inference out of the request process, through POST /api/v1/infer/{deployment}: a model that runs for
// too long costs its worker (stopped, replaced) and gets a clear error; the next request still works;
// a full queue answers 503.
import { Readable } from "node:stream";
import { onnx } from "onnx-proto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as inferRoute from "@/app/api/v1/infer/[deployment]/route";
import { deployments, deploymentTargets, environments, models, modelVersions } from "@/db/schema";
import { artifactStore } from "@/server/artifacts";
import { provideDatabase } from "@/server/db";
import { buildCameraHealthModel } from "@/server/demo/camera-health-model";
import { encodeModel, tensorValue } from "@/server/demo/onnx-fixtures";
import { createModel, registerVersion } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { InferencePool } from "./infer-pool";
import { useInferencePool } from "./local-onnx";
import { eq } from "drizzle-orm";

// Big enough that even an idle fast machine needs far longer than the 2 s deadline (about 430 GFLOP).
const N = 1024;
/** Input [1,1] broadcast into an N×N matrix, then 400 dependent N×N MatMuls: tiny request, minutes of work. */
function slowModel(): Uint8Array {
  const { DataType } = onnx.TensorProto;
  const node: onnx.INodeProto[] = [{ opType: "Add", input: ["W", "x"], output: ["y0"] }];
  for (let i = 0; i < 400; i++) node.push({ opType: "MatMul", input: [`y${i}`, "W"], output: [`y${i + 1}`] });
  node.push({ opType: "ReduceSum", input: ["y400"], output: ["out"], attribute: [{ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 }] });
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "slow",
      input: [tensorValue("x", DataType.FLOAT, [1, 1])],
      output: [tensorValue("out", DataType.FLOAT, [])],
      initializer: [{ name: "W", dims: [N, N], dataType: DataType.FLOAT, rawData: new Uint8Array(N * N * 4).fill(1) }],
      node,
    },
  });
}

let t: TestEnv;
let token = "";
const ids: Record<string, string> = {};
const pool = new InferencePool({ size: 1, queue: 1, runTimeoutMs: 2_000, loadTimeoutMs: 30_000, memoryMb: 128 });
// Whole numbers keep the JSON body under MAX_BODY_BYTES.
const image = { dims: [1, 3, 224, 224], data: Array.from({ length: 3 * 224 * 224 }, (_, i) => i % 2) };
const post = (deployment: string, inputs: unknown) =>
  inferRoute.POST(
    new Request(`http://portal.test/api/v1/infer/${deployment}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ inputs }),
    }),
    {
      params: Promise.resolve({ deployment }),
    },
  );

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  useInferencePool(pool);
  const eng = t.actors.engineer;
  await t.db.insert(environments).values({ key: "dev", name: "Dev", rank: 0, protected: false });
  const [target] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "api", name: "API", kind: "cloud-online", environment: "dev", runtime: { onnxRuntime: "1.20", maxOpset: 21 }, hardwareClass: "cloud-cpu" })
    .returning();
  for (const [slug, bytes] of [
    ["cam", buildCameraHealthModel()],
    ["slow", slowModel()],
  ] as const) {
    await createModel(t.db, eng, { slug, name: slug, team: "perception", task: "classification" });
    const staged = await artifactStore.stage(Readable.from([Buffer.from(bytes)]), 1 << 30);
    await registerVersion(t.db, artifactStore, eng, slug, { status: "approved" }, { staged, fileName: `${slug}.onnx` });
    const [v] = await t.db
      .select({ id: modelVersions.id, modelId: modelVersions.modelId })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(eq(models.slug, slug));
    const [d] = await t.db.insert(deployments).values({ targetId: target.id, modelId: v.modelId, stableVersionId: v.id }).returning();
    ids[slug] = d.id;
  }
  token = (await createToken(t.db, t.actors.viewer, { name: "infer", scopes: ["models:read"] })).token;
});
afterAll(async () => {
  await pool.close();
  await t.close();
});

describe("inference in a worker pool", () => {
  it("stops a model that runs too long with a clear error, and serves the next request", async () => {
    const ok = await post(ids.cam, { image });
    expect(ok.status).toBe(200);
    expect(Object.keys((await ok.json()).outputs)).toContain("scores");

    const started = Date.now();
    const hostile = await post(ids.slow, { x: { dims: [1, 1], data: [1] } });
    expect(hostile.status).toBe(400);
    expect((await hostile.json()).detail).toBe("v1 took longer than 2 s to run; its worker was stopped");
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(pool.stopped).toBe(1);

    const after = await post(ids.cam, { image });
    expect(after.status).toBe(200);
  });

  it("answers 503 when the queue is full, and the queued request still runs", async () => {
    // One worker, one place in the queue: the slow model holds the worker, a normal request waits, a third is refused.
    // Each request reaches the pool after a few awaits (token, deployment, the stored file), so wait until the pool
    // itself shows the worker busy and the queue full before sending the next one.
    const busy = post(ids.slow, { x: { dims: [1, 1], data: [1] } });
    await vi.waitFor(() => expect(pool.load.running).toBe(1), { timeout: 10_000, interval: 5 });
    const queued = post(ids.cam, { image });
    await vi.waitFor(() => expect(pool.load.waiting).toBe(1), { timeout: 10_000, interval: 5 });
    const refused = await post(ids.cam, { image });
    expect(refused.status).toBe(503);
    expect((await refused.json()).detail).toMatch(/Inference is busy/);
    expect((await busy).status).toBe(400);
    expect((await queued).status).toBe(200);
  });
});
