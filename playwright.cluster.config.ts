// The browser suite's critical paths through nginx against two replicas on PostgreSQL and an S3-compatible store
// (`npm run cluster`, started by e2e/cluster-setup.ts unless E2E_BASE_URL and SENTINEL_CLUSTER_STATE name a running
// one), then the fault test: a replica killed mid-ingest. Run by `node scripts/test.mjs cluster`.
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({
  ...base,
  globalSetup: "./e2e/cluster-setup.ts",
  globalTeardown: "./e2e/cluster-teardown.ts",
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-cluster.json" }]],
  projects: [
    {
      name: "critical-paths",
      testMatch: ["auth.spec.ts", "registry.spec.ts", "playground.spec.ts", "deployments.spec.ts", "register-artifact.spec.ts"],
      // Sign-in, upload and download, playground, rollback, MLflow client: one test each path, not whole files.
      grep: [
        /signs in through the form|signing out returns to \/signin/,
        /uploads two versions, sets aliases, compares and downloads/,
        /camera-health: browser outputs and preprocessing/,
        /an admin rolls back a canary/,
        /registers a run's ONNX model directory/,
      ],
    },
    // Its own two-worker server on the cluster's database (WEB_CONCURRENCY).
    { name: "workers", testMatch: "workers.cluster.ts", dependencies: ["critical-paths"] },
    // Last, because it leaves one replica dead.
    { name: "replica-fault", testMatch: "cluster-fault.cluster.ts", dependencies: ["workers"] },
  ],
});
