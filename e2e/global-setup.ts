// Builds (if needed) and starts Sentinel on a free port with a throwaway data directory, or uses E2E_BASE_URL.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../scripts/free-port";

const root = path.resolve(__dirname, "..");
const HEALTH_TIMEOUT_MS = 600_000;
export const SERVER_LOG = path.join(root, "test-results", "e2e-server.log");

/** Read by the teardown; global setup and teardown share the runner process and its env. */
export const PID_VAR = "SENTINEL_E2E_SERVER_PID";
export const DATA_DIR_VAR = "SENTINEL_E2E_DATA_DIR";

function tail(file: string, lines = 60): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

export function stopServer(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!alive()) return resolve();
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      return resolve();
    }
    const started = Date.now();
    const poll = setInterval(() => {
      if (!alive()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > 10_000) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // already gone
        }
        clearInterval(poll);
        resolve();
      }
    }, 200);
  });
}

export default async function globalSetup(): Promise<void> {
  if (process.env.E2E_BASE_URL) {
    console.log(`[e2e] Using the running server at ${process.env.E2E_BASE_URL}`);
    return;
  }

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-e2e-"));
  fs.mkdirSync(path.dirname(SERVER_LOG), { recursive: true });
  const log = fs.openSync(SERVER_LOG, "w");

  console.log(`[e2e] Starting Sentinel on ${origin} (DATA_DIR ${dataDir}; log in ${path.relative(root, SERVER_LOG)}); the first start builds`);
  // Detached: the server gets its own process group, so teardown can stop `next build`/`next start` with it.
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NEXTAUTH_URL: origin, HOSTNAME_BIND: "127.0.0.1" },
  });
  fs.closeSync(log);
  if (!child.pid) throw new Error("Could not spawn node scripts/start.mjs");
  process.env[PID_VAR] = String(child.pid);
  process.env[DATA_DIR_VAR] = dataDir;

  const state: { exited: string | null } = { exited: null };
  child.on("exit", (code, signal) => {
    state.exited = `start.mjs exited with ${signal ?? `code ${code}`}`;
  });

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (state.exited) break;
    try {
      const res = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) {
        process.env.E2E_BASE_URL = origin;
        console.log(`[e2e] Sentinel is up at ${origin}`);
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }

  await stopServer(child.pid);
  fs.rmSync(dataDir, { recursive: true, force: true });
  delete process.env[PID_VAR];
  delete process.env[DATA_DIR_VAR];
  throw new Error(
    `Sentinel did not become healthy at ${origin}/api/health (${state.exited ?? `timed out after ${HEALTH_TIMEOUT_MS / 1000} s; last: ${last}`}).\n` +
      `Last lines of ${SERVER_LOG}:\n${tail(SERVER_LOG)}`,
  );
}
