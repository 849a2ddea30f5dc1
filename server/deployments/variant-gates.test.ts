// The rollout gates treat an int8 variant like any version: nothing is inherited from its parent. A variant with no
// evaluation and no sign-off of its own is gated exactly as a plain new version is, even when the parent has both;
// once the variant is evaluated and signed off itself, its gates pass.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployments, deploymentTargets, devices, environments, modelVersions } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { encodeModel, syntheticModel } from "@/server/demo/onnx-fixtures";
import { createModel, registerVersion, setAlias } from "@/server/registry/service";
import { postEvaluation, releaseReview } from "@/server/safety/service";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { bucketOf } from "./cohort";

let t: TestEnv;
let store: LocalArtifactStore;
let deploymentId = "";
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-variant-gates-"));
const slug = "fcw-variant-gates";
const CONTRACT = { minOnnxRuntime: "1.16", maxOpset: 17, deviceClasses: ["dashcam-gen3"] };
const MANIFEST = {
  input: { name: "x", layout: "NCHW" as const, width: 8, height: 8 },
  labels: ["vehicle", "pedestrian"],
  postprocess: { kind: "softmax" as const },
};
const rows = (tp: number) => [{ eventType: "forward-collision-warning", slice: { dimension: "all", value: "all" }, tp, fp: 5, fn: 100 - tp }];

async function register(doc: string, extra: Record<string, unknown>) {
  const staged = await store.stage(Readable.from([Buffer.from(encodeModel({ ...syntheticModel(), docString: doc }))]), 1 << 30);
  return registerVersion(t.db, store, t.actors.engineer, slug, { contract: CONTRACT, manifest: MANIFEST, ...extra }, { staged, fileName: `${doc}.onnx` });
}

async function signOffAs(version: number) {
  const review = await releaseReview(t.db, { slug, candidate: version });
  const seen = { candidateEvaluationId: review.candidate.evaluationId!, productionEvaluationId: review.production?.evaluationId ?? null };
  await t.caller("viewer").safety.signOff({ slug, version, decision: "approve", comment: "Recall holds on the evaluation set", seen });
}

const states = async (version: number) =>
  Object.fromEntries(
    (await t.caller("viewer").deployments.get({ id: deploymentId, version })).gates!.map((g) => [g.key, { state: g.state, reason: g.reason }]),
  );

beforeAll(async () => {
  t = await setupTestEnv();
  store = new LocalArtifactStore(root);
  await createModel(t.db, t.actors.engineer, { slug, name: "FCW variant gates", team: "perception", task: "detection", tags: { "safety-relevant": "true" } });
  await register("parent", { status: "approved" });
  // v2 as makeInt8Variant registers it (derived from v1, tagged with the method); v3 a plain new version.
  await register("variant", { parentVersion: 1, tags: { quantization: "int8-weight-only", "derived.from": "v1" } });
  await register("plain", {});
  await setAlias(t.db, t.actors.engineer, slug, "production", 1);
  await t.caller("admin").safety.grant({ userId: t.actors.viewer.userId, permission: "safety_reviewer" });
  // The parent has everything: its own evaluation and an approving sign-off.
  await postEvaluation(t.db, t.actors.engineer, { model: slug, version: 1, dataset: { name: "fleet-eval", version: "1" }, results: rows(90) });
  await signOffAs(1);

  await t.db.insert(environments).values({ key: "production", name: "Production", rank: 2, protected: true });
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "variant-fleet", name: "Variant fleet", kind: "edge-fleet", environment: "production", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  await t.db
    .insert(devices)
    .values(
      ["d1", "d2", "d3"].map((id) => ({ id, targetId: fleet.id, hardwareClass: "dashcam-gen3", firmware: "3.4.1", region: "eu-west", bucket: bucketOf(id) })),
    );
  const [v1] = await t.db.select().from(modelVersions).where(eq(modelVersions.number, 1));
  const [d] = await t.db.insert(deployments).values({ targetId: fleet.id, modelId: v1.modelId, stableVersionId: v1.id }).returning();
  deploymentId = d.id;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("rollout gates for an int8 variant", () => {
  it("gate a variant without its own evaluation or sign-off exactly like a plain new version, whatever the parent has", async () => {
    const variant = await states(2);
    const plain = await states(3);
    // Only the version number and the file's hash may differ between the two.
    const strip = (g: Record<string, { state: string; reason: string }>) =>
      Object.fromEntries(
        Object.entries(g).map(([k, v]) => [
          k,
          {
            state: v.state,
            reason: v.reason
              .replaceAll("v2", "vN")
              .replaceAll("v3", "vN")
              .replace(/[0-9a-f]{12}…/, "sha…"),
          },
        ]),
      );
    expect(strip(variant)).toEqual(strip(plain));
    expect(variant.evaluation.state).not.toBe("pass");
    expect(variant.signoff.state).toBe("fail");
    expect(variant.signoff.reason).toMatch(/no safety reviewer has signed it off/);
    // And an admin's promotion is refused on the variant for the same reasons as on the plain version.
    const start = (version: number) =>
      t.caller("admin").deployments.startCanary({ deploymentId, version, revision: 1, idempotencyKey: `variant-gates-${version}` });
    expect(await codeOf(start(2))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(start(3))).toBe("PRECONDITION_FAILED");
  });

  it("pass the evaluation and sign-off gates once the variant has its own", async () => {
    await postEvaluation(t.db, t.actors.engineer, { model: slug, version: 2, dataset: { name: "fleet-eval", version: "1" }, results: rows(90) });
    await signOffAs(2);
    const variant = await states(2);
    expect(variant.evaluation.state).toBe("pass");
    expect(variant.signoff.state).toBe("pass");
    // Nothing of the variant's leaks to the plain version either.
    expect((await states(3)).signoff.state).toBe("fail");
  });
});
