// Vitest global setup: after the run, drop the seeded template database the run's workers shared (db/test-db.ts) and
// remove the run's directory.
import fs from "node:fs";
import { dropSeedSnapshot } from "./test-db";

export default function setup(): () => Promise<void> {
  return async () => {
    const runDir = process.env.SENTINEL_TEST_RUN_DIR;
    if (!runDir) return;
    await dropSeedSnapshot(runDir);
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
