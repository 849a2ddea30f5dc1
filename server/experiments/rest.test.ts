// The experiments REST door (/api/v1) with API tokens, through the real route handlers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as experimentsRoute from "@/app/api/v1/experiments/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as runRoute from "@/app/api/v1/runs/[runId]/route";
import * as batchRoute from "@/app/api/v1/runs/[runId]/batch/route";
import * as historyRoute from "@/app/api/v1/runs/[runId]/metrics/[key]/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as searchRoute from "@/app/api/v1/runs/search/route";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";

let t: TestEnv;
let writer: string;
let reader: string;

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  writer = (await createToken(t.db, t.actors.engineer, { name: "job", scopes: ["runs:read", "runs:write"] })).token;
  reader = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["runs:read"] })).token;
});
afterAll(async () => {
  await t.close();
});

const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const call = (method: string, path: string, token: string, body?: unknown) =>
  new Request(`http://portal.test${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("experiments REST", () => {
  it("creates an experiment and a run, logs a batch, reads latest values and history, finishes the run", async () => {
    const exp = await experimentsRoute.POST(call("POST", "/api/v1/experiments", writer, { name: "rest-sweep" }), ctx());
    expect(exp.status).toBe(201);
    const { experiment } = (await exp.json()) as { experiment?: { experimentId: string } } & Record<string, unknown>;
    const experimentId =
      experiment?.experimentId ??
      String(
        ((await (await experimentsRoute.GET(call("GET", "/api/v1/experiments?q=rest-sweep", reader), ctx())).json()) as { items: { id: string }[] }).items[0]
          .id,
      );

    const run = await runsRoute.POST(call("POST", "/api/v1/runs", writer, { experimentId, runName: "lr-0.01" }), ctx());
    expect(run.status).toBe(201);
    const runId = ((await run.json()) as { info: { runId: string } }).info.runId;

    const metrics = [0, 1, 2].map((step) => ({ key: "loss", value: 1 / (step + 1), timestamp: 1_700_000_000_000 + step, step }));
    const logged = await batchRoute.POST(
      call("POST", `/api/v1/runs/${runId}/batch`, writer, { metrics, params: [{ key: "lr", value: "0.01" }] }),
      ctx({ runId }),
    );
    expect(logged.status).toBe(200);
    const changed = await batchRoute.POST(call("POST", `/api/v1/runs/${runId}/batch`, writer, { params: [{ key: "lr", value: "0.1" }] }), ctx({ runId }));
    expect(changed.status).toBe(400);

    const got = (await (await runRoute.GET(call("GET", `/api/v1/runs/${runId}`, reader), ctx({ runId }))).json()) as {
      data: { metrics: { key: string; value: number }[]; params: { key: string; value: string }[] };
    };
    expect(got.data.metrics).toContainEqual(expect.objectContaining({ key: "loss", value: 1 / 3 }));
    expect(got.data.params).toEqual([{ key: "lr", value: "0.01" }]);

    const page = (await (
      await historyRoute.GET(call("GET", `/api/v1/runs/${runId}/metrics/loss?maxResults=2`, reader), ctx({ runId, key: "loss" }))
    ).json()) as { metrics: unknown[]; nextPageToken: string | null };
    expect(page.metrics).toHaveLength(2);
    expect(page.nextPageToken).toBeTruthy();

    const found = (await (
      await searchRoute.POST(call("POST", "/api/v1/runs/search", reader, { experimentIds: [experimentId], filter: "params.lr = '0.01'" }), ctx())
    ).json()) as { runs: unknown[] };
    expect(found.runs).toHaveLength(1);

    const done = await runRoute.PATCH(call("PATCH", `/api/v1/runs/${runId}`, writer, { status: "FINISHED" }), ctx({ runId }));
    expect(done.status).toBe(200);
    expect(((await done.json()) as { status: string }).status).toBe("FINISHED");
  });

  it("refuses a read-only token, oversized batches and bad filters without writing", async () => {
    const run = await runsRoute.POST(call("POST", "/api/v1/runs", writer, {}), ctx());
    const runId = ((await run.json()) as { info: { runId: string } }).info.runId;
    expect((await batchRoute.POST(call("POST", `/api/v1/runs/${runId}/batch`, reader, { tags: [{ key: "a", value: "b" }] }), ctx({ runId }))).status).toBe(403);
    const big = Array.from({ length: 1001 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    const tooBig = await batchRoute.POST(call("POST", `/api/v1/runs/${runId}/batch`, writer, { metrics: big }), ctx({ runId }));
    expect(tooBig.status).toBe(400);
    const after = (await (await runRoute.GET(call("GET", `/api/v1/runs/${runId}`, reader), ctx({ runId }))).json()) as {
      data: { metrics: unknown[]; tags: { key: string }[] };
    };
    expect(after.data.metrics).toHaveLength(0);
    expect(after.data.tags.some((x) => x.key === "a")).toBe(false);
    const bad = await searchRoute.POST(call("POST", "/api/v1/runs/search", reader, { filter: "metrics.acc > 1 OR params.lr = '1'" }), ctx());
    expect(bad.status).toBe(400);
  });

  it("lists the operations in the OpenAPI document", async () => {
    const doc = (await openapiRoute.GET().json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/runs/{runId}/batch", "/api/v1/experiments"]));
  });
});
