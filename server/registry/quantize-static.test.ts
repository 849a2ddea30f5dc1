// Static int8 (QDQ) on a small synthetic network and on the real FCW v2 detector: calibration measures activation
// ranges, the rewrite inserts Q/DQ pairs and per-channel int8 weights, onnxruntime loads and runs the result, and the
// outputs (and, for FCW, the decoded boxes) stay close to the float parent's.
import fs from "node:fs";
import { onnx } from "onnx-proto";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { defaultThresholds } from "@/lib/playground/interpret";
import { preprocess } from "@/lib/playground/preprocess";
import { FCW_MANIFEST, fcwModelFile } from "@/server/demo/fcw-model";
import { fcwFrameSpec } from "@/server/demo/fcw-frames";
import { renderFrame } from "@/server/demo/frame-generator";
import { encodeModel, tensorValue } from "@/server/demo/onnx-fixtures";
import { activationParams, calibrate, quantizeStatic } from "./quantize-static";
import { boxAgreement } from "./variant-comparison";

const { DataType } = onnx.TensorProto;

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  });
}

/** Conv (with bias) -> Relu -> Conv -> graph output, at opset 13. */
function convReluNet(opset = 13): Uint8Array {
  const w1 = seeded(16 * 3 * 3 * 3, 7);
  const w2 = seeded(8 * 16 * 3 * 3, 9);
  const b1 = seeded(16, 5);
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: "", version: opset }],
    graph: {
      name: "net",
      input: [tensorValue("x", DataType.FLOAT, [1, 3, 8, 8])],
      output: [tensorValue("y", DataType.FLOAT, [1, 8, 8, 8])],
      initializer: [
        { name: "w1", dims: [16, 3, 3, 3], dataType: DataType.FLOAT, rawData: new Uint8Array(w1.buffer) },
        { name: "b1", dims: [16], dataType: DataType.FLOAT, rawData: new Uint8Array(b1.buffer) },
        { name: "w2", dims: [8, 16, 3, 3], dataType: DataType.FLOAT, rawData: new Uint8Array(w2.buffer) },
      ],
      node: [
        {
          opType: "Conv",
          input: ["x", "w1", "b1"],
          output: ["c1"],
          attribute: [{ name: "pads", type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 1, 1, 1] }],
        },
        { opType: "Relu", input: ["c1"], output: ["r1"] },
        { opType: "Conv", input: ["r1", "w2"], output: ["y"], attribute: [{ name: "pads", type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 1, 1, 1] }] },
      ],
    },
  });
}

async function runAll(bytes: Uint8Array, feeds: Record<string, ort.Tensor>) {
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const out = await s.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: [...t.dims] }]));
  } finally {
    await s.release();
  }
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe("static int8 (QDQ)", () => {
  it("puts zero on the uint8 grid and keeps a Relu output's zero point at 0", () => {
    expect(activationParams({ min: 0, max: 2.55 })).toEqual({ scale: expect.closeTo(0.01, 9), zeroPoint: 0 });
    const p = activationParams({ min: -1, max: 3 });
    expect(p.zeroPoint).toBe(64);
    expect(p.scale).toBeCloseTo(4 / 255, 9);
    // A range that does not reach zero is widened to it.
    expect(activationParams({ min: 1, max: 2 }).zeroPoint).toBe(0);
  });

  it("rewrites a small net: Q/DQ on the activations, the Relu folded, int32 bias, and outputs close to float", async () => {
    const float = convReluNet();
    const inputs = Array.from({ length: 8 }, (_, i) => ({ x: new ort.Tensor("float32", seeded(3 * 64, 100 + i), [1, 3, 8, 8]) }));
    const cal = await calibrate(float, inputs);
    expect(cal.count).toBe(8);
    expect([...cal.ranges.keys()].sort()).toEqual(["r1", "x"]);
    expect(cal.ranges.get("r1")!.min).toBe(0);
    const { bytes, report } = quantizeStatic(float, cal);
    expect(report).toMatchObject({ granularity: "per-channel", rangeMethod: "min/max", tensors: 2, activations: 2, foldedRelus: 1, calibrationInputs: 8 });
    const g = onnx.ModelProto.decode(bytes).graph!;
    const ops = g.node!.map((n) => n.opType);
    expect(ops).not.toContain("Relu");
    expect(ops.filter((o) => o === "QuantizeLinear")).toHaveLength(2);
    // Two weights, one bias, two activations.
    expect(ops.filter((o) => o === "DequantizeLinear")).toHaveLength(5);
    expect(g.initializer!.find((t) => t.name === "b1__int32")?.dataType).toBe(DataType.INT32);
    expect(g.initializer!.find((t) => t.name === "w1__scale")?.dims?.map(Number)).toEqual([16]);
    expect(g.initializer!.some((t) => t.name === "w1" || t.name === "b1")).toBe(false);

    const x = new ort.Tensor("float32", seeded(3 * 64, 103), [1, 3, 8, 8]);
    const [a, b] = [await runAll(float, { x }), await runAll(bytes, { x })];
    expect(b.y.dims).toEqual(a.y.dims);
    const top = a.y.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(maxAbs(a.y.data, b.y.data)).toBeGreaterThan(0);
    expect(maxAbs(a.y.data, b.y.data) / top).toBeLessThan(0.05);
  });

  it("refuses an opset without per-channel QDQ, and an empty calibration, with what to do", async () => {
    await expect(calibrate(convReluNet(12), [])).rejects.toThrow(/opset 12.*opset 13 or later, or make a weight-only variant/);
    await expect(calibrate(convReluNet(), [])).rejects.toThrow(/No calibration input/);
  });

  it("quantises FCW v2 calibrated on training frames: a third of the size, the boxes agree on evaluation frames", async () => {
    const float = new Uint8Array(fs.readFileSync(fcwModelFile(2)));
    const feedsOf = (set: "train" | "eval", i: number) => {
      const f = renderFrame(fcwFrameSpec(set, i));
      const pre = preprocess({ data: f.rgba, width: f.width, height: f.height }, FCW_MANIFEST.input);
      return { pre, feeds: { image: new ort.Tensor("float32", pre.data, pre.dims) } };
    };
    const cal = await calibrate(
      float,
      Array.from({ length: 16 }, (_, i) => feedsOf("train", i).feeds),
    );
    const { bytes, report } = quantizeStatic(float, cal);
    // 29 Conv weights; the few under 256 floats (the heads' last layers) stay float, as in the weight-only variant.
    expect(report.tensors).toBeGreaterThan(20);
    expect(report.foldedRelus).toBeGreaterThan(10);
    expect(bytes.length / float.length).toBeLessThan(0.35);

    const th = defaultThresholds(FCW_MANIFEST.postprocess);
    let matched = 0;
    let total = 0;
    let worst = 0;
    for (let i = 0; i < 12; i++) {
      const { pre, feeds } = feedsOf("eval", i);
      const [a, b] = [await runAll(float, feeds), await runAll(bytes, feeds)];
      for (const k of Object.keys(a)) {
        expect(b[k].dims).toEqual(a[k].dims);
        worst = Math.max(worst, maxAbs(a[k].data, b[k].data));
      }
      const agree = boxAgreement(FCW_MANIFEST, a, b, pre.transform, th);
      if (!agree) throw new Error("FCW decodes to boxes");
      matched += agree.matched;
      total += agree.total;
    }
    console.log(`static int8 FCW v2: ${(bytes.length / float.length).toFixed(3)}x size, max abs ${worst.toExponential(2)}, boxes ${matched}/${total}`);
    expect(total).toBeGreaterThan(10);
    expect(matched / total).toBeGreaterThan(0.85);
  }, 120_000);
});
