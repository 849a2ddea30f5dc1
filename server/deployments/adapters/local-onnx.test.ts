import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployments, deploymentTargets, environments, modelVersions } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { buildCameraHealthModel } from "@/server/demo/camera-health-model";
import { createModel, registerVersion } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { startCanary } from "../service";
import { chooseChannel, desiredState, infer, servedCounts } from "./local-onnx";

describe("chooseChannel", () => {
  it("never picks the candidate at 0%, always at 100%, and is sticky per key", () => {
    expect(chooseChannel(0, "vehicle-1")).toBe("stable");
    expect(chooseChannel(100, "vehicle-1")).toBe("candidate");
    const at30 = Array.from({ length: 2000 }, (_, i) => chooseChannel(30, `vehicle-${i}`));
    const share = at30.filter((c) => c === "candidate").length / at30.length;
    expect(share).toBeGreaterThan(0.26);
    expect(share).toBeLessThan(0.34);
    // Widening never moves a key back to stable.
    at30.forEach((c, i) => {
      if (c === "candidate") expect(chooseChannel(60, `vehicle-${i}`)).toBe("candidate");
    });
    expect(chooseChannel(30, null, () => 0.29)).toBe("candidate");
    expect(chooseChannel(30, null, () => 0.3)).toBe("stable");
  });
});

describe("local onnxruntime adapter", () => {
  let t: TestEnv;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-infer-"));
  const store = new LocalArtifactStore(root);
  let id = "";
  beforeAll(async () => {
    t = await setupTestEnv();
    await createModel(t.db, t.actors.engineer, { slug: "cam", name: "Cam", team: "perception", task: "classification" });
    for (let i = 0; i < 2; i++) {
      const staged = await store.stage(Readable.from([Buffer.from(buildCameraHealthModel())]), 1 << 30);
      await registerVersion(t.db, store, t.actors.engineer, "cam", { status: "approved" }, { staged, fileName: `cam-${i}.onnx` });
    }
    await t.db.insert(environments).values({ key: "dev", name: "Dev", rank: 0, protected: false });
    const [target] = await t.db
      .insert(deploymentTargets)
      .values({
        slug: "api",
        name: "API",
        kind: "cloud-online",
        environment: "dev",
        runtime: { onnxRuntime: "1.20", maxOpset: 21 },
        hardwareClass: "cloud-cpu",
      })
      .returning();
    const [v1] = await t.db.select().from(modelVersions).where(eq(modelVersions.number, 1));
    const [d] = await t.db.insert(deployments).values({ targetId: target.id, modelId: v1.modelId, stableVersionId: v1.id }).returning();
    id = d.id;
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("serves the stable version, then splits traffic by the canary percent and says which version answered", async () => {
    const image = { dims: [1, 3, 224, 224], data: Array.from({ length: 3 * 224 * 224 }, (_, i) => (i % 97) / 97) };
    const first = await infer(t.db, store, id, { image }, "vehicle-1");
    expect(first).toMatchObject({ version: 1, channel: "stable", model: "cam" });
    expect(Object.keys(first.outputs)).toContain("scores");
    await startCanary(t.db, t.actors.engineer, { deploymentId: id, version: 2, revision: 1, idempotencyKey: "infer-canary-1", plan: [50, 100] });
    expect(await desiredState(t.db, id)).toMatchObject({ stable: { version: 1 }, candidate: { version: 2 }, candidatePercent: 50 });
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await infer(t.db, store, id, { image }, `vehicle-${i}`));
    for (const a of answers) expect(a.version).toBe(a.channel === "candidate" ? 2 : 1);
    expect(new Set(answers.map((a) => a.version)).size).toBe(2);
    const counts = servedCounts(id);
    expect((counts.v1 ?? 0) + (counts.v2 ?? 0)).toBe(13);
    await expect(infer(t.db, store, id, { other: image }, null)).rejects.toThrow(/inputs.image is missing/);
  });
});
