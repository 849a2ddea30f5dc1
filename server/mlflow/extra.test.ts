// MLflow's error contract, artifact proxy, datasets, bulk histories and prompt-lab runs, played
// through the real route handlers (the /api/2.0, /ajax-api/2.0, mlflow-artifacts and /get-artifact doors).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { auditLog, mlflowArtifactFiles, models, modelVersions } from "@/db/schema";
import { encodeModel, syntheticModel } from "@/server/demo/onnx-fixtures";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { mlflowAjaxRoute, mlflowRoute } from "./door";
import { getArtifactRoute, mlflowArtifactsRoute, mlflowMpuRoute } from "./extra";
import { sampleSteps } from "@/server/experiments/metric-history";

let t: TestEnv;
let writer: string;
let reader: string;

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  writer = (await createToken(t.db, t.actors.engineer, { name: "ci", scopes: ["runs:read", "runs:write", "models:read", "models:write"] })).token;
  reader = (await createToken(t.db, t.actors.engineer, { name: "ro", scopes: ["runs:read", "models:read"] })).token;
});
afterAll(async () => {
  await t.close();
});

type Reply = { status: number; headers: Headers; json: Record<string, unknown> & { error_code?: string; message?: string } };
type Query = Record<string, string | string[]>;
const ORIGIN = "http://sentinel.test";

function request(method: string, url: string, opts: { body?: BodyInit; json?: unknown; token?: string | null; headers?: Record<string, string> } = {}) {
  const token = opts.token === undefined ? writer : opts.token;
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers };
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] = "application/json";
  }
  return new Request(`${ORIGIN}${url}`, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : {} };
}

const qs = (q: Query = {}) => {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
  return sp.size ? `?${sp}` : "";
};

async function api(method: string, path: string, opts: { query?: Query; json?: unknown; token?: string | null; ajax?: boolean } = {}): Promise<Reply> {
  const prefix = opts.ajax ? "/ajax-api/2.0/mlflow" : "/api/2.0/mlflow";
  const req = request(method, `${prefix}/${path}${qs(opts.query)}`, { json: method === "GET" ? undefined : (opts.json ?? {}), token: opts.token });
  const route = opts.ajax ? mlflowAjaxRoute : mlflowRoute;
  return reply(await route(req, { params: Promise.resolve({ path: path.split("/") }) }));
}

const proxy = (method: string, path: string, opts: { body?: BodyInit; token?: string | null; headers?: Record<string, string> } = {}) =>
  mlflowArtifactsRoute(request(method, `/api/2.0/mlflow-artifacts/artifacts${path}`, opts));

function expectError(r: Reply, status: number, code: string, message?: string | RegExp) {
  expect(r.status).toBe(status);
  expect(r.json.error_code).toBe(code);
  if (typeof message === "string") expect(r.json.message).toBe(message);
  else if (message) expect(r.json.message).toMatch(message);
}

async function newRun(experimentId = "0"): Promise<{ runId: string; root: string; artifactUri: string }> {
  const r = await api("POST", "runs/create", { json: { experiment_id: experimentId, user_id: "ci", start_time: Date.now() } });
  const info = (r.json.run as { info: { run_id: string; artifact_uri: string } }).info;
  return { runId: info.run_id, artifactUri: info.artifact_uri, root: info.artifact_uri.replace("mlflow-artifacts:/", "") };
}

const API_DOCS = " See the API docs for more information about request parameters.";

describe("MLflow's error contract", () => {
  it("max_results beyond the limit answers MLflow's wording on runs, registry and version search", async () => {
    expectError(
      await api("POST", "runs/search", { json: { experiment_ids: ["0"], max_results: 50001 } }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Invalid value 50001 for parameter 'max_results' supplied. Hint: Value was of type 'int'.${API_DOCS}`,
    );
    expectError(
      await api("GET", "registered-models/search", { query: { max_results: "1001" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Invalid value 1001 for parameter 'max_results' supplied. Hint: Value was of type 'str'.${API_DOCS}`,
    );
    expectError(
      await api("GET", "model-versions/search", { query: { max_results: "200001" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      /Invalid value 200001 for parameter 'max_results'/,
    );
    expectError(
      await api("POST", "runs/search", { json: { experiment_ids: ["0"], max_results: "abc" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Invalid value abc for parameter 'max_results' supplied. Hint: Value was of type 'str'.${API_DOCS}`,
    );
  });

  it("a ../ path on artifacts/list and get-artifact is 400 Invalid path, in every encoding", async () => {
    const { runId } = await newRun();
    for (const path of ["../x", "a/../../x", "%2E%2E%2Fx", "%252E%252E%252Fx", "/etc/passwd", "a\\..\\b", "file:///etc/passwd", "C:/x"]) {
      const list = await api("GET", "artifacts/list", { query: { run_id: runId, path } });
      expect(list, path).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid path" } });
      const got = await reply(await getArtifactRoute(request("GET", `/get-artifact${qs({ run_id: runId, path })}`)));
      expect(got, path).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid path" } });
    }
  });

  it("unknown endpoints are 404 ENDPOINT_NOT_FOUND and a wrong method 405 with Allow, under both prefixes", async () => {
    expectError(await api("GET", "runs/nope"), 404, "ENDPOINT_NOT_FOUND");
    expectError(await api("POST", "nope", { ajax: true }), 404, "ENDPOINT_NOT_FOUND");
    const wrong = await api("GET", "runs/log-metric", { ajax: true });
    expectError(wrong, 405, "ENDPOINT_NOT_FOUND");
    expect(wrong.headers.get("allow")).toBe("POST");
    // The UI-only endpoints exist under /ajax-api only, as on MLflow's server.
    expectError(await api("GET", "metrics/get-history-bulk", { query: { run_id: "x", metric_key: "m" } }), 404, "ENDPOINT_NOT_FOUND");
    expect((await api("GET", "experiments/get", { query: { experiment_id: "0" }, ajax: true })).status).toBe(200);
  });
});

describe("artifact proxy", () => {
  it("log_artifact, list, download and delete through mlflow-artifacts, stored by content and audited", async () => {
    const { runId, root, artifactUri } = await newRun();
    expect(artifactUri).toBe(`mlflow-artifacts:/0/${runId}/artifacts`);
    expect((await proxy("PUT", `/${root}/notes.txt`, { body: "hello artifacts\n" })).status).toBe(200);
    expect((await proxy("PUT", `/${root}/model/model.onnx`, { body: new Uint8Array([8, 1, 2, 3]) })).status).toBe(200);
    expect((await proxy("PUT", `/${root}/model/sub/deep.json`, { body: '{"a":1}' })).status).toBe(200);

    const top = await reply(await proxy("GET", `?path=${encodeURIComponent(root)}`));
    expect(top.json).toEqual({
      files: [
        { path: "model", is_dir: true },
        { path: "notes.txt", is_dir: false, file_size: 16 },
      ],
    });
    const list = await api("GET", "artifacts/list", { query: { run_id: runId, path: "model" } });
    expect(list.json).toEqual({
      root_uri: artifactUri,
      files: [
        { path: "model/model.onnx", is_dir: false, file_size: 4 },
        { path: "model/sub", is_dir: true },
      ],
    });
    expect((await api("GET", "artifacts/list", { query: { run_id: runId, path: "nothing-here" } })).json).toEqual({ root_uri: artifactUri });

    const down = await proxy("GET", `/${root}/notes.txt`);
    expect(down.status).toBe(200);
    expect(down.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(await down.text()).toBe("hello artifacts\n");
    const viaRun = await getArtifactRoute(request("GET", `/get-artifact${qs({ run_id: runId, path: "model/model.onnx" })}`));
    expect(new Uint8Array(await viaRun.arrayBuffer())).toEqual(new Uint8Array([8, 1, 2, 3]));

    const rows = await t.db.select().from(mlflowArtifactFiles).where(eq(mlflowArtifactFiles.runId, runId));
    expect(rows.map((r) => r.path).sort()).toEqual([`${root}/model/model.onnx`, `${root}/model/sub/deep.json`, `${root}/notes.txt`]);
    expect(
      (
        await t.db
          .select()
          .from(auditLog)
          .where(eq(auditLog.entityId, `${root}/notes.txt`))
      ).map((a) => a.action),
    ).toEqual(["artifact.upload"]);

    expect((await proxy("DELETE", `/${root}/model`)).status).toBe(200);
    expect((await reply(await proxy("GET", `?path=${encodeURIComponent(root)}`))).json).toEqual({
      files: [{ path: "notes.txt", is_dir: false, file_size: 16 }],
    });
    expectError(await reply(await proxy("GET", `/${root}/model/model.onnx`)), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("refuses traversal (also double-encoded), a read-only token, an over-limit upload, and writes nothing", async () => {
    const { root } = await newRun();
    const before = (await t.db.select().from(mlflowArtifactFiles)).length;
    // A literal /../ or /%2E%2E/ never reaches a handler (URL parsing resolves it inside the artifact
    // root); encoded slashes and double encodings do.
    for (const p of [`/${root}/..%2F..%2Fetc/passwd`, `/${root}/%2E%2E%2F%2E%2E%2Fx`, `/${root}/%252E%252E/x`, `/%2Fetc/passwd`, `/${root}/a%5Cb`]) {
      const r = await reply(await proxy("PUT", p, { body: "x" }));
      expect(r, p).toMatchObject({ status: 400, json: { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid path" } });
    }
    expectError(await reply(await proxy("PUT", `/${root}/a.txt`, { body: "x", token: reader })), 403, "PERMISSION_DENIED");
    expectError(await reply(await proxy("PUT", `/${root}/a.txt`, { body: "x", token: null })), 401, "UNAUTHENTICATED");
    const huge = await reply(await proxy("PUT", `/${root}/big.bin`, { body: "x", headers: { "content-length": String(5 * 1024 ** 3) } }));
    expectError(huge, 400, "INVALID_PARAMETER_VALUE", /larger than the limit/);
    expect((await t.db.select().from(mlflowArtifactFiles)).length).toBe(before);
  });

  it("/ajax-api upload-artifact stores into the run's root with MLflow's messages", async () => {
    const { runId } = await newRun();
    const up = (query: Query, body?: string, headers?: Record<string, string>) =>
      mlflowAjaxRoute(request("POST", `/ajax-api/2.0/mlflow/upload-artifact${qs(query)}`, { body, headers }), {
        params: Promise.resolve({ path: ["upload-artifact"] }),
      }).then(reply);
    expectError(await up({ path: "a.txt" }, "x"), 400, "INVALID_PARAMETER_VALUE", "Request must specify run_uuid.");
    expectError(await up({ run_uuid: runId }, "x"), 400, "INVALID_PARAMETER_VALUE", "Request must specify path.");
    expectError(await up({ run_uuid: runId, path: "../a.txt" }, "x"), 400, "INVALID_PARAMETER_VALUE", "Invalid path");
    expectError(
      await up({ run_uuid: runId, path: "a.txt" }, "x", { "content-length": String(11 * 1024 * 1024) }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Artifact size is too large. Max size is 10MB.",
    );
    expect((await up({ run_uuid: runId, path: "dir/a.txt" }, "uploaded")).status).toBe(200);
    expect((await api("GET", "artifacts/list", { query: { run_id: runId, path: "dir" } })).json.files).toEqual([
      { path: "dir/a.txt", is_dir: false, file_size: 8 },
    ]);
  });
});

describe("log-model", () => {
  it("appends the model to the run's mlflow.log-model.history tag", async () => {
    const { runId } = await newRun();
    const model = { artifact_path: "model", flavors: { onnx: {} }, run_id: runId };
    expect((await api("POST", "runs/log-model", { json: { run_id: runId, model_json: JSON.stringify(model) } })).status).toBe(200);
    await api("POST", "runs/log-model", { json: { run_id: runId, model_json: JSON.stringify({ ...model, artifact_path: "second" }) } });
    const tags = ((await api("GET", "runs/get", { query: { run_id: runId } })).json.run as { data: { tags: { key: string; value: string }[] } }).data.tags;
    const history = JSON.parse(tags.find((t) => t.key === "mlflow.log-model.history")!.value) as { artifact_path: string }[];
    expect(history.map((h) => h.artifact_path)).toEqual(["model", "second"]);
    expectError(await api("POST", "runs/log-model", { json: { run_id: runId, model_json: "{not json" } }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("datasets and inputs", () => {
  it("log-inputs records datasets with input tags; runs/get, runs/search and search-datasets show them", async () => {
    const exp = (await api("POST", "experiments/create", { json: { name: "datasets-exp" } })).json.experiment_id as string;
    const { runId } = await newRun(exp);
    const dataset = {
      name: "frames-v3",
      digest: "abc123",
      source_type: "s3",
      source: '{"uri":"s3://b/frames"}',
      schema: '{"mlflow_colspec":[]}',
      profile: '{"num_rows":10}',
    };
    const tags = [{ key: "mlflow.data.context", value: "training" }];
    expect(
      (
        await api("POST", "runs/log-inputs", {
          json: {
            run_id: runId,
            datasets: [
              { tags, dataset },
              { tags, dataset },
            ],
          },
        })
      ).status,
    ).toBe(200);
    const got = await api("GET", "runs/get", { query: { run_id: runId } });
    expect((got.json.run as { inputs: unknown }).inputs).toEqual({ dataset_inputs: [{ tags, dataset }] });
    const searched = await api("POST", "runs/search", { json: { experiment_ids: [exp] } });
    expect((searched.json.runs as { inputs: unknown }[])[0].inputs).toEqual({ dataset_inputs: [{ tags, dataset }] });
    const summaries = await api("POST", "experiments/search-datasets", { json: { experiment_ids: [exp] }, ajax: true });
    expect(summaries.json).toEqual({ dataset_summaries: [{ experiment_id: exp, name: "frames-v3", digest: "abc123", context: "training" }] });
  });

  it("refuses what MLflow refuses, with its messages", async () => {
    const { runId } = await newRun();
    expectError(
      await api("POST", "runs/log-inputs", { json: { run_id: runId } }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Missing value for required parameter 'datasets'.${API_DOCS}`,
    );
    const long = { name: "d", digest: "x".repeat(37), source_type: "local", source: "/tmp" };
    expectError(
      await api("POST", "runs/log-inputs", { json: { run_id: runId, datasets: [{ dataset: long }] } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Dataset digest exceeds the maximum length of 36",
    );
    expectError(await api("POST", "runs/log-inputs", { json: { run_id: "f".repeat(32), datasets: [] } }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(
      await api("POST", "experiments/search-datasets", { json: {}, ajax: true }),
      400,
      "INVALID_PARAMETER_VALUE",
      "SearchDatasets request must specify at least one experiment_id.",
    );
    const many = Array.from({ length: 21 }, (_, i) => String(i));
    expectError(
      await api("POST", "experiments/search-datasets", { json: { experiment_ids: many }, ajax: true }),
      400,
      "INVALID_PARAMETER_VALUE",
      /more than 20 experiment_ids. Received 21/,
    );
  });
});

describe("bulk histories and prompt-lab runs", () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    a = (await newRun()).runId;
    b = (await newRun()).runId;
    const points = (n: number, scale: number) =>
      Array.from({ length: n }, (_, i) => ({ key: "loss", value: scale / (i + 1), timestamp: 1000 + i, step: i * 2 }));
    await api("POST", "runs/log-batch", { json: { run_id: a, metrics: points(50, 1) } });
    await api("POST", "runs/log-batch", { json: { run_id: b, metrics: points(10, 2) } });
  });

  it("get-history-bulk: many runs, one key, max_results, MLflow's validation", async () => {
    const r = await api("GET", "metrics/get-history-bulk", { query: { run_id: [a, b], metric_key: "loss", max_results: "55" }, ajax: true });
    const ms = r.json.metrics as { run_id: string; step: number }[];
    expect(ms).toHaveLength(55);
    expect(ms[0]).toMatchObject({ key: "loss", step: 0, timestamp: 1000 });
    const sorted = [a, b].sort();
    expect(ms.slice(0, 50).every((m) => m.run_id === sorted[0])).toBe(sorted[0] === a);
    expectError(
      await api("GET", "metrics/get-history-bulk", { query: { metric_key: "loss" }, ajax: true }),
      400,
      "INVALID_PARAMETER_VALUE",
      "GetMetricHistoryBulk request must specify at least one run_id.",
    );
    expectError(
      await api("GET", "metrics/get-history-bulk", { query: { run_id: a }, ajax: true }),
      400,
      "INVALID_PARAMETER_VALUE",
      "GetMetricHistoryBulk request must specify a metric_key.",
    );
    const tooMany = Array.from({ length: 101 }, (_, i) => `r${i}`);
    expectError(
      await api("GET", "metrics/get-history-bulk", { query: { run_id: tooMany, metric_key: "loss" }, ajax: true }),
      400,
      "INVALID_PARAMETER_VALUE",
      /more than 100 run_ids. Received 101 run_ids/,
    );
  });

  it("get-history-bulk-interval samples steps evenly and keeps each run's first and last", async () => {
    const r = await api("GET", "metrics/get-history-bulk-interval", { query: { run_ids: [a, b], metric_key: "loss", max_results: "5" }, ajax: true });
    const ms = r.json.metrics as { run_id: string; step: number }[];
    const stepsA = ms.filter((m) => m.run_id === a).map((m) => m.step);
    expect(stepsA).toContain(0);
    expect(stepsA).toContain(98);
    expect(ms.filter((m) => m.run_id === b).map((m) => m.step)).toContain(18);
    expect(stepsA.length).toBeLessThanOrEqual(8);
    const windowed = await api("GET", "metrics/get-history-bulk-interval", {
      query: { run_ids: [a], metric_key: "loss", start_step: "10", end_step: "20", max_results: "100" },
    });
    expect((windowed.json.metrics as { step: number }[]).map((m) => m.step)).toEqual([10, 12, 14, 16, 18, 20]);
    expectError(
      await api("GET", "metrics/get-history-bulk-interval", { query: { run_ids: [a], metric_key: "loss", max_results: "2501" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "max_results must be between 1 and 2500. See the API docs for more information about request parameters.",
    );
    expectError(
      await api("GET", "metrics/get-history-bulk-interval", { query: { run_ids: [a], metric_key: "loss", start_step: "5" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "If either start step or end step are specified, both must be specified.",
    );
    expectError(
      await api("GET", "metrics/get-history-bulk-interval", { query: { run_ids: [a], metric_key: "loss", start_step: "9", end_step: "3" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      /end_step must be greater than start_step/,
    );
  });

  it("sampleSteps keeps the last step and at most max_results + 1 steps", () => {
    const all = Array.from({ length: 1000 }, (_, i) => i);
    const s = sampleSteps(0, 999, 10, all);
    expect(s.has(0) && s.has(999)).toBe(true);
    expect(s.size).toBe(11);
    expect([...sampleSteps(5, 7, 10, all)]).toEqual([5, 6, 7]);
  });

  it("create-promptlab-run makes a finished run with the prompt params and an evaluation table", async () => {
    expectError(
      await api("POST", "runs/create-promptlab-run", { json: { experiment_id: "0" }, ajax: true }),
      400,
      "INVALID_PARAMETER_VALUE",
      "CreatePromptlabRun request must specify prompt_template.",
    );
    const r = await api("POST", "runs/create-promptlab-run", {
      ajax: true,
      json: {
        experiment_id: "0",
        run_name: "prompt-1",
        prompt_template: "Summarise {{incident}}",
        prompt_parameters: [{ key: "incident", value: "hard brake" }],
        model_route: "chat",
        model_parameters: [{ key: "temperature", value: 0.1 }],
        model_input: "Summarise hard brake",
        model_output: "A hard brake.",
        mlflow_version: "2.12.2",
      },
    });
    expect(r.status).toBe(200);
    const run = r.json.run as {
      info: { run_id: string; status: string };
      data: { params: { key: string; value: string }[]; tags: { key: string; value: string }[] };
    };
    expect(run.info.status).toBe("FINISHED");
    expect(run.data.params).toEqual(
      expect.arrayContaining([
        { key: "prompt_template", value: "Summarise {{incident}}" },
        { key: "temperature", value: "0.1" },
      ]),
    );
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "mlflow.source.type", value: "PROMPT_ENGINEERING" }]));
    const table = await getArtifactRoute(request("GET", `/get-artifact${qs({ run_id: run.info.run_id, path: "eval_results_table.json" })}`));
    expect(await table.json()).toEqual({ columns: ["incident", "prompt", "output"], data: [["hard brake", "Summarise hard brake", "A hard brake."]] });
  });
});

describe("registry semantics", () => {
  const create = (json: Record<string, unknown>) => api("POST", "model-versions/create", { json });

  it("create-model-version accepts a run_id this portal does not know and records it as an external run", async () => {
    await api("POST", "registered-models/create", { json: { name: "ext-model" } });
    const runId = "e".repeat(32);
    const r = await create({ name: "ext-model", source: `runs:/${runId}/model`, run_id: runId });
    expect(r.status).toBe(200);
    expect(r.json.model_version).toMatchObject({ name: "ext-model", version: "1", run_id: runId, source: `runs:/${runId}/model`, status: "READY" });
    const [v] = await t.db.select().from(modelVersions).innerJoin(models, eq(models.id, modelVersions.modelId)).where(eq(models.name, "ext-model"));
    expect(v.model_versions.lineage).toMatchObject({ sourceRunId: runId, externalRun: true });
  });

  it("applies MLflow 2.12.2's source rules with its messages", async () => {
    await api("POST", "registered-models/create", { json: { name: "src-rules" } });
    const { runId, artifactUri } = await newRun();
    const local = (s: string) =>
      `Invalid model version source: '${s}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`;
    const relative = (s: string) =>
      `Invalid model version source: '${s}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`;
    for (const s of ["/tmp/model", "file:///tmp/model", "relative/model"])
      expectError(await create({ name: "src-rules", source: s }), 400, "INVALID_PARAMETER_VALUE", local(s));
    for (const s of [
      "s3://bucket/a/../b",
      "s3://bucket/a/%2E%2E/b",
      "s3://bucket/a/%252E%252E/b",
      "s3://bucket",
      "https://host/x/./y",
      "mlflow-artifacts://host:5000/../../x",
      "ftp://h/a%00b",
    ]) {
      expectError(await create({ name: "src-rules", source: s }), 400, "INVALID_PARAMETER_VALUE", relative(s));
    }
    expectError(await create({ name: "src-rules", source: "/tmp/x", run_id: "f".repeat(32) }), 404, "RESOURCE_DOES_NOT_EXIST");
    for (const s of [`runs:/${runId}/model`, `${artifactUri}/model`, "s3://b/a//b/", "gs://bucket/model.onnx"]) {
      expect((await create({ name: "src-rules", source: s })).status, s).toBe(200);
    }
  });

  it("a relative local source is resolved against the server's working directory, as MLflow does, never against /", async () => {
    await api("POST", "registered-models/create", { json: { name: "rel-src" } });
    // A run whose artifacts are a local directory, so "inside the run's directory" is a real question.
    const exp = await api("POST", "experiments/create", { json: { name: "local-arts", artifact_location: "/srv/arts" } });
    const { runId } = await newRun(String(exp.json.experiment_id));
    const local = (s: string) =>
      `Invalid model version source: '${s}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`;
    // Without a run_id the source is quoted as given; with one, as the absolute path it resolves to.
    expectError(
      await create({ name: "rel-src", source: `srv/arts/${runId}/artifacts/model` }),
      400,
      "INVALID_PARAMETER_VALUE",
      local(`srv/arts/${runId}/artifacts/model`),
    );
    for (const [s, shown] of [
      [`srv/arts/${runId}/artifacts/model`, `${process.cwd()}/srv/arts/${runId}/artifacts/model`],
      ["./model", `${process.cwd()}/model`],
      ["file:model/dir", `${process.cwd()}/model/dir`],
      [`/srv/arts/${runId}/artifacts/../../x`, "/srv/arts/x"],
    ]) {
      expectError(await create({ name: "rel-src", source: s, run_id: runId }), 400, "INVALID_PARAMETER_VALUE", local(shown));
    }
    // The absolute path inside the run's directory is accepted, with or without file:.
    for (const s of [`/srv/arts/${runId}/artifacts/model`, `file:/srv/arts/${runId}/artifacts/model`])
      expect((await create({ name: "rel-src", source: s, run_id: runId })).status, s).toBe(200);
  });

  it("models:/ sources are resolved to the named version's storage (number, stage, latest, alias), with MLflow's messages", async () => {
    await api("POST", "registered-models/create", { json: { name: "base" } });
    await api("POST", "registered-models/create", { json: { name: "derived" } });
    const { root } = await newRun();
    expect((await proxy("PUT", `/${root}/m/model.onnx`, { body: Buffer.from(encodeModel(syntheticModel())) })).status).toBe(200);
    expect((await create({ name: "base", source: "s3://bucket/path/model" })).status).toBe(200); // v1: a URI
    expect((await create({ name: "base", source: `mlflow-artifacts:/${root}/m/model.onnx` })).status).toBe(200); // v2: held bytes
    expect((await api("POST", "model-versions/transition-stage", { json: { name: "base", version: "1", stage: "Staging" } })).status).toBe(200);
    expect((await api("POST", "registered-models/alias", { json: { name: "base", alias: "champion", version: "2" } })).status).toBe(200);
    const heldSha = async (version: string) => {
      const [v] = await t.db
        .select({ sha: modelVersions.artifactSha256, uri: modelVersions.artifactUri })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(and(eq(models.name, "derived"), eq(modelVersions.number, Number(version))));
      return v;
    };
    const baseV2 = (
      await t.db
        .select({ sha: modelVersions.artifactSha256 })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(and(eq(models.name, "base"), eq(modelVersions.number, 2)))
    )[0].sha;
    for (const [source, expected] of [
      ["models:/base/1", { sha: null, uri: "s3://bucket/path/model" }],
      ["models:/base/01", { sha: null, uri: "s3://bucket/path/model" }],
      ["models:/base/Staging", { sha: null, uri: "s3://bucket/path/model" }],
      ["models:/base/2", { sha: baseV2, uri: null }],
      ["models:/base/latest", { sha: baseV2, uri: null }],
      ["models:/base@champion", { sha: baseV2, uri: null }],
    ] as const) {
      const r = await create({ name: "derived", source });
      expect(r.status, source).toBe(200);
      const mv = r.json.model_version as { version: string; source: string };
      expect(mv.source).toBe(source);
      expect(await heldSha(mv.version), source).toEqual(expected);
    }
    // get-download-uri of a version made from models:/base/1 is base v1's storage, as MLflow answers.
    const dl = await api("GET", "model-versions/get-download-uri", { query: { name: "derived", version: "1" } });
    expect(dl.json).toEqual({ artifact_uri: "s3://bucket/path/model" });

    const before = (
      await t.db
        .select({ n: modelVersions.number })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(eq(models.name, "derived"))
    ).length;
    const unable = (s: string, why: string) => `Unable to fetch model from model URI source artifact location '${s}'.Error: ${why}`;
    const improper = (s: string) =>
      `Not a proper models:/ URI: ${s}. Models URIs must be of the form 'models:/model_name/suffix' or 'models:/model_name@alias' where suffix is a model version, stage, or the string 'latest' and where alias is a registered model alias. Only one of suffix or alias can be defined at a time.`;
    const relative = (s: string) =>
      `Invalid model version source: '${s}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`;
    // The real 2.12.2 server's messages; it answers these two kinds with INTERNAL_ERROR (500), which its client retries, so here they are 400.
    expectError(
      await create({ name: "derived", source: "models:/base/9" }),
      400,
      "INVALID_PARAMETER_VALUE",
      unable("models:/base/9", "Model Version (name=base, version=9) not found"),
    );
    expectError(
      await create({ name: "derived", source: "models:/nope/1" }),
      400,
      "INVALID_PARAMETER_VALUE",
      unable("models:/nope/1", "Model Version (name=nope, version=1) not found"),
    );
    expectError(
      await create({ name: "derived", source: "models:/base/Production" }),
      400,
      "INVALID_PARAMETER_VALUE",
      unable("models:/base/Production", "No versions of model with name 'base' and stage 'Production' found"),
    );
    expectError(
      await create({ name: "derived", source: "models:/base@nope" }),
      400,
      "INVALID_PARAMETER_VALUE",
      unable("models:/base@nope", "Registered model alias nope not found."),
    );
    for (const s of ["models:/base", "models:/base/1/x", "models:/base@", "models://base/1"])
      expectError(await create({ name: "derived", source: s }), 400, "INVALID_PARAMETER_VALUE", improper(s));
    // These two fail MLflow's relative-path rule first, as on the real server.
    for (const s of ["models:/", "models:base/1"]) expectError(await create({ name: "derived", source: s }), 400, "INVALID_PARAMETER_VALUE", relative(s));
    // The source is resolved before the target model is looked up, as in MLflow's store.
    expectError(
      await create({ name: "no-such-model", source: "models:/base/9" }),
      400,
      "INVALID_PARAMETER_VALUE",
      unable("models:/base/9", "Model Version (name=base, version=9) not found"),
    );
    expect(
      (
        await t.db
          .select({ n: modelVersions.number })
          .from(modelVersions)
          .innerJoin(models, eq(models.id, modelVersions.modelId))
          .where(eq(models.name, "derived"))
      ).length,
    ).toBe(before);
  });

  it("an mlflow-artifacts:/ or runs:/ source holding an ONNX file is copied into the registry", async () => {
    await api("POST", "registered-models/create", { json: { name: "copied" } });
    const { runId, root, artifactUri } = await newRun();
    const bytes = Buffer.from(encodeModel(syntheticModel()));
    expect((await proxy("PUT", `/${root}/model/model.onnx`, { body: bytes })).status).toBe(200);
    await proxy("PUT", `/${root}/model/MLmodel`, { body: "flavors: {}\n" });
    for (const source of [`runs:/${runId}/model`, `${artifactUri}/model/model.onnx`]) {
      const r = await create({ name: "copied", source, run_id: runId });
      expect(r.status).toBe(200);
      const [v] = await t.db
        .select({ sha: modelVersions.artifactSha256, uri: modelVersions.artifactUri })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(and(eq(models.name, "copied"), eq(modelVersions.number, Number((r.json.model_version as { version: string }).version))));
      expect(v.sha).toMatch(/^[0-9a-f]{64}$/);
      expect(v.uri).toBeNull();
      expect((r.json.model_version as { source: string }).source).toBe(source);
    }
  });

  it("registered-models/search: LIKE and ILIKE on names, paged with page tokens", async () => {
    for (const n of ["Page-A", "page-b", "Page-C", "other"]) await api("POST", "registered-models/create", { json: { name: n } });
    const names: string[] = [];
    let token: string | undefined;
    do {
      const r = await api("GET", "registered-models/search", {
        query: { filter: "name LIKE 'Page-%'", max_results: "1", ...(token ? { page_token: token } : {}) },
      });
      names.push(...((r.json.registered_models as { name: string }[] | undefined) ?? []).map((m) => m.name));
      token = r.json.next_page_token as string | undefined;
    } while (token);
    expect(names).toEqual(["Page-A", "Page-C"]);
    const ilike = await api("GET", "registered-models/search", { query: { filter: "name ILIKE 'page-%'" } });
    // Ordered by name as MLflow's store orders it (byte order: upper case first).
    expect((ilike.json.registered_models as { name: string }[]).map((m) => m.name)).toEqual(["Page-A", "Page-C", "page-b"]);
  });

  it("after registered-models/delete, get answers RESOURCE_DOES_NOT_EXIST and the name is free; Sentinel keeps the archive", async () => {
    await api("POST", "registered-models/create", { json: { name: "gone-soon" } });
    await create({ name: "gone-soon", source: "s3://b/m.onnx" });
    expect((await api("DELETE", "registered-models/delete", { json: { name: "gone-soon" } })).status).toBe(200);
    expectError(
      await api("GET", "registered-models/get", { query: { name: "gone-soon" } }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      "Registered Model with name=gone-soon not found",
    );
    expectError(await api("GET", "model-versions/get", { query: { name: "gone-soon", version: "1" } }), 404, "RESOURCE_DOES_NOT_EXIST");
    expect((await api("GET", "registered-models/search", { query: { filter: "name = 'gone-soon'" } })).json.registered_models ?? []).toEqual([]);
    const again = await api("POST", "registered-models/create", { json: { name: "gone-soon" } });
    expect(again.status).toBe(200);
    expect((await api("GET", "registered-models/get", { query: { name: "gone-soon" } })).json.registered_model).toMatchObject({
      name: "gone-soon",
      latest_versions: [],
    });
    const kept = await t.db.select().from(models).where(eq(models.name, "gone-soon"));
    expect(kept).toHaveLength(2);
    const archived = await t.db
      .select({ status: modelVersions.status })
      .from(modelVersions)
      .where(
        inArray(
          modelVersions.modelId,
          kept.map((m) => m.id),
        ),
      );
    expect(archived).toEqual([{ status: "archived" }]);
    expect((await t.db.select().from(auditLog).where(eq(auditLog.action, "model.mlflow_delete"))).length).toBe(1);
  });
});

describe("multipart upload (mpu)", () => {
  const mpu = async (method: string, path: string, opts: { json?: unknown; body?: string; token?: string | null; headers?: Record<string, string> } = {}) =>
    reply(await mlflowMpuRoute(request(method, `/api/2.0/mlflow-artifacts/mpu${path}`, opts)));
  const UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";

  // Each answer below is what MLflow 2.12.2's server with a local artifact destination gave for the same request.
  it("answers 501 NOT_IMPLEMENTED, as MLflow's local artifact store does, once path and parameters pass", async () => {
    const before = (await t.db.select().from(mlflowArtifactFiles)).length;
    const full = { path: "/tmp/big.bin", num_parts: 3, upload_id: "u1", parts: [] };
    for (const op of ["create", "complete", "abort"])
      expectError(await mpu("POST", `/${op}/0/abc/artifacts/big.bin`, { json: full }), 501, "NOT_IMPLEMENTED", UNSUPPORTED);
    // MLflow does not check upload_id's type.
    expectError(await mpu("POST", "/abort/0/x/big.bin", { json: { path: "x", upload_id: 7 } }), 501, "NOT_IMPLEMENTED", UNSUPPORTED);
    expect((await t.db.select().from(mlflowArtifactFiles)).length).toBe(before);
  });

  it("checks the artifact path, the content type and the parameters first, with MLflow's messages", async () => {
    expectError(
      await mpu("POST", "/create/0/x/big.bin", { json: {} }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Missing value for required parameter 'path'.${API_DOCS}`,
    );
    expectError(
      await mpu("POST", "/complete/0/x/big.bin", { json: { path: "x" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Missing value for required parameter 'parts'.${API_DOCS}`,
    );
    expectError(
      await mpu("POST", "/create/0/x/big.bin", { json: { path: "x", num_parts: "abc" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Invalid value abc for parameter 'num_parts' supplied. Hint: Value was of type 'str'.${API_DOCS}`,
    );
    expectError(
      await mpu("POST", "/create/0/x/big.bin", { json: { path: 5 } }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Invalid value 5 for parameter 'path' supplied. Hint: Value was of type 'int'.${API_DOCS}`,
    );
    expectError(
      await mpu("POST", "/create/0/x/big.bin", { body: "zz", headers: { "content-type": "text/plain" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Bad Request. Content-Type must be one of ['application/json'].",
    );
    // An empty body is no parameters, not a JSON error.
    expectError(
      await mpu("POST", "/create/0/x/big.bin", { body: "", headers: { "content-type": "application/json" } }),
      400,
      "INVALID_PARAMETER_VALUE",
      `Missing value for required parameter 'path'.${API_DOCS}`,
    );
    // The path is checked before the body (a bad path with a bad body answers for the path).
    for (const p of ["/create/0/..%2F..%2Fetc/passwd", "/abort/0/x/%252e%252e/y"])
      expectError(await mpu("POST", p, { body: "zz", headers: { "content-type": "text/plain" } }), 400, "INVALID_PARAMETER_VALUE", "Invalid path");
  });

  it("takes POST only, needs an artifact path and a runs:write token", async () => {
    expect((await mpu("GET", "/create/0/x/big.bin")).status).toBe(405);
    expect((await mpu("POST", "/create", { json: { path: "x" } })).status).toBe(404);
    expect((await mpu("POST", "/rename/0/x", { json: { path: "x" } })).status).toBe(404);
    expect((await mpu("POST", "/create/0/x/big.bin", { json: { path: "x" }, token: null })).status).toBe(401);
    expectError(await mpu("POST", "/create/0/x/big.bin", { json: { path: "x" }, token: reader }), 403, "PERMISSION_DENIED");
  });
});
