// Small synthetic ONNX models (and paths to the real PaddleOCR ones) built for tests: the registry,
// MLflow, deployment and inference tests register and run them. Test-only, so it lives with the demo builders.
import { onnx } from "onnx-proto";
import { ocrAsset } from "@/server/registry/ocr-assets";

export const ocrModel = ocrAsset;

const { DataType, DataLocation } = onnx.TensorProto;

export const tensorValue = (name: string, elemType: number, dims: (number | string | null)[]): onnx.IValueInfoProto => ({
  name,
  type: {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : typeof d === "string" ? { dimParam: d } : {})) },
    },
  },
});

export const encodeModel = (m: onnx.IModelProto): Uint8Array => onnx.ModelProto.encode(m).finish();

/** A model exercising what the PaddleOCR files lack: initializers (dense, sparse, external), subgraphs, custom domains, metadata. */
export function syntheticModel(): onnx.IModelProto {
  const weights = new Uint8Array(64 * 32 * 4).fill(7);
  return {
    irVersion: 9,
    producerName: "sentinel-tests",
    producerVersion: "1.2.3",
    domain: "ai.sentinel",
    modelVersion: 42,
    docString: "synthetic",
    opsetImport: [
      { domain: "", version: 17 },
      { domain: "com.microsoft", version: 1 },
    ],
    metadataProps: [
      { key: "author", value: "qa" },
      { key: "__proto__", value: "harmless" },
    ],
    graph: {
      name: "g",
      input: [
        tensorValue("input_ids", DataType.INT64, ["batch", "seq"]),
        tensorValue("mask", DataType.UINT8, [null, 128]),
        tensorValue("W", DataType.FLOAT, [64, 32]), // also an initializer: must not be listed as input
      ],
      output: [tensorValue("logits", DataType.FLOAT16, ["batch", 2])],
      initializer: [
        { name: "W", dims: [64, 32], dataType: DataType.FLOAT, rawData: weights },
        { name: "b", dims: [32], dataType: DataType.FLOAT, floatData: new Array<number>(32).fill(0.5) },
        { name: "scalar", dims: [], dataType: DataType.INT64, int64Data: [3] },
        {
          name: "E",
          dims: [10, 10],
          dataType: DataType.FLOAT,
          dataLocation: DataLocation.EXTERNAL,
          externalData: [{ key: "location", value: "weights.bin" }],
        },
      ],
      sparseInitializer: [{ values: { name: "S", dims: [5], dataType: DataType.FLOAT, floatData: [1, 2, 3, 4, 5] }, dims: [100, 100] }],
      node: [
        { opType: "MatMul", input: ["input_ids", "W"], output: ["h"] },
        { opType: "Add", domain: "ai.onnx", input: ["h", "b"], output: ["h2"] },
        { opType: "Attention", domain: "com.microsoft", input: ["h2"], output: ["a"] },
        {
          opType: "If",
          input: ["cond"],
          output: ["logits"],
          attribute: [
            { name: "then_branch", type: onnx.AttributeProto.AttributeType.GRAPH, g: { name: "then", node: [{ opType: "Relu" }, { opType: "Add" }] } },
            { name: "else_branch", type: onnx.AttributeProto.AttributeType.GRAPH, g: { name: "else", node: [{ opType: "Identity" }] } },
          ],
        },
      ],
    },
  };
}

/** Seeded xorshift32, so the "random bytes" test is reproducible. */
export function seededBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = Math.imul(seed, 0x9e3779b9) >>> 0 || 1; // spread small seeds, whose first xorshift outputs are poorly mixed
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

// Hand-rolled protobuf bytes, for wire forms protobufjs never writes (unpacked repeated dims, as C++ proto2 writers do).
export const varint = (n: number): number[] => {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  return [...out, n];
};
export const lenField = (field: number, payload: number[]): number[] => [...varint(field * 8 + 2), ...varint(payload.length), ...payload];
export const utf8Bytes = (s: string): number[] => [...new TextEncoder().encode(s)];
