import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deploymentEvents, deployments, deploymentTargets, environments, modelVersions } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion } from "@/server/registry/service";
import { encodeModel, syntheticModel } from "@/server/demo/onnx-fixtures";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { localOnnxAdapter } from "./adapters/local-onnx";
import type { DesiredState } from "./adapters/types";
import { useServingAdapter } from "./apply";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-apply-"));
const store = new LocalArtifactStore(root);
const ids = { cloud: "", fleet: "" };

async function deployment(id: string) {
  const [d] = await t.db
    .select({ revision: deployments.revision, state: deployments.state, step: deployments.step })
    .from(deployments)
    .where(eq(deployments.id, id));
  return d;
}
async function servingEvents(id: string) {
  return t.db
    .select()
    .from(deploymentEvents)
    .where(and(eq(deploymentEvents.deploymentId, id), eq(deploymentEvents.actorLabel, "serving adapter")))
    .orderBy(desc(deploymentEvents.id));
}

beforeAll(async () => {
  t = await setupTestEnv();
  const eng = t.actors.engineer;
  await createModel(t.db, eng, { slug: "apply-test", name: "Apply test", team: "perception", task: "classification" });
  for (const doc of ["v1", "v2"]) {
    const staged = await store.stage(Readable.from([Buffer.from(encodeModel({ ...syntheticModel(), docString: doc }))]), 1 << 30);
    await registerVersion(t.db, store, eng, "apply-test", { status: "approved" }, { staged, fileName: `${doc}.onnx` });
  }
  // v3 is registered by URI only: this portal does not hold its weights.
  await registerVersion(t.db, store, eng, "apply-test", { status: "approved", artifactUri: "s3://bucket/apply/3.onnx" });
  await t.db.insert(environments).values({ key: "dev", name: "Dev", rank: 0, protected: false });
  const [cloud] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "api", name: "API", kind: "cloud-online", environment: "dev", runtime: { onnxRuntime: "1.20", maxOpset: 21 }, hardwareClass: "cloud-cpu" })
    .returning();
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "rigs", name: "Rigs", kind: "edge-fleet", environment: "dev", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  const [v1] = await t.db.select().from(modelVersions).where(eq(modelVersions.number, 1));
  ids.cloud = (await t.db.insert(deployments).values({ targetId: cloud.id, modelId: v1.modelId, stableVersionId: v1.id }).returning())[0].id;
  ids.fleet = (await t.db.insert(deployments).values({ targetId: fleet.id, modelId: v1.modelId, stableVersionId: v1.id }).returning())[0].id;
});
afterEach(() => useServingAdapter(undefined));
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("serving adapter after a deployment change", () => {
  it("applies the committed state of a cloud deployment and puts 'applied' on its timeline", async () => {
    const calls: DesiredState[] = [];
    useServingAdapter({ name: "recording", apply: async (d) => void calls.push(d) });
    const r = await t
      .caller("engineer")
      .deployments.startCanary({ deploymentId: ids.cloud, version: 2, revision: 1, idempotencyKey: "apply-test-1", plan: [10, 100] });
    expect(r.revision).toBe(2);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      deploymentId: ids.cloud,
      model: "apply-test",
      target: "api",
      stable: { version: 1 },
      candidate: { version: 2 },
      candidatePercent: 10,
    });
    const [e] = await servingEvents(ids.cloud);
    expect(e).toMatchObject({ kind: "serving.applied", revision: 2, detail: { adapter: "recording", attempts: 1, reason: null } });
    expect(e.summary).toMatch(/v1 and v2 at 10%/);
    // A replayed request changed nothing, so nothing is applied again.
    await t.caller("engineer").deployments.startCanary({ deploymentId: ids.cloud, version: 2, revision: 1, idempotencyKey: "apply-test-1", plan: [10, 100] });
    expect(calls).toHaveLength(1);
  });

  it("records a failing adapter as 'failed' with its reason after bounded retries, and keeps the committed change", async () => {
    let tries = 0;
    useServingAdapter({
      name: "flaky-endpoint",
      apply: async () => {
        tries++;
        throw new Error("endpoint apply-test-api did not answer");
      },
    });
    const r = await t.caller("engineer").deployments.advance({ deploymentId: ids.cloud, revision: 2, idempotencyKey: "apply-test-2" });
    expect(r).toMatchObject({ revision: 3, replayed: false });
    expect(tries).toBe(3);
    expect(await deployment(ids.cloud)).toMatchObject({ revision: 3, state: "canary", step: 1 });
    const [e] = await servingEvents(ids.cloud);
    expect(e).toMatchObject({
      kind: "serving.failed",
      revision: 3,
      detail: { adapter: "flaky-endpoint", attempts: 3, reason: "endpoint apply-test-api did not answer" },
    });
    expect(e.summary).toMatch(/failed after 3 attempts: endpoint apply-test-api did not answer/);
  });

  it("the local adapter refuses, without retrying, a version whose weights this portal does not hold", async () => {
    useServingAdapter(localOnnxAdapter(store));
    await t.caller("engineer").deployments.abort({ deploymentId: ids.cloud, revision: 3, idempotencyKey: "apply-test-3" });
    const [applied] = await servingEvents(ids.cloud);
    expect(applied).toMatchObject({ kind: "serving.applied", revision: 4, detail: { adapter: "local-onnxruntime" } });
    await t.caller("engineer").deployments.promote({ deploymentId: ids.cloud, version: 3, revision: 4, idempotencyKey: "apply-test-4" });
    const [failed] = await servingEvents(ids.cloud);
    expect(failed).toMatchObject({ kind: "serving.failed", revision: 5, detail: { attempts: 1 } });
    expect(failed.summary).toMatch(/v3's weights are not held by this portal/);
    expect(await deployment(ids.cloud)).toMatchObject({ revision: 5, state: "idle" });
  });

  it("leaves edge fleets to their manifests", async () => {
    const calls: DesiredState[] = [];
    useServingAdapter({ name: "recording", apply: async (d) => void calls.push(d) });
    await t.caller("engineer").deployments.startCanary({ deploymentId: ids.fleet, version: 2, revision: 1, idempotencyKey: "apply-test-5", plan: [10, 100] });
    expect(calls).toHaveLength(0);
    expect(await servingEvents(ids.fleet)).toHaveLength(0);
  });
});
