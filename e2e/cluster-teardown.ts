// Stops the cluster the set-up started: scripts/cluster.ts stops nginx, the replicas, s3rver and PostgreSQL on SIGTERM.
import fs from "node:fs";
import { CLUSTER_PID_VAR, CLUSTER_STATE_DIR_VAR } from "./cluster-setup";

export default async function clusterTeardown(): Promise<void> {
  await stopCluster();
  const stateDir = process.env[CLUSTER_STATE_DIR_VAR];
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  delete process.env[CLUSTER_STATE_DIR_VAR];
}

async function stopCluster(): Promise<void> {
  const pid = Number(process.env[CLUSTER_PID_VAR]);
  if (!(pid > 0)) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + 40_000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive()) process.kill(-pid, "SIGKILL");
  delete process.env[CLUSTER_PID_VAR];
}
