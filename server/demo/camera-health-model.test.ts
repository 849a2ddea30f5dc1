import { createHash } from "node:crypto";
import * as ort from "onnxruntime-web";
import { onnx } from "onnx-proto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildCameraHealthModel,
  CAMERA_HEALTH_LABELS,
  cameraHealthFeatures,
  cameraHealthScores,
  FIT_SEEDS,
  fitCameraHealthThresholds,
  syntheticFrame,
} from "./camera-health-model";

ort.env.wasm.numThreads = 1;
const HELD_OUT = Array.from({ length: 20 }, (_, i) => 10_000 + i);
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("camera-health model", () => {
  let bytes: Uint8Array;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    bytes = buildCameraHealthModel();
    session = await ort.InferenceSession.create(bytes);
  });
  const run = async (frame: Float32Array) => session.run({ image: new ort.Tensor("float32", frame, [1, 3, 224, 224]) });

  it("builds the same bytes every time", () => {
    expect(sha256(buildCameraHealthModel())).toBe(sha256(bytes));
  });

  it("declares its interface and provenance", () => {
    expect(session.inputNames).toEqual(["image"]);
    expect(session.outputNames).toEqual(["scores", "features"]);
    const m = onnx.ModelProto.decode(bytes);
    expect([m.producerName, m.producerVersion, Number(m.irVersion)]).toEqual(["sentinel", "1", 8]);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", 13]]);
    const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta.labels)).toEqual(CAMERA_HEALTH_LABELS);
    expect(meta.demo).toMatch(/synthetic/);
    expect(JSON.parse(meta.thresholds)).toEqual(fitCameraHealthThresholds());
  });

  it("classifies held-out synthetic frames and matches the TypeScript features", async () => {
    expect(HELD_OUT.some((s) => FIT_SEEDS.includes(s))).toBe(false);
    const thresholds = fitCameraHealthThresholds();
    const accuracy: Record<string, number> = {};
    for (const kind of CAMERA_HEALTH_LABELS) {
      let correct = 0;
      for (const seed of HELD_OUT) {
        const frame = syntheticFrame(kind, seed);
        const out = await run(frame);
        expect(out.scores.dims).toEqual([1, 4]);
        expect(out.features.dims).toEqual([1, 3]);
        const scores = Array.from(out.scores.data as Float32Array);
        const features = Array.from(out.features.data as Float32Array);
        const expected = cameraHealthFeatures(frame);
        features.forEach((v, i) => expect(Math.abs(v - expected[i]), `${kind}/${seed} feature ${i}`).toBeLessThan(1e-4));
        const expectedScores = cameraHealthScores(expected, thresholds);
        scores.forEach((v, i) => expect(Math.abs(v - expectedScores[i]), `${kind}/${seed} score ${i}`).toBeLessThan(1e-3));
        expect(scores.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
        if (CAMERA_HEALTH_LABELS[scores.indexOf(Math.max(...scores))] === kind) correct++;
      }
      accuracy[kind] = correct / HELD_OUT.length;
    }
    console.log("camera-health held-out accuracy", accuracy);
    for (const kind of CAMERA_HEALTH_LABELS) expect(accuracy[kind], kind).toBeGreaterThanOrEqual(0.9);
  });
});
