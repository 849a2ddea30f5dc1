// Weight-only int8 quantisation of an ONNX graph, in TypeScript: the float weights of Conv, ConvTranspose, MatMul and
// Gemm become int8 tensors with a scale per output channel (symmetric, zero point 0) and a DequantizeLinear node in
// front of the op, so the file shrinks by about 4x on those weights and any ONNX runtime still runs it. Activations
// stay float ("dynamic" in the sense of ONNX Runtime's tools: nothing to calibrate). Opset 13 allows a scale per
// channel; opset 10 to 12 only one per tensor; below 10 there is no DequantizeLinear.
import { onnx } from "onnx-proto";
import { Invalid } from "@/server/errors";

const { DataType } = onnx.TensorProto;

export type QuantizeReport = {
  method: "int8 weight-only, symmetric";
  granularity: "per-channel" | "per-tensor";
  opset: number;
  tensors: number;
  weightsBefore: number;
  weightsAfter: number;
  skipped: { name: string; reason: string }[];
};

/** Which axis of the weight holds the output channels, for each op we quantise. */
export function channelAxis(node: onnx.INodeProto, dims: number[]): number | null {
  switch (node.opType) {
    case "Conv":
      return 0;
    case "ConvTranspose":
      return 1;
    case "MatMul":
      return dims.length === 2 ? 1 : null;
    case "Gemm": {
      const transB = node.attribute?.find((a) => a.name === "transB")?.i;
      return Number(transB ?? 0) === 1 ? 0 : 1;
    }
    default:
      return null;
  }
}

export function floatsOf(t: onnx.ITensorProto): Float32Array | null {
  if (t.dataType !== DataType.FLOAT) return null;
  if (t.rawData && t.rawData.length) {
    // A copy: the bytes may sit at any offset inside the protobuf's buffer, and a Float32Array needs 4-byte alignment.
    return new Float32Array(Uint8Array.from(t.rawData).buffer);
  }
  if (t.floatData && t.floatData.length) return Float32Array.from(t.floatData);
  return null;
}

/** Symmetric int8 with one scale per slice along `axis` (or one for the whole tensor when axis is null). */
export function quantizeWeights(w: Float32Array, dims: number[], axis: number | null): { q: Int8Array; scales: Float32Array } {
  const channels = axis === null ? 1 : dims[axis];
  const inner = axis === null ? w.length : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => (axis === null ? 0 : Math.floor(i / inner) % channels);
  const maxAbs = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) maxAbs[channelOf(i)] = Math.max(maxAbs[channelOf(i)], Math.abs(w[i]));
  const scales = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scales[channelOf(i)])));
  return { q, scales };
}

export function quantizeOnnx(bytes: Uint8Array, opts: { minElements?: number } = {}): { bytes: Uint8Array; report: QuantizeReport } {
  const minElements = opts.minElements ?? 256;
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    throw new Invalid("The file is not an ONNX model this portal can read");
  }
  const graph = model.graph;
  if (!graph) throw new Invalid("The ONNX model has no graph");
  const opset = Number(model.opsetImport?.find((o) => !o.domain)?.version ?? 0);
  if (opset < 10)
    throw new Invalid(`The model uses opset ${opset}; int8 weights need DequantizeLinear, which arrives in opset 10. Export it again with opset 13 or later.`);
  const perChannel = opset >= 13;

  // Weights may be initializers or Constant nodes (PaddleOCR's exports use the latter).
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? "", t]));
  const constants = new Map<string, onnx.INodeProto>();
  for (const n of graph.node ?? []) if (n.opType === "Constant" && n.output?.[0] && n.attribute?.[0]?.name === "value") constants.set(n.output[0], n);
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const n of graph.node ?? []) for (const i of n.input ?? []) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name));

  const report: QuantizeReport = {
    method: "int8 weight-only, symmetric",
    granularity: perChannel ? "per-channel" : "per-tensor",
    opset,
    tensors: 0,
    weightsBefore: 0,
    weightsAfter: 0,
    skipped: [],
  };
  const newNodes: onnx.INodeProto[] = [];
  const done = new Set<string>();
  for (const node of graph.node ?? []) {
    const name = node.input?.[1];
    if (!name || done.has(name) || !["Conv", "ConvTranspose", "MatMul", "Gemm"].includes(node.opType ?? "")) continue;
    const tensor = initializers.get(name) ?? (constants.get(name)?.attribute?.[0]?.t as onnx.ITensorProto | undefined);
    if (!tensor) continue;
    const w = floatsOf(tensor);
    const dims = (tensor.dims ?? []).map(Number);
    if (!w || w.length < minElements) continue;
    const users = consumers.get(name) ?? [];
    // Every user must read it as a weight of a quantisable op with the same channel axis, or the rewrite changes them.
    const axis = channelAxis(node, dims);
    if (graphOutputs.has(name) || users.some((u) => u.input?.[1] !== name || channelAxis(u, dims) !== axis)) {
      report.skipped.push({ name, reason: "also used as something other than this op's weight" });
      continue;
    }
    if (axis === null) {
      report.skipped.push({ name, reason: `no output-channel axis for ${node.opType} with ${dims.length} dimensions` });
      continue;
    }
    const { q, scales } = quantizeWeights(w, dims, perChannel ? axis : null);
    const qName = `${name}__int8`;
    const sName = `${name}__scale`;
    const zName = `${name}__zero`;
    const channels = perChannel ? dims[axis] : null;
    graph.initializer = [
      ...(graph.initializer ?? []).filter((t) => t.name !== name),
      { name: qName, dims, dataType: DataType.INT8, rawData: new Uint8Array(q.buffer) },
      { name: sName, dims: channels === null ? [] : [channels], dataType: DataType.FLOAT, rawData: new Uint8Array(scales.buffer) },
      { name: zName, dims: channels === null ? [] : [channels], dataType: DataType.INT8, rawData: new Uint8Array(channels ?? 1) },
    ];
    if (constants.has(name)) graph.node = (graph.node ?? []).filter((n) => n !== constants.get(name));
    newNodes.push({
      opType: "DequantizeLinear",
      name: `${name}__dequantize`,
      input: [qName, sName, zName],
      output: [name],
      attribute: perChannel ? [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: axis }] : [],
    });
    report.tensors++;
    report.weightsBefore += w.length * 4;
    report.weightsAfter += q.length + scales.length * 5;
    done.add(name);
  }
  if (!report.tensors) throw new Invalid("Nothing to quantise: the model has no float Conv, MatMul or Gemm weights large enough to gain from int8");
  // DequantizeLinear nodes first keeps the graph topologically sorted: their inputs are all initializers.
  graph.node = [...newNodes, ...(graph.node ?? [])];
  // Initializer-backed weights may also be listed as graph inputs (IR < 4); the float input is gone.
  graph.input = (graph.input ?? []).filter((i) => !done.has(i.name ?? ""));
  return { bytes: onnx.ModelProto.encode(model).finish(), report };
}
