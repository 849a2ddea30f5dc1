// The fault test of the cluster suite (playwright.cluster.config.ts): four MLflow clients log metric batches through
// nginx while one replica is killed with SIGKILL. Every batch a client saw acknowledged (200) must be in PostgreSQL,
// the batches caught in the dead replica are retried by the clients and land on the survivor, and the survivor keeps
// serving through nginx.
import fs from "node:fs";
import pg from "pg";
import { z } from "zod";
import { alive, CLUSTER_STATE_VAR } from "./cluster-setup";
import { expect, origin, test, trpcMutation, uniqueName } from "./fixtures";

const ZState = z.object({
  url: z.string(),
  databaseUrl: z.string(),
  replicas: z.array(z.object({ pid: z.number(), port: z.number(), url: z.string() })).min(2),
});

const CLIENTS = 4;
const BATCHES = 40;
const POINTS = 25;
/** The kill comes after this many acknowledged batches, with the other clients' requests in flight. */
const KILL_AFTER = 30;
const ATTEMPTS = 5;

test("a replica killed with SIGKILL mid-ingest loses no acknowledged write, and the other replica keeps serving", async ({ apiAs }) => {
  test.setTimeout(180_000);
  const statePath = process.env[CLUSTER_STATE_VAR];
  if (!statePath) throw new Error(`${CLUSTER_STATE_VAR} is not set: run this through playwright.cluster.config.ts`);
  const state = ZState.parse(JSON.parse(fs.readFileSync(statePath, "utf8")));
  const [victim, survivor] = state.replicas;
  expect(alive(victim.pid), "the victim replica runs before the test").toBe(true);

  const api = await apiAs("engineer");
  const tokenRes = await trpcMutation(api, "tokens.create", { name: uniqueName("e2e-cluster-fault"), scopes: ["runs:read", "runs:write"] });
  expect(tokenRes.status()).toBe(200);
  const token = z.object({ result: z.object({ data: z.object({ json: z.object({ token: z.string() }) }) }) }).parse(await tokenRes.json()).result.data
    .json.token;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const mlflow = (p: string, body: unknown) =>
    fetch(`${origin()}/api/2.0/mlflow/${p}`, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const expId = z
    .object({ experiment_id: z.string() })
    .parse(await (await mlflow("experiments/create", { name: uniqueName("e2e-fault") })).json()).experiment_id;
  const runId = z
    .object({ run: z.object({ info: z.object({ run_id: z.string() }) }) })
    .parse(await (await mlflow("runs/create", { experiment_id: expId, start_time: Date.now() })).json()).run.info.run_id;

  const acknowledged: { key: string; step: number; value: number }[][] = [];
  const statuses: Record<string, number> = {};
  let killedAfter = -1;
  let gaveUp = 0;
  const client = async (c: number) => {
    for (let b = 0; b < BATCHES; b++) {
      const points = Array.from({ length: POINTS }, (_, i) => ({ key: `client-${c}`, step: b * POINTS + i, value: c * 1e6 + b * POINTS + i }));
      const body = { run_id: runId, metrics: points.map((p) => ({ ...p, timestamp: Date.now() })) };
      let done = false;
      // A batch whose answer was lost (502 from nginx, a reset) was not acknowledged: the client sends it again.
      for (let attempt = 0; attempt < ATTEMPTS && !done; attempt++) {
        let status: string;
        try {
          const res = await mlflow("runs/log-batch", body);
          await res.arrayBuffer();
          status = String(res.status);
        } catch (e) {
          status = e instanceof Error ? e.name : "error";
        }
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status !== "200") continue;
        done = true;
        acknowledged.push(points);
        if (killedAfter < 0 && acknowledged.length >= KILL_AFTER) {
          killedAfter = acknowledged.length;
          process.kill(victim.pid, "SIGKILL");
        }
      }
      if (!done) gaveUp++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  console.log(`[fault] killed replica pid ${victim.pid} after ${killedAfter} acknowledged batches; answers seen: ${JSON.stringify(statuses)}`);

  expect(killedAfter, "the replica was killed mid-ingest").toBeGreaterThan(0);
  expect(killedAfter, "batches were still being sent after the kill").toBeLessThan(CLIENTS * BATCHES);
  await expect.poll(() => alive(victim.pid), { message: "the killed replica is gone" }).toBe(false);
  expect(gaveUp, "every batch was acknowledged in the end (by the survivor)").toBe(0);
  expect(acknowledged.length).toBe(CLIENTS * BATCHES);

  // Straight from PostgreSQL: every acknowledged point is there.
  const db = new pg.Client({ connectionString: state.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ key: string; step: string; value: number }>("SELECT key, step, value FROM metrics WHERE run_id = $1", [runId]);
    const stored = new Set(rows.map((r) => `${r.key}/${r.step}/${r.value}`));
    const missing = acknowledged.flat().filter((p) => !stored.has(`${p.key}/${p.step}/${p.value}`));
    expect(missing, "acknowledged points missing from the database").toEqual([]);
  } finally {
    await db.end();
  }

  // The survivor keeps serving, directly and through nginx (which now skips the dead replica).
  const direct = await fetch(`${survivor.url}/api/health`);
  expect(direct.status).toBe(200);
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${origin()}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=client-0&max_results=5000`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status, `read ${i + 1} through nginx after the kill`).toBe(200);
    const history = z.object({ metrics: z.array(z.object({ step: z.number() })) }).parse(await res.json());
    expect(new Set(history.metrics.map((m) => m.step)).size).toBe(BATCHES * POINTS);
  }
});
