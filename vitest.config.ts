import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import SeededFirstSequencer from "./db/test-sequencer";

// One directory per run, shared by its workers (the seeded snapshot lives there); the global teardown reads it too.
const runDir = path.join(os.tmpdir(), `sentinel-vitest-${process.pid}`);
process.env.SENTINEL_TEST_RUN_DIR = runDir;

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // Route handlers import server modules marked "server-only"; outside Next that marker throws.
      "server-only": path.resolve(__dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["server/**/*.test.ts", "db/**/*.test.ts", "lib/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    // Route handlers use the process-wide artifact store: keep test bytes out of ./.data.
    env: { DATA_DIR: runDir },
    globalSetup: ["./db/test-global.ts"],
    sequence: { sequencer: SeededFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances are heavy; two cores run two files at a time.
    maxWorkers: 2,
  },
});
