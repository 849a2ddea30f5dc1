// WEB_CONCURRENCY on PostgreSQL (cluster suite, which has a build and a database): `scripts/serve.mjs` runs two worker
// processes on one port; both answer, one killed with SIGKILL is replaced while the other keeps serving, and SIGTERM
// on the primary stops them all.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { freePort } from "../scripts/free-port";
import { alive, CLUSTER_STATE_VAR } from "./cluster-setup";
import { expect, test } from "./fixtures";

const ZState = z.object({ databaseUrl: z.string() });

test("two worker processes share the port; a dead one is replaced and SIGTERM stops them all", async () => {
  test.setTimeout(180_000);
  const statePath = process.env[CLUSTER_STATE_VAR];
  if (!statePath) throw new Error(`${CLUSTER_STATE_VAR} is not set: run this through playwright.cluster.config.ts`);
  const { databaseUrl } = ZState.parse(JSON.parse(fs.readFileSync(statePath, "utf8")));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-workers-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = "";
  const primary = spawn(process.execPath, ["scripts/serve.mjs"], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WEB_CONCURRENCY: "2",
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      DEMO: "0",
      PORT: String(port),
      HOSTNAME_BIND: "127.0.0.1",
      NEXTAUTH_SECRET: "workers-test-secret-0123456789",
      NEXTAUTH_URL: url,
      INFER_WORKERS: "1",
    },
  });
  primary.stdout.on("data", (d) => (log += d));
  primary.stderr.on("data", (d) => (log += d));
  const listening = () => [...log.matchAll(/Sentinel listening on \S+ \(pid (\d+)\)/g)].map((m) => Number(m[1]));
  // A new connection each time (no keep-alive pool): a pooled socket would stay bound to the worker that accepted it.
  const health = () =>
    new Promise<number>((resolve) => {
      const req = http.get(`${url}/api/health`, { agent: false, timeout: 10_000 }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", () => resolve(0));
      req.on("timeout", () => req.destroy());
    });
  try {
    await expect.poll(() => listening().length, { timeout: 120_000, message: `two workers listening; log:\n${log}` }).toBe(2);
    const [first, second] = listening();
    expect(first).not.toBe(second);
    expect(log).toContain(`Sentinel primary ${primary.pid}: 2 workers`);
    expect(await Promise.all(Array.from({ length: 20 }, health))).toEqual(Array(20).fill(200));

    // Past the primary's "died young" window (10 s after a worker starts), so it replaces the worker.
    await new Promise((r) => setTimeout(r, 10_000));
    process.kill(first, "SIGKILL");
    // Requests the dead worker had accepted are lost with it (a client retries them); once the primary has seen the
    // exit, every new connection goes to a live worker while the replacement starts.
    await expect.poll(() => log.includes(`worker ${first} exited (SIGKILL); starting another`), { timeout: 10_000 }).toBe(true);
    expect(await Promise.all(Array.from({ length: 10 }, health))).toEqual(Array(10).fill(200));
    await expect.poll(() => listening().length, { timeout: 120_000, message: `a replacement worker; log:\n${log}` }).toBe(3);
    const replacement = listening()[2];
    expect([first, second]).not.toContain(replacement);
    expect(await health()).toBe(200);

    const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
    primary.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect([alive(second), alive(replacement)]).toEqual([false, false]);
  } finally {
    if (primary.exitCode === null) primary.kill("SIGKILL");
    for (const pid of listening()) if (alive(pid)) process.kill(pid, "SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
