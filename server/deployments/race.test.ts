// Two replicas pressing deployment buttons at the same moment (meaningful on PostgreSQL, where the calls truly overlap).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentEvents, deployments, deploymentTargets, environments, modelVersions } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion } from "@/server/registry/service";
import { encodeModel, syntheticModel } from "@/server/demo/onnx-fixtures";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-race-"));
let deploymentId = "";
const CONTRACT = { minOnnxRuntime: "1.16", maxOpset: 17, deviceClasses: ["dashcam-gen3"], minFirmware: "3.2.0" };
const MANIFEST = {
  input: { name: "x", layout: "NCHW" as const, width: 8, height: 8 },
  labels: ["lead_vehicle", "pedestrian"],
  postprocess: { kind: "softmax" as const },
};

async function revision() {
  const [d] = await t.db.select({ revision: deployments.revision }).from(deployments).where(eq(deployments.id, deploymentId));
  return d.revision;
}

/**
 * On PostgreSQL, holds the deployment row locked from a third connection while both calls start, so
 * both are certainly waiting on the row lock when it is released (the race, made deterministic).
 * PGlite has one connection and runs the calls one after the other.
 */
async function raced<T>(calls: () => Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  if (!t.url) return Promise.allSettled(calls());
  const blocker = new pg.Client({ connectionString: t.url });
  await blocker.connect();
  try {
    await blocker.query("begin");
    await blocker.query("select id from deployments where id = $1 for update", [deploymentId]);
    const running = Promise.allSettled(calls());
    // Wait until both calls are queued behind our lock before letting them go.
    for (;;) {
      const { rows } = await blocker.query("select count(*)::int as n from pg_locks where not granted and locktype in ('transactionid', 'tuple')");
      if (rows[0].n >= 2) break;
      await new Promise((r) => setImmediate(r));
    }
    await blocker.query("commit");
    return await running;
  } finally {
    await blocker.end();
  }
}

beforeAll(async () => {
  t = await setupTestEnv();
  const store = new LocalArtifactStore(root);
  const eng = t.actors.engineer;
  await createModel(t.db, eng, { slug: "race-model", name: "Race model", team: "perception", task: "detection" });
  for (const doc of ["v1", "v2", "v3"]) {
    const staged = await store.stage(Readable.from([Buffer.from(encodeModel({ ...syntheticModel(), docString: doc }))]), 1 << 30);
    await registerVersion(t.db, store, eng, "race-model", { status: "approved", contract: CONTRACT, manifest: MANIFEST }, { staged, fileName: `${doc}.onnx` });
  }
  await t.db.insert(environments).values({ key: "staging", name: "Staging", rank: 1, protected: false });
  const [bench] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "bench", name: "Bench", kind: "edge-fleet", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  const [v1] = await t.db.select().from(modelVersions).where(eq(modelVersions.number, 1));
  const [d] = await t.db.insert(deployments).values({ targetId: bench.id, modelId: v1.modelId, stableVersionId: v1.id }).returning();
  deploymentId = d.id;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("deployment actions racing", () => {
  it("two conflicting promotions that change the stable version: one wins, the other is a CONFLICT about the state, not a 404", async () => {
    const eng = t.caller("engineer");
    const r = await revision();
    const results = await raced(() => [
      eng.deployments.promote({ deploymentId, version: 2, revision: r, idempotencyKey: "race-promote-a" }),
      eng.deployments.promote({ deploymentId, version: 3, revision: r, idempotencyKey: "race-promote-b" }),
    ]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((x) => x.status === "rejected");
    const reason = lost?.status === "rejected" ? (lost.reason as TRPCError) : null;
    expect(reason?.code).toBe("CONFLICT");
    expect(reason?.message).toMatch(/changed since you loaded it/);
    expect(await revision()).toBe(r + 1);
  });

  it("a double click with one key while the stable version changes: both answers are the first one's", async () => {
    const eng = t.caller("engineer");
    const r = await revision();
    const input = { deploymentId, version: 1, revision: r, idempotencyKey: "race-rollback-double" };
    const settled = await raced(() => [eng.deployments.rollback(input), eng.deployments.rollback(input)]);
    const [a, b] = settled.map((x) => {
      if (x.status === "rejected") throw x.reason;
      return x.value;
    });
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a.revision).toBe(r + 1);
    expect(b.revision).toBe(r + 1);
    const events = await t.db
      .select()
      .from(deploymentEvents)
      .where(and(eq(deploymentEvents.deploymentId, deploymentId), eq(deploymentEvents.idempotencyKey, input.idempotencyKey)));
    expect(events).toHaveLength(1);
  });
});
