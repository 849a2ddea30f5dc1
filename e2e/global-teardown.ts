// Stops the server global setup started (its whole process group) and removes its data directory.
import fs from "node:fs";
import { DATA_DIR_VAR, PID_VAR, stopServer } from "./global-setup";

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env[PID_VAR]);
  if (pid > 0) {
    await stopServer(pid);
    delete process.env[PID_VAR];
  }
  const dataDir = process.env[DATA_DIR_VAR];
  if (dataDir) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    delete process.env[DATA_DIR_VAR];
  }
}
