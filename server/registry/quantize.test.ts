import fs from "node:fs";
import { onnx } from "onnx-proto";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { interpret } from "@/lib/playground/interpret";
import { preprocess } from "@/lib/playground/preprocess";
import { DEMO_FRAME_SPECS, renderFrame } from "@/server/demo/frame-generator";
import { encodeModel, tensorValue } from "@/server/demo/onnx-fixtures";
import { OCR_DETECTOR_MANIFEST, OCR_FILES, ocrAsset } from "./ocr-assets";
import { quantizeOnnx, quantizeWeights } from "./quantize";

const { DataType } = onnx.TensorProto;

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  });
}

/** Conv (16 channels, the second one ten times larger than the rest) then MatMul, at opset 13. */
function convNet(): Uint8Array {
  const w = seeded(16 * 3 * 3 * 3, 7);
  for (let i = 27; i < 54; i++) w[i] *= 10;
  const m = seeded(16 * 8, 11);
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "net",
      input: [tensorValue("x", DataType.FLOAT, [1, 3, 8, 8])],
      output: [tensorValue("y", DataType.FLOAT, [1, 36, 8])],
      initializer: [
        { name: "w", dims: [16, 3, 3, 3], dataType: DataType.FLOAT, rawData: new Uint8Array(w.buffer) },
        { name: "m", dims: [16, 8], dataType: DataType.FLOAT, rawData: new Uint8Array(m.buffer) },
        { name: "shape", dims: [3], dataType: DataType.INT64, int64Data: [1, 16, 36] },
        { name: "perm", dims: [3], dataType: DataType.INT64, int64Data: [0, 2, 1] },
      ],
      node: [
        { opType: "Conv", input: ["x", "w"], output: ["c"] },
        { opType: "Reshape", input: ["c", "shape"], output: ["r"] },
        { opType: "Transpose", input: ["r"], output: ["t"], attribute: [{ name: "perm", type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 2, 1] }] },
        { opType: "MatMul", input: ["t", "m"], output: ["y"] },
      ],
    },
  });
}

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>) {
  const s = await ort.InferenceSession.create(bytes);
  return Object.values(await s.run(feeds))[0].data as Float32Array;
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe("int8 weight quantisation", () => {
  it("keeps each channel's own scale, so a large channel does not flatten the small ones", () => {
    const w = Float32Array.from([0.01, -0.02, 0.03, 1, -2, 1.5]);
    const per = quantizeWeights(w, [2, 3], 0);
    expect(Array.from(per.scales)).toEqual([expect.closeTo(0.03 / 127, 8), expect.closeTo(2 / 127, 8)]);
    expect(Array.from(per.q)).toEqual([42, -85, 127, 64, -127, 95]);
    const whole = quantizeWeights(w, [2, 3], null);
    // One scale for everything rounds the small channel to nearly nothing.
    expect(Array.from(whole.q.slice(0, 3))).toEqual([1, -1, 2]);
  });

  it("rewrites an opset-13 graph per channel; the variant runs in onnxruntime and stays close to the float model", async () => {
    const float = convNet();
    const { bytes, report } = quantizeOnnx(float);
    expect(report).toMatchObject({ granularity: "per-channel", opset: 13, tensors: 1 });
    expect(report.skipped).toEqual([]);
    // The MatMul weight is under the 256-element floor; the Conv weight (432 floats) became 432 bytes plus scales.
    expect(report.weightsAfter).toBeLessThan(report.weightsBefore / 3);
    const x = new ort.Tensor("float32", seeded(3 * 8 * 8, 3), [1, 3, 8, 8]);
    const [a, b] = await Promise.all([run(float, { x }), run(bytes, { x })]);
    expect(a.length).toBe(b.length);
    const top = a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(maxAbs(a, b)).toBeGreaterThan(0);
    expect(maxAbs(a, b) / top).toBeLessThan(0.02);
  });

  it("quantises PaddleOCR's detector (opset 11: Constant weights, one scale per tensor): a quarter of the size, and the STOP sign is still found", async () => {
    const float = new Uint8Array(fs.readFileSync(ocrAsset(OCR_FILES.detector)));
    const { bytes, report } = quantizeOnnx(float);
    expect(report.granularity).toBe("per-tensor");
    expect(report.tensors).toBeGreaterThan(40);
    expect(bytes.length / float.length).toBeLessThan(0.4);
    const frame = renderFrame(DEMO_FRAME_SPECS.find((s) => s.name === "urban-day-stop")!);
    const input = preprocess({ data: frame.rgba, width: frame.width, height: frame.height }, OCR_DETECTOR_MANIFEST.input);
    const x = new ort.Tensor("float32", input.data, input.dims);
    const [a, b] = await Promise.all([run(float, { x }), run(bytes, { x })]);
    // Per tensor, a few border pixels flip; on average the probability map moves by well under 1%.
    expect(a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length).toBeLessThan(0.005);
    const agree = a.reduce((n, v, i) => n + Number(v > 0.3 === b[i] > 0.3), 0) / a.length;
    expect(agree).toBeGreaterThan(0.995);
    const regions = (map: Float32Array) => {
      const r = interpret(OCR_DETECTOR_MANIFEST, { out: { data: map, dims: [1, 1, 640, 640] } }, input.transform, {
        score: 0.25,
        iou: 0.45,
        binary: 0.3,
        box: 0.6,
      });
      return r.kind === "text-regions" ? r.regions : [];
    };
    const sign = frame.groundTruth.boxes.find((g) => g.text === "STOP")!;
    const near = (rs: ReturnType<typeof regions>) => rs.some((r) => Math.abs(r.x - sign.x) < 6 && Math.abs(r.y - sign.y) < 6);
    expect(near(regions(a))).toBe(true);
    expect(near(regions(b))).toBe(true);
  }, 120_000);

  it("refuses what it cannot rewrite, with what to do", () => {
    expect(() => quantizeOnnx(new Uint8Array([1, 2, 3]))).toThrow(/not an ONNX model|no graph/);
    const old = encodeModel({ irVersion: 4, opsetImport: [{ domain: "", version: 9 }], graph: { name: "g", node: [] } });
    expect(() => quantizeOnnx(old)).toThrow(/opset 9.*opset 13/);
    const tiny = encodeModel({ irVersion: 8, opsetImport: [{ domain: "", version: 13 }], graph: { name: "g", node: [] } });
    expect(() => quantizeOnnx(tiny)).toThrow(/Nothing to quantise/);
  });
});
