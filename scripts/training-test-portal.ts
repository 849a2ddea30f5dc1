// What the training smoke tests share: a test database provided to the route handlers, a token with the training
// scopes, the throwaway portal on a free port, and a scratch directory for the ONNX files; all cleaned up after.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { startTrainingPortal } from "./fcw-portal";

export type TrainingTestPortal = { t: TestEnv; url: string; token: string; dir: string };

/** Registers the hooks; the returned object is filled in before the first test runs. */
export function useTrainingTestPortal(prefix: string): TrainingTestPortal {
  const env = { dir: fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`)) } as TrainingTestPortal;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    env.t = await setupTestEnv();
    provideDatabase(env.t);
    const scopes = ["runs:read", "runs:write", "models:read", "models:write", "frames:write"] as const;
    env.token = (await createToken(env.t.db, env.t.actors.engineer, { name: "training", scopes: [...scopes] })).token;
    const portal = await startTrainingPortal();
    env.url = portal.url;
    close = portal.close;
  }, 300_000);
  afterAll(async () => {
    await close?.();
    await env.t?.close();
    fs.rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}
