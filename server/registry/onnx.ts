// Summarizes an uploaded ONNX model (protobuf ModelProto) for the registry, with user-facing errors for bad files.
import { readFile } from "node:fs/promises";
import { onnx } from "onnx-proto";
import { Invalid } from "@/server/errors";

export type OnnxTensorInfo = {
  name: string;
  /** "float32", "int64", "uint8", ...; non-tensors as e.g. "sequence<float32>", "map<int64,float32>". */
  elemType: string;
  /** Symbolic dims keep their names, unknown dims are null; [] for scalars, unknown rank and non-tensors. */
  shape: (number | string | null)[];
};

export type OnnxSummary = {
  irVersion: number;
  /** domain "" is the default ai.onnx opset, kept as stored. */
  opsetImports: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graphName: string;
  /** Graph inputs excluding names that are also initializers. */
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  /** Dense plus sparse initializers of the main graph. */
  initializerCount: number;
  /** Sum of element counts of the initializers (stored values for sparse ones). */
  parameterCount: number;
  /** op_type, prefixed "domain:" when not the default domain; includes nodes of subgraphs (If/Loop/Scan bodies). */
  operatorHistogram: Record<string, number>;
  metadataProps: Record<string, string>;
  usesExternalData: boolean;
  /** All nodes including subgraphs, i.e. the sum of operatorHistogram. */
  nodeCount: number;
  /** Elements held in Constant nodes: exporters such as Paddle2ONNX keep the weights there, not in initializers. */
  constantParameterCount: number;
};

export async function parseOnnxFile(path: string): Promise<OnnxSummary> {
  return parseOnnxBuffer(await readFile(path));
}

export function parseOnnxBuffer(buf: Uint8Array): OnnxSummary {
  if (buf.length === 0) throw new Invalid("The file is empty");
  let model: ModelAcc;
  try {
    model = readModel(buf);
  } catch (e) {
    if (!(e instanceof Truncated || e instanceof Malformed)) throw e;
    if (!looksLikeOnnx(buf)) throw notOnnx(buf, "it is not in the ONNX protobuf format");
    if (e instanceof Truncated) throw new Invalid(`The file is truncated: ${e.message}. Was the upload interrupted?`);
    throw new Invalid(`The ONNX file is corrupt: ${e.message}`);
  }
  const { graph, ...rest } = model;
  if (rest.irVersion <= 0) throw notOnnx(buf, "it has no IR version");
  if (!graph) throw notOnnx(buf, "it has no graph");
  if (rest.opsetImports.length === 0) throw notOnnx(buf, "it has no opset imports");
  return {
    ...rest,
    graphName: graph.name,
    inputs: graph.inputs.filter((i) => !graph.initializerNames.has(i.name)),
    outputs: graph.outputs,
    initializerCount: graph.initializerCount,
    parameterCount: graph.parameterCount,
    constantParameterCount: graph.constantParameterCount,
    operatorHistogram: Object.fromEntries(graph.histogram),
    metadataProps: Object.fromEntries(model.metadataProps),
    usesExternalData: graph.usesExternalData,
    nodeCount: [...graph.histogram.values()].reduce((a, b) => a + b, 0),
  };
}

// ---- errors and sniffing -------------------------------------------------------------------------

/** A value runs past the end of the file. */
class Truncated extends Error {}
/** The bytes are not a well-formed protobuf (or not the ONNX schema) within the file. */
class Malformed extends Error {}

// Every ONNX writer emits ir_version (field 1, varint, small) first, so this separates a damaged model from other data.
const looksLikeOnnx = (buf: Uint8Array) => buf[0] === 0x08 && buf.length > 1 && buf[1] > 0 && buf[1] < 0x80;

const SIGNATURES: { magic: number[]; offset: number; what: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], offset: 0, what: "a ZIP archive (e.g. a PyTorch checkpoint)" },
  { magic: [0x89, 0x48, 0x44, 0x46], offset: 0, what: "an HDF5 file (e.g. a Keras model)" },
  { magic: [0x1f, 0x8b], offset: 0, what: "a gzip archive" },
  { magic: [0x54, 0x46, 0x4c, 0x33], offset: 4, what: "a TensorFlow Lite model" },
];

function notOnnx(buf: Uint8Array, reason: string): Invalid {
  const known = SIGNATURES.find((s) => s.magic.every((b, i) => buf[s.offset + i] === b));
  const hint = known ? `it looks like ${known.what}` : looksLikeText(buf) ? "it looks like a text file" : reason;
  return new Invalid(`This is not an ONNX model: ${hint}`);
}

function looksLikeText(buf: Uint8Array): boolean {
  const head = buf.subarray(0, 4096);
  if (head.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true }); // stream: a cut multi-byte char at the end is fine
    return true;
  } catch {
    return false;
  }
}

// ---- protobuf wire reader ------------------------------------------------------------------------
// ModelProto and GraphProto are walked by hand so initializer payloads (raw_data, float_data, ...) are skipped,
// never decoded or copied; small messages go to onnx-proto's generated decoders over zero-copy subarrays.

const utf8 = new TextDecoder();

class Wire {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  private overrun(needed: number): Error {
    // protobuf caps messages at 2 GiB, so a longer length is garbage rather than a cut-off file
    return this.end === this.buf.length && needed <= 2 ** 31
      ? new Truncated(`it is ${fmt(this.buf.length)} bytes long but its contents need at least ${fmt(needed)} bytes`)
      : new Malformed(`a field at byte ${fmt(this.pos)} runs past the end of ${this.end === this.buf.length ? "the file" : "its message"}`);
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw this.overrun(this.pos + 1);
      const b = this.buf[this.pos++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value >= 2 ** 63 ? value - 2 ** 64 : value; // negative int64s are 10-byte two's complement
    }
    throw new Malformed(`an over-long varint ends at byte ${this.pos}`);
  }

  /** Reads a length prefix and returns a reader over those bytes, advancing past them. */
  sub(): Wire {
    const len = this.varint();
    if (this.pos + len > this.end) throw this.overrun(this.pos + len);
    const sub = new Wire(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return sub;
  }

  bytes(): Uint8Array {
    const s = this.sub();
    return this.buf.subarray(s.pos, s.end);
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  skip(wireType: number): void {
    const fixed = wireType === 1 ? 8 : wireType === 5 ? 4 : 0;
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.sub();
    else if (fixed === 0) throw new Malformed(`unsupported wire type ${wireType} at byte ${this.pos}`);
    else if (this.pos + fixed > this.end) throw this.overrun(this.pos + fixed);
    else this.pos += fixed;
  }

  /** Iterates (field, wireType) tags; the caller must consume or skip each value. */
  *fields(): Generator<{ field: number; wireType: number }> {
    while (this.pos < this.end) {
      const tag = this.varint();
      const field = Math.floor(tag / 8);
      if (field === 0) throw new Malformed(`invalid field number 0 at byte ${this.pos}`);
      yield { field, wireType: tag % 8 };
    }
  }

  decode<T>(decoder: { decode(buf: Uint8Array): T }, what: string): T {
    try {
      return decoder.decode(this.bytes());
    } catch (e) {
      if (e instanceof Truncated || e instanceof Malformed) throw e;
      throw new Malformed(`cannot decode a ${what} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
}

const fmt = (n: number) => n.toLocaleString("en-US");

// ---- ModelProto / GraphProto / TensorProto ---------------------------------------------------------

type GraphAcc = {
  name: string;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  initializerNames: Set<string>;
  initializerCount: number;
  parameterCount: number;
  constantParameterCount: number;
  histogram: Map<string, number>;
  usesExternalData: boolean;
};

type ModelAcc = Omit<OnnxSummary, keyof GraphAcc | "graphName" | "operatorHistogram" | "metadataProps" | "nodeCount"> & {
  graph?: GraphAcc;
  metadataProps: Map<string, string>;
};

function readModel(buf: Uint8Array): ModelAcc {
  const r = new Wire(buf, 0, buf.length);
  const m: ModelAcc = {
    irVersion: 0,
    opsetImports: [],
    producerName: "",
    producerVersion: "",
    domain: "",
    modelVersion: 0,
    docString: "",
    metadataProps: new Map(),
  };
  for (const { field, wireType } of r.fields()) {
    const is = (f: number, w: number) => field === f && wireType === w;
    if (is(1, 0)) m.irVersion = r.varint();
    else if (is(2, 2)) m.producerName = r.string();
    else if (is(3, 2)) m.producerVersion = r.string();
    else if (is(4, 2)) m.domain = r.string();
    else if (is(5, 0)) m.modelVersion = r.varint();
    else if (is(6, 2)) m.docString = r.string();
    else if (is(7, 2)) m.graph = readGraph(r.sub(), m.graph);
    else if (is(8, 2)) {
      const o = r.decode(onnx.OperatorSetIdProto, "opset import");
      m.opsetImports.push({ domain: o.domain, version: Number(o.version) });
    } else if (is(14, 2)) {
      const p = r.decode(onnx.StringStringEntryProto, "metadata entry");
      m.metadataProps.set(p.key, p.value);
    } else r.skip(wireType);
  }
  return m;
}

// `into` gives protobuf merge semantics if a (strange) file repeats the graph field.
function readGraph(r: Wire, into?: GraphAcc): GraphAcc {
  const g: GraphAcc = into ?? {
    name: "",
    inputs: [],
    outputs: [],
    initializerNames: new Set(),
    initializerCount: 0,
    parameterCount: 0,
    constantParameterCount: 0,
    histogram: new Map(),
    usesExternalData: false,
  };
  for (const { field, wireType } of r.fields()) {
    if (wireType !== 2) r.skip(wireType);
    else if (field === 1) countNodes([r.decode(onnx.NodeProto, "node")], g);
    else if (field === 2) g.name = r.string();
    else if (field === 5 || field === 15) {
      // sparse_initializer (15) keeps its values TensorProto in field 1, whose dims give the stored element count
      const t = field === 5 ? readTensorHeader(r.sub()) : readSparseValues(r.sub());
      g.initializerNames.add(t.name);
      g.initializerCount++;
      g.parameterCount += t.dims.reduce((a, b) => a * b, 1);
      g.usesExternalData ||= t.external;
    } else if (field === 11) g.inputs.push(tensorInfo(r.decode(onnx.ValueInfoProto, "graph input")));
    else if (field === 12) g.outputs.push(tensorInfo(r.decode(onnx.ValueInfoProto, "graph output")));
    else r.skip(wireType);
  }
  return g;
}

type TensorHeader = { name: string; dims: number[]; external: boolean };

/** Reads name, dims and data location of a TensorProto, skipping its payload. */
function readTensorHeader(r: Wire): TensorHeader {
  const t: TensorHeader = { name: "", dims: [], external: false };
  for (const { field, wireType } of r.fields()) {
    if (field === 1 && wireType === 0) t.dims.push(r.varint());
    else if (field === 1 && wireType === 2)
      for (const p = r.sub(); p.pos < p.end;) t.dims.push(p.varint()); // packed dims
    else if (field === 8 && wireType === 2) t.name = r.string();
    else if (field === 13 && wireType === 2) {
      t.external = true;
      r.skip(wireType);
    } else if (field === 14 && wireType === 0) {
      const location = r.varint(); // read before ||=, which would not consume it once external is already set
      t.external ||= location === onnx.TensorProto.DataLocation.EXTERNAL;
    } else r.skip(wireType);
  }
  return t;
}

function readSparseValues(r: Wire): TensorHeader {
  let values: TensorHeader = { name: "", dims: [0], external: false };
  for (const { field, wireType } of r.fields()) {
    if (field === 1 && wireType === 2) values = readTensorHeader(r.sub());
    else r.skip(wireType);
  }
  return values;
}

const isExternal = (t: onnx.ITensorProto) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0;

function countNodes(nodes: onnx.INodeProto[], g: GraphAcc): void {
  for (const n of nodes) {
    const domain = n.domain ?? "";
    const op = domain === "" || domain === "ai.onnx" ? (n.opType ?? "") : `${domain}:${n.opType ?? ""}`;
    g.histogram.set(op, (g.histogram.get(op) ?? 0) + 1);
    for (const a of n.attribute ?? []) {
      if (op === "Constant" && a.name === "value" && a.t) g.constantParameterCount += (a.t.dims ?? []).reduce<number>((x, d) => x * Number(d), 1);
      if ((a.t && isExternal(a.t)) || a.tensors?.some(isExternal)) g.usesExternalData = true;
      for (const sub of [a.g, ...(a.graphs ?? [])]) {
        if (!sub) continue;
        countNodes(sub.node ?? [], g);
        if (sub.initializer?.some(isExternal)) g.usesExternalData = true;
      }
    }
  }
}

// ---- types ---------------------------------------------------------------------------------------

// Indexed by TensorProto.DataType; onnx-proto's enum stops at BFLOAT16 (16), later ONNX releases added 17+.
const ELEM_TYPES = [
  "undefined",
  "float32",
  "uint8",
  "int8",
  "uint16",
  "int16",
  "int32",
  "int64",
  "string",
  "bool",
  "float16",
  "float64",
  "uint32",
  "uint64",
  "complex64",
  "complex128",
  "bfloat16",
  "float8e4m3fn",
  "float8e4m3fnuz",
  "float8e5m2",
  "float8e5m2fnuz",
  "uint4",
  "int4",
  "float4e2m1",
  "float8e8m0",
];
const elemTypeName = (t: number | null | undefined) => ELEM_TYPES[t ?? 0] ?? `unknown(${t})`;

function tensorInfo(v: onnx.IValueInfoProto): OnnxTensorInfo {
  return { name: v.name ?? "", ...typeInfo(v.type) };
}

function typeInfo(t: onnx.ITypeProto | null | undefined): Omit<OnnxTensorInfo, "name"> {
  const tensor = t?.tensorType ?? t?.sparseTensorType;
  if (tensor) {
    const elemType = elemTypeName(tensor.elemType) + (t?.sparseTensorType ? " (sparse)" : "");
    return { elemType, shape: (tensor.shape?.dim ?? []).map(dimension) };
  }
  const inner = (x: onnx.ITypeProto | null | undefined) => typeInfo(x).elemType;
  if (t?.sequenceType) return { elemType: `sequence<${inner(t.sequenceType.elemType)}>`, shape: [] };
  if (t?.mapType) return { elemType: `map<${elemTypeName(t.mapType.keyType)},${inner(t.mapType.valueType)}>`, shape: [] };
  if (t?.optionalType) return { elemType: `optional<${inner(t.optionalType.elemType)}>`, shape: [] };
  return { elemType: "unknown", shape: [] };
}

function dimension(d: onnx.TensorShapeProto.IDimension): number | string | null {
  if (d.dimParam) return d.dimParam;
  if (d.dimValue == null) return null;
  const n = Number(d.dimValue); // int64 arrives as a Long; Number() goes through its decimal toString
  return n >= 0 ? n : null; // some exporters write -1 for "unknown"
}
