// CI-sized training smoke test for the seatbelt classifier: examples/seatbelt-classifier/train.py end to end through the
// unmodified MLflow client against a test portal (the real route handlers over a test database): labelled crops fetched
// over REST, a couple of optimiser steps, the ONNX logged through the artifact proxy, the version registered with its
// manifest and lineage, and it evaluates in Node. One run only (CI time); determinism is the same helper FCW tests.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { mlflowArtifactFiles, runs } from "@/db/schema";
import { generateCabinFrames, SEATBELT_SETS } from "@/server/demo/cabin-frames";
import { ZManifest } from "@/server/registry/schemas";
import { getVersion, versionResource } from "@/server/registry/service";
import { evaluateClassifier } from "@/server/safety/classifier-eval";
import { findTrainingPython, runTraining, SEATBELT_EXAMPLE_DIR, SEATBELT_FRAME_SETS, uploadFrameSets } from "./fcw-train-lib";
import { useTrainingTestPortal } from "./training-test-portal";

const python = findTrainingPython();
const skip = "skip" in python ? python.skip : null;
if (skip) console.warn(`Skipping the seatbelt training smoke test: ${skip}`);

describe.skipIf(skip !== null)("Seatbelt training smoke test (PyTorch + MLflow client against a test portal)", () => {
  const env = useTrainingTestPortal("seatbelt-smoke");

  it("uploads six crops per set, trains two steps, logs and registers the ONNX with its manifest, and it evaluates", async () => {
    const out = path.join(env.dir, "seatbelt-smoke.onnx");
    expect(await uploadFrameSets(env.url, env.token, SEATBELT_FRAME_SETS, 6)).toBe(12);
    if ("skip" in python) return;
    const result = await runTraining(python, {
      uri: env.url,
      token: env.token,
      exampleDir: SEATBELT_EXAMPLE_DIR,
      out,
      epochs: 1,
      limit: 6,
      maxSteps: 2,
      register: "seatbelt-smoke",
      runName: "seatbelt-smoke",
    });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.version).toBe(1);
    expect(result.metrics).toHaveProperty("recall_unfastened");
    const [run] = await env.t.db.select().from(runs).where(eq(runs.runId, result.run_id));
    expect(run.status).toBe("FINISHED");
    const files = await env.t.db
      .select({ path: mlflowArtifactFiles.path, sha256: mlflowArtifactFiles.sha256 })
      .from(mlflowArtifactFiles)
      .where(eq(mlflowArtifactFiles.runId, run.runId));
    expect(files.map((f) => f.path.split("/artifacts/")[1]).sort()).toEqual(["model/manifest.json", "model/seatbelt-smoke.onnx"]);
    const v = versionResource(await getVersion(env.t.db, "seatbelt-smoke", 1));
    expect(v.artifact.sha256).toBe(result.sha256);
    expect(v.manifest).toMatchObject({
      input: { name: "image", width: 64, height: 64 },
      labels: ["fastened", "unfastened", "obstructed"],
      postprocess: { kind: "softmax" },
    });
    expect(v.lineage).toMatchObject({ sourceRunId: result.run_id, dataset: { name: SEATBELT_SETS.train.tag } });
    // It runs in Node through the playground's preprocessing and softmax reading; three unfastened crops in six.
    const sharp = (await import("sharp")).default;
    const frames = [];
    for (const f of await generateCabinFrames("eval", 6)) {
      const { data, info } = await sharp(f.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      frames.push({ name: f.name, tags: f.tags, boxes: [], truthClass: f.groundTruth.class, image: { data, width: info.width, height: info.height } });
    }
    const spec = { eventType: "seatbelt" as const, positive: "unfastened", threshold: 0.5, matrixName: "belt state" };
    const evaluation = await evaluateClassifier(fs.readFileSync(out), ZManifest.parse(v.manifest), frames, spec);
    const whole = evaluation.results.find((r) => r.slice?.dimension === "all")!;
    expect(whole.tp + whole.fn).toBe(2);
    expect(evaluation.confusionMatrices[0].matrix.flat().reduce((a, b) => a + b, 0)).toBe(6);
  }, 600_000);
});
