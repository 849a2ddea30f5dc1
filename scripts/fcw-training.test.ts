// CI-sized training smoke test: examples/fcw-detector/train.py end to end through the unmodified MLflow client against
// a test portal (the real route handlers over a test database): frames fetched over REST, a few optimiser steps, the
// ONNX logged through the artifact proxy, the version registered with its manifest and lineage, and it runs.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { mlflowArtifactFiles, runs } from "@/db/schema";
import { FCW_SETS } from "@/server/demo/fcw-frames";
import { ZManifest } from "@/server/registry/schemas";
import { getVersion, versionResource } from "@/server/registry/service";
import { evaluateDetector, FCW_CLASSES } from "@/server/safety/detector-eval";
import { findTrainingPython, runTraining, uploadFcwFrames, type TrainingResult } from "./fcw-train-lib";
import { useTrainingTestPortal } from "./training-test-portal";
import { generateFcwFrames } from "@/server/demo/fcw-frames";
import { artifactStore } from "@/server/artifacts";

const python = findTrainingPython();
const skip = "skip" in python ? python.skip : null;
if (skip) console.warn(`Skipping the FCW training smoke test: ${skip}`);

describe.skipIf(skip !== null)("FCW training smoke test (PyTorch + MLflow client against a test portal)", () => {
  const env = useTrainingTestPortal("fcw-smoke");
  let result: TrainingResult;
  const out = () => path.join(env.dir, "fcw-smoke.onnx");

  it("uploads a handful of frames, trains a few steps, logs and registers the ONNX with its manifest", async () => {
    expect(await uploadFcwFrames(env.url, env.token, 4)).toBe(8);
    if ("skip" in python) return;
    result = await runTraining(python, {
      uri: env.url,
      token: env.token,
      nightShare: 0.5,
      out: out(),
      epochs: 1,
      limit: 4,
      maxSteps: 2,
      register: "fcw-smoke",
      runName: "fcw-smoke",
    });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.version).toBe(1);
    // The run holds its params, per-epoch metrics and the ONNX (through the artifact proxy).
    const [run] = await env.t.db.select().from(runs).where(eq(runs.runId, result.run_id));
    expect(run.status).toBe("FINISHED");
    const files = await env.t.db
      .select({ path: mlflowArtifactFiles.path, sha256: mlflowArtifactFiles.sha256 })
      .from(mlflowArtifactFiles)
      .where(eq(mlflowArtifactFiles.runId, run.runId));
    expect(files.map((f) => f.path.split("/artifacts/")[1]).sort()).toEqual(["model/fcw-smoke.onnx", "model/manifest.json"]);
    expect(files.find((f) => f.path.endsWith(".onnx"))?.sha256).toBe(result.sha256);
    // The registered version holds the same bytes, the manifest the playground needs and its lineage.
    const v = versionResource(await getVersion(env.t.db, "fcw-smoke", 1));
    expect(v.artifact.sha256).toBe(result.sha256);
    expect(v.manifest).toMatchObject({
      input: { name: "image", width: 256, height: 144 },
      labels: ["vehicle", "pedestrian"],
      postprocess: { kind: "centernet" },
    });
    expect(v.lineage).toMatchObject({ sourceRunId: result.run_id, dataset: { name: FCW_SETS.train.tag } });
    // And it runs in Node through the same decoding as the playground.
    const frames = [];
    for (const f of await generateFcwFrames("eval", 2)) frames.push({ name: f.name, tags: f.tags, boxes: f.groundTruth.boxes, image: await rgbaOf(f) });
    const evaluation = await evaluateDetector(fs.readFileSync(out()), ZManifest.parse(v.manifest), frames, FCW_CLASSES);
    expect(evaluation.results.find((r) => r.eventType === "forward-collision-warning" && r.slice?.dimension === "all")).toBeDefined();
    expect(await artifactStore.exists(result.sha256)).toBe(true);
  }, 600_000);

  it("is deterministic: the same frames and seeds give the same ONNX bytes", async () => {
    if ("skip" in python || !result) return;
    const again = await runTraining(python, {
      uri: env.url,
      token: env.token,
      nightShare: 0.5,
      out: out().replace(".onnx", "-again.onnx"),
      epochs: 1,
      limit: 4,
      maxSteps: 2,
    });
    expect(again.sha256).toBe(result.sha256);
    expect(again.run_id).not.toBe(result.run_id);
  }, 600_000);
});

async function rgbaOf(f: { png: Buffer }) {
  const sharp = (await import("sharp")).default;
  const { data, info } = await sharp(f.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
