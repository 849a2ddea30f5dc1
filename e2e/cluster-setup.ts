// Starts `npm run cluster` (scripts/cluster.ts: PostgreSQL, s3rver, two replicas, nginx) for the cluster suite and
// points the tests at nginx; or uses a running cluster named by E2E_BASE_URL and SENTINEL_CLUSTER_STATE.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "..");
export const CLUSTER_LOG = path.join(root, "test-results", "e2e-cluster.log");
/** Read by the teardown (same process). */
export const CLUSTER_PID_VAR = "SENTINEL_E2E_CLUSTER_PID";
/** JSON written by scripts/cluster.ts: nginx URL, DATABASE_URL, the replicas' pids (the fault test reads it). */
export const CLUSTER_STATE_VAR = "SENTINEL_CLUSTER_STATE";
/** The temp directory of the state file, when the set-up made it (the teardown removes it). */
export const CLUSTER_STATE_DIR_VAR = "SENTINEL_E2E_CLUSTER_STATE_DIR";

/** Whether a process with this pid still runs (signal 0 checks without sending anything). */
export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const START_TIMEOUT_MS = 900_000;

export default async function clusterSetup(): Promise<void> {
  if (process.env.E2E_BASE_URL && process.env[CLUSTER_STATE_VAR]) {
    console.log(`[cluster] Using the running cluster at ${process.env.E2E_BASE_URL}`);
    return;
  }
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-cluster-state-"));
  process.env[CLUSTER_STATE_DIR_VAR] = stateDir;
  const stateFile = path.join(stateDir, "state.json");
  fs.mkdirSync(path.dirname(CLUSTER_LOG), { recursive: true });
  const log = fs.openSync(CLUSTER_LOG, "w");
  console.log(`[cluster] Starting the cluster (log in ${path.relative(root, CLUSTER_LOG)}); it builds first when there is no build of this source revision`);
  const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/cluster.ts", "--state-file", stateFile], {
    cwd: root,
    detached: true,
    stdio: ["ignore", log, log],
    env: process.env,
  });
  fs.closeSync(log);
  if (!child.pid) throw new Error("Could not spawn scripts/cluster.ts");
  process.env[CLUSTER_PID_VAR] = String(child.pid);
  const exited: { why: string | null } = { why: null };
  child.on("exit", (code, signal) => (exited.why = `scripts/cluster.ts exited with ${signal ?? `code ${code}`}`));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !exited.why && !fs.existsSync(stateFile)) await new Promise((r) => setTimeout(r, 500));
  if (!fs.existsSync(stateFile)) {
    const tail = fs.readFileSync(CLUSTER_LOG, "utf8").split("\n").slice(-60).join("\n");
    throw new Error(`The cluster did not start (${exited.why ?? "timed out"}).\n${tail}`);
  }
  // The state file is written whole once everything is healthy; a partial read would be a bug in the script.
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { url: string };
  process.env.E2E_BASE_URL = state.url;
  process.env[CLUSTER_STATE_VAR] = stateFile;
  console.log(`[cluster] Up at ${state.url}`);
}
