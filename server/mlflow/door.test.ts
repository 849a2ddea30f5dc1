// HTTP-level contract of /api/2.0/mlflow: the request sequences of the wire reference, played
// against the route handler with real Request objects and a real (test) database.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { apiTokens, auditLog, runs } from "@/db/schema";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { changeRole, createUser, setUserActive } from "@/server/auth/users";
import { createToken, revokeToken, TOKEN_CACHE_MS } from "@/server/tokens/service";
import { mlflowEndpoints, mlflowRoute } from "./door";

let t: TestEnv;
let writer: string;
let reader: string;
let viewerToken: string;

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const scopes = ["runs:read", "runs:write", "models:read", "models:write"] as const;
  writer = (await createToken(t.db, t.actors.engineer, { name: "ci", scopes: [...scopes] })).token;
  reader = (await createToken(t.db, t.actors.engineer, { name: "ro", scopes: ["runs:read", "models:read"] })).token;
  viewerToken = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["runs:read", "models:read"] })).token;
});
afterAll(async () => {
  await t.close();
});

type Query = Record<string, string | number | (string | number)[]>;
type Reply = { status: number; json: Record<string, unknown> & { error_code?: string; message?: string } };

async function call(method: string, path: string, opts: { query?: Query; body?: unknown; raw?: string; token?: string | null } = {}): Promise<Reply> {
  const url = new URL(`http://sentinel.test/api/2.0/mlflow/${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) for (const x of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(x));
  const token = opts.token === undefined ? writer : opts.token;
  const headers: Record<string, string> = { "user-agent": "mlflow-python-client/2.12.2" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (method !== "GET") headers["content-type"] = "application/json";
  const body = opts.raw ?? (method !== "GET" ? JSON.stringify(opts.body ?? {}) : undefined);
  const res = await mlflowRoute(new Request(url, { method, headers, body }), { params: Promise.resolve({ path: path.split("/") }) });
  return { status: res.status, json: await res.json() };
}
const get = (path: string, query: Query, token?: string | null) => call("GET", path, { query, token });
const post = (path: string, body: unknown, token?: string | null) => call("POST", path, { body, token });

function expectError(r: Reply, status: number, code: string, message?: RegExp) {
  expect(r.status).toBe(status);
  expect(r.json.error_code).toBe(code);
  expect(typeof r.json.message).toBe("string");
  if (message) expect(r.json.message).toMatch(message);
}

type RunJson = {
  info: Record<string, unknown>;
  data: {
    metrics?: { key: string; value: unknown; step: number; timestamp: number }[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
};

describe("fluent set_experiment and start_run", () => {
  let experimentId: string;
  let runId: string;

  it("set_experiment(new name): get-by-name 404, create, get", async () => {
    expectError(await get("experiments/get-by-name", { experiment_name: "wire-test" }), 404, "RESOURCE_DOES_NOT_EXIST");
    const created = await post("experiments/create", { name: "wire-test", tags: [{ key: "team", value: "perception" }] });
    expect(created.status).toBe(200);
    experimentId = created.json.experiment_id as string;
    expect(experimentId).toMatch(/^\d+$/);
    const got = await get("experiments/get", { experiment_id: experimentId });
    expect(got.json.experiment).toMatchObject({
      experiment_id: experimentId,
      name: "wire-test",
      lifecycle_stage: "active",
      tags: [{ key: "team", value: "perception" }],
    });
    expect((await get("experiments/get-by-name", { experiment_name: "wire-test" })).json.experiment).toMatchObject({ experiment_id: experimentId });
    expectError(await post("experiments/create", { name: "wire-test" }), 400, "RESOURCE_ALREADY_EXISTS");
  });

  it("the Default experiment 0 exists and takes runs created without an experiment", async () => {
    expect((await get("experiments/get", { experiment_id: "0" })).json.experiment).toMatchObject({ experiment_id: "0", name: "Default" });
    const r = await post("runs/create", { user_id: "unknown", start_time: 1 });
    expect((r.json.run as RunJson).info.experiment_id).toBe("0");
  });

  it("start_run: runs/create with the fluent tags, answered with a full run", async () => {
    const r = await post("runs/create", {
      experiment_id: experimentId,
      user_id: "erin",
      run_name: "sweep-1",
      start_time: 1_700_000_000_000,
      tags: [
        { key: "mlflow.user", value: "erin" },
        { key: "mlflow.source.name", value: "train.py" },
        { key: "mlflow.source.type", value: "LOCAL" },
        { key: "mlflow.runName", value: "sweep-1" },
      ],
    });
    expect(r.status).toBe(200);
    const run = r.json.run as RunJson;
    runId = run.info.run_id as string;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info).toMatchObject({
      run_uuid: runId,
      run_name: "sweep-1",
      experiment_id: experimentId,
      user_id: "erin",
      status: "RUNNING",
      start_time: 1_700_000_000_000,
      lifecycle_stage: "active",
    });
    expect(run.info.end_time).toBeUndefined();
    expect(run.data.tags).toContainEqual({ key: "mlflow.source.type", value: "LOCAL" });
    // The audit log names the token that created the run.
    const [row] = await t.db.select().from(runs).where(eq(runs.runId, runId));
    expect(row.createdByToken).not.toBeNull();
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, runId));
    expect(audit[0]).toMatchObject({ action: "run.create", actorLabel: "engineer@test.local (token)" });
  });

  it("log_param / log_metric / set_tag / log_batch, then get_run returns the latest value per key", async () => {
    expect((await post("runs/log-parameter", { run_id: runId, run_uuid: runId, key: "lr", value: "0.01" })).json).toEqual({});
    expect((await post("runs/log-parameter", { run_id: runId, run_uuid: runId, key: "lr", value: "0.01" })).status).toBe(200);
    expectError(
      await post("runs/log-parameter", { run_id: runId, run_uuid: runId, key: "lr", value: "0.02" }),
      400,
      "INVALID_PARAMETER_VALUE",
      /Changing param values is not allowed/,
    );
    await post("runs/log-metric", { run_id: runId, run_uuid: runId, key: "loss", value: 0.9, timestamp: 1000, step: 0 });
    await post("runs/set-tag", { run_id: runId, run_uuid: runId, key: "note", value: "first" });
    await post("runs/set-tag", { run_id: runId, run_uuid: runId, key: "note", value: "second" });
    const batch = await post("runs/log-batch", {
      run_id: runId,
      metrics: [
        { key: "loss", value: 0.5, timestamp: 3000, step: 2 },
        { key: "loss", value: 0.7, timestamp: 4000, step: 1 },
        { key: "acc", value: "NaN", timestamp: 3000, step: 2 },
        { key: "peak", value: "Infinity", timestamp: 3000 },
      ],
      params: [{ key: "batch_size", value: "32" }],
      tags: [{ key: "stage", value: "train" }],
    });
    expect(batch).toEqual({ status: 200, json: {} });
    // Python's json writes bare NaN tokens; they are read too.
    const bare = await call("POST", "runs/log-batch", {
      raw: `{"run_id": "${runId}", "metrics": [{"key": "neg", "value": -Infinity, "timestamp": 1, "step": 0}]}`,
    });
    expect(bare.status).toBe(200);
    const run = (await get("runs/get", { run_id: runId, run_uuid: runId })).json.run as RunJson;
    const m = Object.fromEntries(run.data.metrics!.map((x) => [x.key, x]));
    expect(m.loss).toEqual({ key: "loss", value: 0.5, timestamp: 3000, step: 2 });
    expect(m.acc.value).toBe("NaN");
    expect(m.peak).toEqual({ key: "peak", value: "Infinity", timestamp: 3000, step: 0 });
    expect(m.neg.value).toBe("-Infinity");
    expect(run.data.params).toEqual([
      { key: "batch_size", value: "32" },
      { key: "lr", value: "0.01" },
    ]);
    expect(run.data.tags).toContainEqual({ key: "note", value: "second" });
  });

  it("get_metric_history pages with max_results and page_token until next_page_token is empty", async () => {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: "curve", value: Math.sin(i), timestamp: 10_000 + i, step: i }));
    expect((await post("runs/log-batch", { run_id: runId, metrics })).status).toBe(200);
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const q: Query = { run_id: runId, run_uuid: runId, metric_key: "curve", max_results: "300" };
      if (token) q.page_token = token;
      const r = await get("metrics/get-history", q);
      expect(r.status).toBe(200);
      const ms = r.json.metrics as { step: number }[];
      seen.push(...ms.map((x) => x.step));
      token = (r.json.next_page_token as string | undefined) || undefined;
      pages++;
    } while (token);
    expect(pages).toBe(4);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expectError(await get("metrics/get-history", { run_id: runId, metric_key: "curve", page_token: "garbage" }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("update_run (get then update) and set_terminated", async () => {
    expect((await get("runs/get", { run_id: runId, run_uuid: runId })).status).toBe(200);
    const renamed = await post("runs/update", { run_id: runId, run_uuid: runId, status: "RUNNING", run_name: "sweep-1b" });
    expect(renamed.json.run_info).toMatchObject({ run_name: "sweep-1b", status: "RUNNING" });
    const done = await post("runs/update", { run_id: runId, run_uuid: runId, status: "FINISHED", end_time: 1_700_000_100_000 });
    expect(done.json.run_info).toMatchObject({ status: "FINISHED", end_time: 1_700_000_100_000 });
    const run = (await get("runs/get", { run_id: runId })).json.run as RunJson;
    expect(run.data.tags).toContainEqual({ key: "mlflow.runName", value: "sweep-1b" });
    expectError(await post("runs/update", { run_id: runId, status: "DONE" }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("search_runs with filter, order_by and paging; errors point at the position", async () => {
    for (let i = 0; i < 12; i++) {
      const r = await post("runs/create", { experiment_id: experimentId, run_name: `grid-${i}`, start_time: 2_000_000 + i, tags: [] });
      const id = ((r.json.run as RunJson).info.run_id as string) ?? "";
      await post("runs/log-batch", {
        run_id: id,
        metrics: [{ key: "acc", value: i / 10, timestamp: 1, step: 0 }],
        params: [{ key: "lr", value: i % 2 ? "0.01" : "0.1" }],
      });
    }
    const names: string[] = [];
    let token: string | undefined;
    do {
      const r = await post("runs/search", {
        experiment_ids: [experimentId],
        filter: "metrics.acc > 0.25 and params.lr = '0.01'",
        run_view_type: "ACTIVE_ONLY",
        max_results: 2,
        order_by: ["metrics.acc DESC"],
        ...(token ? { page_token: token } : {}),
      });
      expect(r.status).toBe(200);
      names.push(...(r.json.runs as RunJson[]).map((x) => x.info.run_name as string));
      token = r.json.next_page_token as string | undefined;
    } while (token);
    expect(names).toEqual(["grid-11", "grid-9", "grid-7", "grid-5", "grid-3"]);
    const full = await post("runs/search", { experiment_ids: [experimentId], filter: "attributes.run_name = 'grid-3'", max_results: 10000 });
    expect((full.json.runs as RunJson[])[0].data.params).toEqual([{ key: "lr", value: "0.01" }]);
    const bad = await post("runs/search", { experiment_ids: [experimentId], filter: "metrics.acc > 0.5 or params.lr = '1'" });
    expectError(bad, 400, "INVALID_PARAMETER_VALUE", /position 18: OR is not supported/);
    expectError(
      await post("runs/search", { experiment_ids: [experimentId], order_by: ["metrics.acc SIDEWAYS"] }),
      400,
      "INVALID_PARAMETER_VALUE",
      /position 12/,
    );
    const empty = await post("runs/search", { experiment_ids: [experimentId], filter: "params.lr = 'none'" });
    expect(empty.json).toEqual({ runs: [] });
  });

  it("delete-tag, delete and restore a run; a deleted run refuses logging", async () => {
    expect((await post("runs/delete-tag", { run_id: runId, key: "note" })).status).toBe(200);
    expectError(await post("runs/delete-tag", { run_id: runId, key: "note" }), 404, "RESOURCE_DOES_NOT_EXIST");
    await post("runs/delete", { run_id: runId });
    expectError(await post("runs/log-metric", { run_id: runId, key: "x", value: 1, timestamp: 1, step: 0 }), 400, "INVALID_PARAMETER_VALUE", /active/);
    const deleted = await post("runs/search", { experiment_ids: [experimentId], run_view_type: "DELETED_ONLY" });
    expect((deleted.json.runs as RunJson[]).map((r) => r.info.run_id)).toEqual([runId]);
    await post("runs/restore", { run_id: runId });
    expect(((await get("runs/get", { run_id: runId })).json.run as RunJson).info.lifecycle_stage).toBe("active");
  });

  it("experiments: search, update (rename), set tag, delete and restore", async () => {
    await post("experiments/set-experiment-tag", { experiment_id: experimentId, key: "owner", value: "erin" });
    const s = await post("experiments/search", { max_results: 10, filter: "tags.owner = 'erin'", view_type: "ACTIVE_ONLY" });
    expect((s.json.experiments as { name: string }[]).map((e) => e.name)).toEqual(["wire-test"]);
    expect((await post("experiments/update", { experiment_id: experimentId, new_name: "wire-test-2" })).json).toEqual({});
    expect((await post("experiments/delete", { experiment_id: experimentId })).status).toBe(200);
    expect(((await get("experiments/get", { experiment_id: experimentId })).json.experiment as { lifecycle_stage: string }).lifecycle_stage).toBe("deleted");
    expectError(await post("runs/create", { experiment_id: experimentId }), 400, "INVALID_PARAMETER_VALUE", /active/);
    expect((await post("experiments/restore", { experiment_id: experimentId })).status).toBe(200);
  });
});

describe("errors as MLflow's server gives them", () => {
  it("unknown ids are RESOURCE_DOES_NOT_EXIST (404)", async () => {
    const id = "0123456789abcdef0123456789abcdef";
    expectError(await get("runs/get", { run_id: id, run_uuid: id }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("runs/log-metric", { run_id: id, run_uuid: id, key: "a", value: 1, timestamp: 1, step: 0 }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("experiments/get", { experiment_id: "987654" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("registered-models/get", { name: "nope" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("authentication and scopes: UNAUTHENTICATED (401) and PERMISSION_DENIED (403), nothing written", async () => {
    const before = (await t.db.select().from(auditLog)).length;
    expectError(await post("experiments/create", { name: "x" }, null), 401, "UNAUTHENTICATED");
    expectError(await post("experiments/create", { name: "x" }, "snt_not-a-real-token"), 401, "UNAUTHENTICATED");
    expectError(await post("experiments/create", { name: "x" }, reader), 403, "PERMISSION_DENIED", /lacks the runs:write scope/);
    expectError(await post("registered-models/create", { name: "x" }, viewerToken), 403, "PERMISSION_DENIED");
    expect((await get("experiments/get", { experiment_id: "0" }, reader)).status).toBe(200);
    expect((await t.db.select().from(auditLog)).length).toBe(before);
  });

  it("wrong types, missing fields, bad JSON, unknown endpoints", async () => {
    const run = ((await post("runs/create", { experiment_id: "0" })).json.run as RunJson).info.run_id as string;
    // Messages as MLflow 2.12.2's server words them (checked side by side with the real server).
    const hint = (v: string, p: string, type: string) =>
      `Invalid value ${v} for parameter '${p}' supplied. Hint: Value was of type '${type}'. See the API docs for more information about request parameters.`;
    expect((await post("runs/log-parameter", { run_id: run, key: "n", value: 3 })).json.message).toBe(hint("3", "value", "int"));
    expect((await post("runs/log-metric", { run_id: run, key: "m", value: 1, timestamp: 1, step: "foo" })).json).toEqual({
      error_code: "INVALID_PARAMETER_VALUE",
      message: hint("foo", "step", "str"),
    });
    expect((await post("runs/log-metric", { run_id: run, key: "m", value: "bar", timestamp: 1 })).json.message).toBe(hint("bar", "value", "str"));
    expect((await post("runs/log-metric", { run_id: 123, key: "m", value: 1, timestamp: 1 })).json.message).toBe(hint("123", "run_id", "int"));
    expect((await post("runs/log-metric", { run_id: run, key: "m", value: 1 })).json.message).toBe(
      "Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters.",
    );
    // MLflow reads int64 fields with Python's int(): "7" and 1.5 pass (1.5 as 1).
    expect((await post("runs/log-metric", { run_id: run, key: "m", value: 1, timestamp: 1.5, step: "7" })).status).toBe(200);
    expectError(
      await post("runs/log-metric", { run_id: run, key: "m", value: 1, timestamp: "2024-01-01", step: 0 }),
      400,
      "INVALID_PARAMETER_VALUE",
      /timestamp/,
    );
    expectError(
      await post("runs/log-metric", { run_id: run, value: 1, timestamp: 1 }),
      400,
      "INVALID_PARAMETER_VALUE",
      /Missing value for required parameter 'key'/,
    );
    expectError(await post("runs/create", { experiment_id: "0", start_time: "soon" }), 400, "INVALID_PARAMETER_VALUE", /start_time/);
    expectError(await call("POST", "runs/log-batch", { raw: "{not json" }), 400, "INVALID_PARAMETER_VALUE", /Malformed JSON/);
    expectError(await get("runs/unknown-thing", {}), 404, "ENDPOINT_NOT_FOUND");
    const wrongMethod = await call("GET", "runs/create", {});
    expectError(wrongMethod, 405, "ENDPOINT_NOT_FOUND", /use POST/);
  });

  it("log-batch limits and the 1 MB body: INVALID_PARAMETER_VALUE naming the limit, nothing written", async () => {
    const run = ((await post("runs/create", { experiment_id: "0" })).json.run as RunJson).info.run_id as string;
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: "m", value: i, timestamp: i, step: i }));
    expectError(await post("runs/log-batch", { run_id: run, metrics }), 400, "INVALID_PARAMETER_VALUE", /at most 1000 metrics/);
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "v" }));
    expectError(await post("runs/log-batch", { run_id: run, params }), 400, "INVALID_PARAMETER_VALUE", /at most 100 params/);
    const tags = Array.from({ length: 200 }, (_, i) => ({ key: `t${i}`, value: "x".repeat(6000) }));
    expectError(await post("runs/log-batch", { run_id: run, tags }), 400, "INVALID_PARAMETER_VALUE", /limit of 1000000 bytes|the limit is 1000000/);
    const r = (await get("runs/get", { run_id: run })).json.run as RunJson;
    expect(r.data.metrics ?? []).toEqual([]);
    expect(r.data.params ?? []).toEqual([]);
  });
});

describe("model registry subset", () => {
  let runId: string;
  beforeAll(async () => {
    const run = (await post("runs/create", { experiment_id: "0", run_name: "to-register" })).json.run as RunJson;
    runId = run.info.run_id as string;
    await post("runs/log-batch", { run_id: runId, metrics: [{ key: "map", value: 0.61, timestamp: 1, step: 3 }] });
  });

  it("create / get (by name or slug) / duplicate", async () => {
    const created = await post("registered-models/create", { name: "Lane Detector", tags: [{ key: "team", value: "perception" }], description: "lanes" });
    expect(created.status).toBe(200);
    expect(created.json.registered_model).toMatchObject({
      name: "Lane Detector",
      description: "lanes",
      tags: [{ key: "team", value: "perception" }],
      aliases: [],
    });
    expect((await get("registered-models/get", { name: "Lane Detector" })).json.registered_model).toMatchObject({ name: "Lane Detector" });
    expect((await get("registered-models/get", { name: "lane-detector" })).json.registered_model).toMatchObject({ name: "Lane Detector" });
    expectError(await post("registered-models/create", { name: "Lane Detector" }), 400, "RESOURCE_ALREADY_EXISTS");
  });

  it("create_model_version from runs:/ is READY at once, versions travel as strings, the run becomes lineage", async () => {
    const v = await post("model-versions/create", { name: "Lane Detector", source: `runs:/${runId}/model`, run_id: runId, description: "first" });
    expect(v.status).toBe(200);
    expect(v.json.model_version).toMatchObject({
      name: "Lane Detector",
      version: "1",
      status: "READY",
      source: `runs:/${runId}/model`,
      run_id: runId,
      current_stage: "None",
    });
    const got = await get("model-versions/get", { name: "Lane Detector", version: "1" });
    expect(got.json.model_version).toMatchObject({ version: "1", status: "READY" });
    const second = await post("model-versions/create", { name: "Lane Detector", source: `runs:/${runId}/model` });
    expect(second.json.model_version).toMatchObject({ version: "2", run_id: runId });
    expectError(await get("model-versions/get", { name: "Lane Detector", version: "9" }), 404, "RESOURCE_DOES_NOT_EXIST");
    // MLflow keeps run_id as a plain string: a run this portal does not track is accepted (recorded as external).
    const external = await post("model-versions/create", {
      name: "Lane Detector",
      source: "runs:/ffffffffffffffffffffffffffffffff/model",
      run_id: "ffffffffffffffffffffffffffffffff",
    });
    expect(external.json.model_version).toMatchObject({ version: "3", run_id: "ffffffffffffffffffffffffffffffff" });
    const search = await get("model-versions/search", { filter: `run_id = '${runId}'` });
    expect((search.json.model_versions as { version: string }[]).map((x) => x.version).sort()).toEqual(["1", "2"]);
  });

  it("aliases: set, get by alias, delete (DELETE with a JSON body), unknown alias", async () => {
    expect((await post("registered-models/alias", { name: "Lane Detector", alias: "champion", version: "2" })).json).toEqual({});
    const byAlias = await get("registered-models/alias", { name: "Lane Detector", alias: "champion" });
    expect(byAlias.json.model_version).toMatchObject({ version: "2", aliases: ["champion"] });
    expect(((await get("registered-models/get", { name: "Lane Detector" })).json.registered_model as { aliases: unknown }).aliases).toEqual([
      { alias: "champion", version: "2" },
    ]);
    expect((await call("DELETE", "registered-models/alias", { body: { name: "Lane Detector", alias: "champion" } })).status).toBe(200);
    const gone = await get("registered-models/alias", { name: "Lane Detector", alias: "champion" });
    expect(gone.status).toBe(404);
    expect(gone.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("search, update, rename, tags, download uri, delete (archive)", async () => {
    const s = await get("registered-models/search", { filter: "name LIKE 'Lane%'", max_results: "100" });
    expect((s.json.registered_models as { name: string; latest_versions: { version: string }[] }[])[0]).toMatchObject({
      name: "Lane Detector",
      latest_versions: [{ version: "3" }],
    });
    await call("PATCH", "registered-models/update", { body: { name: "Lane Detector", description: "updated" } });
    await post("registered-models/set-tag", { name: "Lane Detector", key: "stage", value: "beta" });
    await call("PATCH", "model-versions/update", { body: { name: "Lane Detector", version: "1", description: "v1!" } });
    await post("model-versions/set-tag", { name: "Lane Detector", version: "1", key: "ok", value: "yes" });
    const renamed = await post("registered-models/rename", { name: "Lane Detector", new_name: "Lane Detector v2" });
    expect(renamed.json.registered_model).toMatchObject({
      name: "Lane Detector v2",
      description: "updated",
      tags: expect.arrayContaining([{ key: "stage", value: "beta" }]),
    });
    expect((await get("model-versions/get", { name: "Lane Detector v2", version: "1" })).json.model_version).toMatchObject({
      description: "v1!",
      tags: [{ key: "ok", value: "yes" }],
    });
    expect((await get("model-versions/get-download-uri", { name: "Lane Detector v2", version: "1" })).json).toEqual({ artifact_uri: `runs:/${runId}/model` });
    expect((await call("DELETE", "model-versions/delete", { body: { name: "Lane Detector v2", version: "1" } })).status).toBe(200);
    expect((await get("model-versions/get", { name: "Lane Detector v2", version: "1" })).json.model_version).toMatchObject({ current_stage: "Archived" });
  });

  it("answers every endpoint of the issue's list", () => {
    const expected = [
      "POST experiments/create",
      "GET experiments/get",
      "GET experiments/get-by-name",
      "POST experiments/search",
      "POST experiments/update",
      "POST experiments/delete",
      "POST experiments/restore",
      "POST experiments/set-experiment-tag",
      "POST runs/create",
      "GET runs/get",
      "POST runs/update",
      "POST runs/delete",
      "POST runs/restore",
      "POST runs/search",
      "POST runs/log-metric",
      "POST runs/log-parameter",
      "POST runs/log-batch",
      "POST runs/set-tag",
      "POST runs/delete-tag",
      "GET metrics/get-history",
      "POST registered-models/create",
      "GET registered-models/get",
      "GET registered-models/search",
      "PATCH registered-models/update",
      "DELETE registered-models/delete",
      "POST registered-models/rename",
      "POST registered-models/set-tag",
      "DELETE registered-models/delete-tag",
      "POST registered-models/alias",
      "GET registered-models/alias",
      "DELETE registered-models/alias",
      "POST model-versions/create",
      "GET model-versions/get",
      "GET model-versions/search",
      "PATCH model-versions/update",
      "DELETE model-versions/delete",
      "POST model-versions/set-tag",
      "DELETE model-versions/delete-tag",
      "GET model-versions/get-download-uri",
    ];
    expect(mlflowEndpoints()).toEqual(expect.arrayContaining(expected));
  });
});

// The door caches token answers for a moment (server/tokens/service.ts); a change made on this
// replica must still refuse the very next call, so each case warms the cache first.
describe("token cache: changes take effect on the next call", () => {
  const ask = (token: string) => get("experiments/get-by-name", { experiment_name: "no-such-experiment" }, token);

  it("a revoked token is refused at once", async () => {
    const tok = await createToken(t.db, t.actors.engineer, { name: "short", scopes: ["runs:read"] });
    expectError(await ask(tok.token), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await ask(tok.token), 404, "RESOURCE_DOES_NOT_EXIST");
    await revokeToken(t.db, t.actors.engineer, { tokenId: tok.id });
    expectError(await ask(tok.token), 401, "UNAUTHENTICATED");
  });

  it("a revocation written by another replica is refused here within TOKEN_CACHE_MS", async () => {
    const tok = await createToken(t.db, t.actors.engineer, { name: "elsewhere", scopes: ["runs:read"] });
    expectError(await ask(tok.token), 404, "RESOURCE_DOES_NOT_EXIST");
    // Another replica's revocation: the row changes, this process is not told.
    await t.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, tok.id));
    const later = Date.now() + TOKEN_CACHE_MS;
    const clock = vi.spyOn(Date, "now").mockReturnValue(later);
    try {
      expectError(await ask(tok.token), 401, "UNAUTHENTICATED");
    } finally {
      clock.mockRestore();
    }
  });

  it("a deactivated owner's token is refused at once, and works again when reactivated", async () => {
    const u = await createUser(t.db, null, { email: "cache-owner@test.local", role: "engineer", password: "correct horse battery" });
    const actor = { userId: u.id, email: u.email, role: u.role };
    const tok = await createToken(t.db, actor, { name: "job", scopes: ["runs:read"] });
    expectError(await ask(tok.token), 404, "RESOURCE_DOES_NOT_EXIST");
    await setUserActive(t.db, t.actors.admin, { userId: u.id, active: false });
    expectError(await ask(tok.token), 401, "UNAUTHENTICATED");
    await setUserActive(t.db, t.actors.admin, { userId: u.id, active: true });
    expectError(await ask(tok.token), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("a demoted owner's token loses the write scope at once", async () => {
    const u = await createUser(t.db, null, { email: "cache-demoted@test.local", role: "engineer", password: "correct horse battery" });
    const tok = await createToken(t.db, { userId: u.id, email: u.email, role: u.role }, { name: "job", scopes: ["runs:read", "runs:write"] });
    expect((await post("experiments/create", { name: "cache-demote-1" }, tok.token)).status).toBe(200);
    await changeRole(t.db, t.actors.admin, { userId: u.id, role: "viewer" });
    expectError(await post("experiments/create", { name: "cache-demote-2" }, tok.token), 403, "PERMISSION_DENIED");
  });
});
