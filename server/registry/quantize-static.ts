// Static int8 quantisation of an ONNX graph, in TypeScript, in the QDQ format ONNX Runtime's own tools write:
//   1. calibrate: run the float model in onnxruntime-node on calibration inputs, with the activations that feed (and
//      leave) Conv, MatMul and Gemm exposed as extra graph outputs, and keep each one's min and max over all inputs;
//   2. rewrite: a QuantizeLinear/DequantizeLinear pair (uint8, asymmetric, scale and zero point from the range) on each
//      such activation, int8 weights with a symmetric scale per output channel, int32 biases at scale x_scale * w_scale.
// Every quantised op then sits in a DQ -> op -> Q group that onnxruntime's graph optimiser fuses into an integer kernel
// (QLinearConv, QLinearMatMul); ops outside those groups (Add, Sigmoid, Resize, Exp) run in float between DQ and Q.
// uint8 activations with int8 weights ("U8S8") is ONNX Runtime's default pairing on x86 CPUs.
//
// Range method: min/max over the calibration set, the ONNX Runtime default. A percentile would clip the tails, and in
// a detector the tails are the large box sizes and the confident heatmap peaks we most need; min/max also needs no
// histogram per activation, so calibration memory stays one pair of numbers per tensor.
import { onnx } from "onnx-proto";
import * as ort from "onnxruntime-node";
import { Invalid } from "@/server/errors";
import { channelAxis, floatsOf, quantizeWeights } from "./quantize";

const { DataType } = onnx.TensorProto;
const QUANTISED_OPS = ["Conv", "MatMul", "Gemm"];

export type Range = { min: number; max: number };
export type StaticReport = {
  method: "int8 static (QDQ), activations uint8 asymmetric, weights int8 symmetric";
  granularity: "per-channel";
  rangeMethod: "min/max";
  opset: number;
  /** Weight tensors rewritten as int8. */
  tensors: number;
  /** Activations given a Q/DQ pair from calibration. */
  activations: number;
  /** Relu nodes folded into the uint8 range of the tensor they produce (zero point 0 clamps at zero as Relu does). */
  foldedRelus: number;
  calibrationInputs: number;
  weightsBefore: number;
  weightsAfter: number;
  skipped: { name: string; reason: string }[];
};

type Plan = {
  model: onnx.ModelProto;
  opset: number;
  /** Quantised op nodes, with the activation each reads and the tensor whose Q/DQ pair follows it. */
  ops: { node: onnx.INodeProto; weight: onnx.ITensorProto; weightName: string; dims: number[]; axis: number }[];
  /** Tensors that get a Q/DQ pair, each with the tensor the Q reads (differs from the name when a Relu is folded). */
  activations: Map<string, { source: string }>;
  foldedRelus: Set<onnx.INodeProto>;
  skipped: { name: string; reason: string }[];
};

function decode(bytes: Uint8Array): onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch {
    throw new Invalid("The file is not an ONNX model this portal can read");
  }
}

/** Which tensors to calibrate and rewrite; the same decisions for the calibration run and the rewrite. */
function plan(bytes: Uint8Array, minElements: number): Plan {
  const model = decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Invalid("The ONNX model has no graph");
  const opset = Number(model.opsetImport?.find((o) => !o.domain)?.version ?? 0);
  if (opset < 13)
    throw new Invalid(
      `The model uses opset ${opset}; static int8 needs per-channel QuantizeLinear/DequantizeLinear, which arrive in opset 13. Export it again with opset 13 or later, or make a weight-only variant.`,
    );
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? "", t]));
  const constants = new Map<string, onnx.ITensorProto>();
  for (const n of graph.node ?? [])
    if (n.opType === "Constant" && n.output?.[0] && n.attribute?.[0]?.name === "value" && n.attribute[0].t) constants.set(n.output[0], n.attribute[0].t);
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const n of graph.node ?? []) for (const i of n.input ?? []) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ""));
  const isWeight = (name: string) => initializers.has(name) || constants.has(name);

  const p: Plan = { model, opset, ops: [], activations: new Map(), foldedRelus: new Set(), skipped: [] };
  for (const node of graph.node ?? []) {
    if (!QUANTISED_OPS.includes(node.opType ?? "")) continue;
    const x = node.input?.[0];
    const weightName = node.input?.[1];
    if (!x || !weightName) continue;
    const weight = initializers.get(weightName) ?? constants.get(weightName);
    const w = weight ? floatsOf(weight) : null;
    const dims = (weight?.dims ?? []).map(Number);
    if (!weight || !w) continue; // two activations (attention-style MatMul): left in float
    if (w.length < minElements) continue;
    const axis = channelAxis(node, dims);
    if (axis === null) {
      p.skipped.push({ name: weightName, reason: `no output-channel axis for ${node.opType} with ${dims.length} dimensions` });
      continue;
    }
    // A weight shared with another op, or read as something else, would change under that op too.
    if (graphOutputs.has(weightName) || (consumers.get(weightName) ?? []).some((u) => u !== node)) {
      p.skipped.push({ name: weightName, reason: "shared with another node" });
      continue;
    }
    if (isWeight(x)) continue;
    p.ops.push({ node, weight, weightName, dims, axis });
    // Already planned when it is the (Relu-folded) output of an earlier quantised op: keep that source.
    if (!p.activations.has(x)) p.activations.set(x, { source: x });
    // The output gets its own pair so the op is a whole DQ -> op -> Q group; a Relu right after it is folded into that
    // pair. A graph output keeps full precision: it is what the caller reads.
    const y = node.output?.[0];
    if (!y || graphOutputs.has(y)) continue;
    const next = consumers.get(y) ?? [];
    if (next.length === 1 && next[0].opType === "Relu" && next[0].output?.[0] && !graphOutputs.has(next[0].output[0])) {
      p.foldedRelus.add(next[0]);
      p.activations.set(next[0].output[0], { source: y });
    } else {
      p.activations.set(y, { source: y });
    }
  }
  if (!p.ops.length) throw new Invalid("Nothing to quantise: the model has no float Conv, MatMul or Gemm weights large enough to gain from int8");
  return p;
}

/**
 * Min and max of each planned activation over the calibration inputs, from the float model with those tensors exposed
 * as outputs. A folded Relu's range is measured on its output, so it starts at 0 and the zero point lands on 0.
 */
export async function calibrate(
  bytes: Uint8Array,
  inputs: AsyncIterable<Record<string, ort.Tensor>> | Iterable<Record<string, ort.Tensor>>,
  opts: { minElements?: number; onProgress?: (done: number) => void } = {},
): Promise<{ ranges: Map<string, Range>; count: number }> {
  const p = plan(bytes, opts.minElements ?? 256);
  const graph = p.model.graph!;
  const outputs = new Set((graph.output ?? []).map((o) => o.name ?? ""));
  const graphInputs = new Set((graph.input ?? []).map((i) => i.name ?? ""));
  const exposed = [...p.activations.keys()].filter((t) => !outputs.has(t) && !graphInputs.has(t));
  graph.output = [...(graph.output ?? []), ...exposed.map((name) => ({ name, type: { tensorType: { elemType: DataType.FLOAT } } }))];
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(p.model).finish(), { intraOpNumThreads: 1, graphOptimizationLevel: "basic" });
  const ranges = new Map<string, Range>();
  let count = 0;
  try {
    for await (const feeds of inputs) {
      const out = await session.run(feeds);
      for (const name of p.activations.keys()) {
        const data = (out[name] ?? feeds[name])?.data as Float32Array | undefined;
        if (!data) continue;
        const r = ranges.get(name) ?? { min: Infinity, max: -Infinity };
        for (let i = 0; i < data.length; i++) {
          const v = data[i];
          if (v < r.min) r.min = v;
          if (v > r.max) r.max = v;
        }
        ranges.set(name, r);
      }
      count++;
      opts.onProgress?.(count);
    }
  } finally {
    await session.release();
  }
  if (!count) throw new Invalid("No calibration input was given, so there are no activation ranges to quantise with");
  return { ranges, count };
}

/** uint8 asymmetric: the range always includes 0 so zero (padding, a Relu's floor) is represented exactly. */
export function activationParams(r: Range): { scale: number; zeroPoint: number } {
  const min = Math.min(0, r.min);
  const max = Math.max(0, r.max);
  if (!Number.isFinite(min) || !Number.isFinite(max))
    throw new Invalid("Calibration produced a non-finite activation; the model cannot be quantised on these frames");
  const scale = max > min ? (max - min) / 255 : 1;
  return { scale, zeroPoint: Math.max(0, Math.min(255, Math.round(-min / scale))) };
}

const f32 = (xs: number[] | Float32Array) => new Uint8Array(Float32Array.from(xs).buffer);

/** Rewrites the graph in QDQ format with the calibrated ranges. */
export function quantizeStatic(
  bytes: Uint8Array,
  calibration: { ranges: Map<string, Range>; count: number },
  opts: { minElements?: number } = {},
): { bytes: Uint8Array; report: StaticReport } {
  const p = plan(bytes, opts.minElements ?? 256);
  const graph = p.model.graph!;
  const report: StaticReport = {
    method: "int8 static (QDQ), activations uint8 asymmetric, weights int8 symmetric",
    granularity: "per-channel",
    rangeMethod: "min/max",
    opset: p.opset,
    tensors: 0,
    activations: 0,
    foldedRelus: p.foldedRelus.size,
    calibrationInputs: calibration.count,
    weightsBefore: 0,
    weightsAfter: 0,
    skipped: p.skipped,
  };
  const inits: onnx.ITensorProto[] = [];
  const drop = new Set<string>();
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  for (const name of p.activations.keys()) {
    const r = calibration.ranges.get(name);
    if (!r) throw new Invalid(`Calibration measured no range for ${name}; run the calibration on the same model`);
    params.set(name, activationParams(r));
  }
  // Q/DQ pairs: emitted right after the node producing their source (or first, for graph inputs), so the node list stays
  // topologically sorted. Consumers of the tensor read the dequantised copy instead.
  const pairAfter = new Map<string, onnx.INodeProto[]>();
  const renamed = new Map<string, string>();
  for (const [name, { source }] of p.activations) {
    const { scale, zeroPoint } = params.get(name)!;
    const s = `${name}__act_scale`;
    const z = `${name}__act_zero`;
    inits.push(
      { name: s, dims: [], dataType: DataType.FLOAT, rawData: f32([scale]) },
      { name: z, dims: [], dataType: DataType.UINT8, rawData: Uint8Array.of(zeroPoint) },
    );
    pairAfter.set(source, [
      ...(pairAfter.get(source) ?? []),
      { opType: "QuantizeLinear", name: `${name}__quantize`, input: [source, s, z], output: [`${name}__q`] },
      { opType: "DequantizeLinear", name: `${name}__dequantize`, input: [`${name}__q`, s, z], output: [`${name}__dq`] },
    ]);
    renamed.set(name, `${name}__dq`);
    report.activations++;
  }

  const weightDq: onnx.INodeProto[] = [];
  for (const { node, weight, weightName, dims, axis } of p.ops) {
    const w = floatsOf(weight)!;
    const { q, scales } = quantizeWeights(w, dims, axis);
    const channels = dims[axis];
    const axisAttr = [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: axis }];
    inits.push(
      { name: `${weightName}__int8`, dims, dataType: DataType.INT8, rawData: new Uint8Array(q.buffer) },
      { name: `${weightName}__scale`, dims: [channels], dataType: DataType.FLOAT, rawData: new Uint8Array(scales.buffer) },
      { name: `${weightName}__zero`, dims: [channels], dataType: DataType.INT8, rawData: new Uint8Array(channels) },
    );
    weightDq.push({
      opType: "DequantizeLinear",
      name: `${weightName}__dequantize`,
      input: [`${weightName}__int8`, `${weightName}__scale`, `${weightName}__zero`],
      output: [`${weightName}__dq`],
      attribute: axisAttr,
    });
    drop.add(weightName);
    report.tensors++;
    report.weightsBefore += w.length * 4;
    report.weightsAfter += q.length + channels * 5;
    // Bias as int32 at scale x_scale * w_scale[c]: what the integer kernel adds to its int32 accumulator.
    const biasName = node.opType === "Conv" || node.opType === "Gemm" ? node.input?.[2] : undefined;
    const bias = biasName ? (graph.initializer ?? []).find((t) => t.name === biasName) : undefined;
    const b = bias ? floatsOf(bias) : null;
    const xName = node.input![0];
    if (biasName && b && b.length === channels && (bias!.dims ?? []).length === 1 && params.has(xName)) {
      const xs = params.get(xName)!.scale;
      const bs = Float32Array.from(scales, (s) => s * xs);
      const bq = Int32Array.from(b, (v, c) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(v / bs[c]))));
      inits.push(
        { name: `${biasName}__int32`, dims: [channels], dataType: DataType.INT32, rawData: new Uint8Array(bq.buffer) },
        { name: `${biasName}__scale`, dims: [channels], dataType: DataType.FLOAT, rawData: new Uint8Array(bs.buffer) },
        { name: `${biasName}__zero`, dims: [channels], dataType: DataType.INT32, rawData: new Uint8Array(channels * 4) },
      );
      weightDq.push({
        opType: "DequantizeLinear",
        name: `${biasName}__dequantize`,
        input: [`${biasName}__int32`, `${biasName}__scale`, `${biasName}__zero`],
        output: [`${biasName}__dq`],
        attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
      });
      node.input![2] = `${biasName}__dq`;
      if (!(graph.node ?? []).some((n) => n !== node && n.input?.includes(biasName))) drop.add(biasName);
    }
    node.input![1] = `${weightName}__dq`;
  }

  const graphInputs = new Set((graph.input ?? []).map((i) => i.name ?? ""));
  const nodes: onnx.INodeProto[] = [...weightDq];
  for (const name of graphInputs) nodes.push(...(pairAfter.get(name) ?? []));
  for (const node of graph.node ?? []) {
    if (p.foldedRelus.has(node)) continue;
    if (node.opType === "Constant" && drop.has(node.output?.[0] ?? "")) continue;
    node.input = (node.input ?? []).map((i) => renamed.get(i) ?? i);
    nodes.push(node);
    for (const o of node.output ?? []) nodes.push(...(pairAfter.get(o) ?? []));
  }
  graph.node = nodes;
  graph.initializer = [...(graph.initializer ?? []).filter((t) => !drop.has(t.name ?? "")), ...inits];
  graph.input = (graph.input ?? []).filter((i) => !drop.has(i.name ?? ""));
  return { bytes: onnx.ModelProto.encode(p.model).finish(), report };
}
