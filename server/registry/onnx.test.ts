import { readFileSync } from "node:fs";
import { onnx } from "onnx-proto";
import { describe, expect, it } from "vitest";
import { Invalid } from "@/server/errors";
import { encodeModel, lenField, ocrModel, seededBytes, syntheticModel, utf8Bytes, varint } from "@/server/demo/onnx-fixtures";
import { parseOnnxBuffer, parseOnnxFile, type OnnxSummary, type OnnxTensorInfo } from "./onnx";

const DET = ocrModel("ch_PP-OCRv4_det_infer.onnx");
const REC = ocrModel("ch_PP-OCRv4_rec_infer.onnx");
const CLS = ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx");
const D = (i: number) => `p2o.DynamicDimension.${i}`;

/** Builds the expected summary fields from a full onnx-proto decode: an independent path from the parser's wire walk. */
function viaFullDecode(buf: Uint8Array) {
  const m = onnx.ModelProto.decode(buf);
  const g = m.graph ?? {};
  const nodes = g.node ?? [];
  const inits = new Set((g.initializer ?? []).map((t) => t.name));
  const info = (v: onnx.IValueInfoProto): OnnxTensorInfo => {
    const t = v.type?.tensorType;
    return {
      name: v.name ?? "",
      elemType: t?.elemType === onnx.TensorProto.DataType.FLOAT ? "float32" : `DataType ${t?.elemType}`,
      shape: (t?.shape?.dim ?? []).map((d) => d.dimParam || (d.dimValue == null ? null : Number(d.dimValue))),
    };
  };
  const histogram: Record<string, number> = {};
  for (const n of nodes) histogram[n.opType ?? ""] = (histogram[n.opType ?? ""] ?? 0) + 1;
  return {
    expected: {
      irVersion: Number(m.irVersion),
      opsetImports: m.opsetImport.map((o) => ({ domain: o.domain ?? "", version: Number(o.version) })),
      graphName: g.name ?? "",
      inputs: (g.input ?? []).filter((i) => !inits.has(i.name)).map(info),
      outputs: (g.output ?? []).map(info),
      initializerCount: inits.size,
      parameterCount: (g.initializer ?? []).reduce((a, t) => a + (t.dims ?? []).reduce((p: number, d) => p * Number(d), 1), 0),
      operatorHistogram: histogram,
      nodeCount: nodes.length,
    },
    hasSubgraphs: nodes.some((n) => n.attribute?.some((a) => a.g || (a.graphs?.length ?? 0) > 0)),
  };
}

function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return e instanceof Error ? e.message : "";
  }
  throw new Error("expected Invalid to be thrown");
}

describe("parseOnnxFile on the real PaddleOCR models", () => {
  // Facts below were also confirmed with onnxruntime-web's session input/output metadata.
  const cases: { file: string; facts: Partial<OnnxSummary>; ops: Record<string, number> }[] = [
    {
      file: DET,
      facts: {
        opsetImports: [{ domain: "", version: 11 }],
        inputs: [{ name: "x", elemType: "float32", shape: [D(0), 3, D(1), D(2)] }],
        outputs: [{ name: "sigmoid_0.tmp_0", elemType: "float32", shape: [D(3), 1, D(4), D(5)] }],
        nodeCount: 672,
      },
      ops: { Constant: 342, Conv: 62, ConvTranspose: 2, Resize: 6, Sigmoid: 1 },
    },
    {
      file: REC,
      facts: {
        opsetImports: [{ domain: "", version: 9 }],
        inputs: [{ name: "x", elemType: "float32", shape: [D(0), 3, 48, D(1)] }],
        outputs: [{ name: "softmax_11.tmp_0", elemType: "float32", shape: [D(2), D(3), 6625] }],
        nodeCount: 765,
      },
      ops: { Constant: 325, Conv: 38, MatMul: 13, Softmax: 3 },
    },
    {
      file: CLS,
      facts: {
        opsetImports: [{ domain: "", version: 9 }],
        inputs: [{ name: "x", elemType: "float32", shape: [D(0), 3, D(1), D(2)] }],
        outputs: [{ name: "softmax_0.tmp_0", elemType: "float32", shape: [D(3), 2] }],
        nodeCount: 471,
      },
      ops: { Constant: 250, Conv: 53, BatchNormalization: 35, Softmax: 1 },
    },
  ];

  for (const { file, facts, ops } of cases) {
    it(`summarizes ${file.split("/").pop()}`, async () => {
      const s = await parseOnnxFile(file);
      expect(s).toMatchObject({
        ...facts,
        irVersion: 8,
        producerName: "",
        producerVersion: "",
        domain: "",
        modelVersion: 0,
        docString: "",
        graphName: "Model from PaddlePaddle.",
        // Paddle2ONNX stores weights as Constant nodes, not initializers
        initializerCount: 0,
        parameterCount: 0,
        metadataProps: {},
        usesExternalData: false,
      });
      expect(s.operatorHistogram).toMatchObject(ops);

      const { expected, hasSubgraphs } = viaFullDecode(readFileSync(file));
      expect(hasSubgraphs).toBe(false); // so the top-level histogram is the whole story
      expect(s).toMatchObject(expected);
      // The weights in Constant nodes, counted independently from the full decode.
      const full = onnx.ModelProto.decode(readFileSync(file));
      const constants = (full.graph?.node ?? [])
        .filter((n) => n.opType === "Constant")
        .flatMap((n) => n.attribute ?? [])
        .filter((a) => a.name === "value" && a.t)
        .reduce((sum, a) => sum + (a.t?.dims ?? []).reduce((p: number, d) => p * Number(d), 1), 0);
      expect(constants).toBeGreaterThan(100_000);
      expect(s.constantParameterCount).toBe(constants);
      expect(s.operatorHistogram).toEqual(expected.operatorHistogram);
    });
  }
});

describe("parseOnnxBuffer on synthetic models", () => {
  it("counts initializers, skips them from inputs, prefixes custom domains and walks subgraphs", () => {
    const s = parseOnnxBuffer(encodeModel(syntheticModel()));
    expect(s).toEqual({
      irVersion: 9,
      opsetImports: [
        { domain: "", version: 17 },
        { domain: "com.microsoft", version: 1 },
      ],
      producerName: "sentinel-tests",
      producerVersion: "1.2.3",
      domain: "ai.sentinel",
      modelVersion: 42,
      docString: "synthetic",
      graphName: "g",
      inputs: [
        { name: "input_ids", elemType: "int64", shape: ["batch", "seq"] },
        { name: "mask", elemType: "uint8", shape: [null, 128] },
      ],
      outputs: [{ name: "logits", elemType: "float16", shape: ["batch", 2] }],
      initializerCount: 5, // W, b, scalar, E and the sparse S
      parameterCount: 64 * 32 + 32 + 1 + 100 + 5,
      operatorHistogram: { MatMul: 1, Add: 2, "com.microsoft:Attention": 1, If: 1, Relu: 1, Identity: 1 },
      metadataProps: Object.fromEntries([
        ["author", "qa"],
        ["__proto__", "harmless"],
      ]),
      usesExternalData: true,
      nodeCount: 7,
      constantParameterCount: 0,
    });
  });

  it("reports no external data when every tensor is embedded", () => {
    const { graph, ...m } = syntheticModel();
    const initializer = graph?.initializer?.filter((t) => t.name !== "E");
    expect(parseOnnxBuffer(encodeModel({ ...m, graph: { ...graph, initializer } })).usesExternalData).toBe(false);
  });

  it("reads unpacked int64 dims as C++ proto2 writers emit them", () => {
    const tensor = [0x08, ...varint(300), 0x08, 4, 0x10, onnx.TensorProto.DataType.FLOAT, ...lenField(8, utf8Bytes("w"))];
    const graph = [...lenField(5, tensor), ...lenField(2, utf8Bytes("g")), ...lenField(11, [...lenField(1, utf8Bytes("w"))])];
    const model = [0x08, 7, ...lenField(7, graph), ...lenField(8, [0x10, 13])];
    const s = parseOnnxBuffer(Uint8Array.from(model));
    expect(s).toMatchObject({ irVersion: 7, initializerCount: 1, parameterCount: 1200, inputs: [], nodeCount: 0 });
  });

  it("rejects protobufs that decode but are not models", () => {
    const without = (patch: onnx.IModelProto) => encodeModel({ ...syntheticModel(), ...patch });
    expect(invalid(() => parseOnnxBuffer(without({ irVersion: null })))).toBe("This is not an ONNX model: it has no IR version");
    expect(invalid(() => parseOnnxBuffer(without({ graph: null })))).toBe("This is not an ONNX model: it has no graph");
    expect(invalid(() => parseOnnxBuffer(without({ opsetImport: [] })))).toBe("This is not an ONNX model: it has no opset imports");
    const tensor = onnx.TensorProto.encode({ name: "x", dims: [2], dataType: 1, floatData: [1, 2] }).finish();
    expect(invalid(() => parseOnnxBuffer(tensor))).toMatch(/^This is not an ONNX model: /);
  });
});

describe("parseOnnxBuffer on bad input", () => {
  const det = readFileSync(DET);

  it("rejects an empty file", () => {
    expect(invalid(() => parseOnnxBuffer(new Uint8Array()))).toBe("The file is empty");
  });

  it("rejects text files, including ones that happen to decode as protobuf", () => {
    for (const text of ["name,score\nalice,1\n", "hi", "# README\n\nThis is my model 🚀\n"]) {
      expect(invalid(() => parseOnnxBuffer(new TextEncoder().encode(text)))).toBe("This is not an ONNX model: it looks like a text file");
    }
  });

  it("names common other model formats", () => {
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...seededBytes(200, 3)]);
    expect(invalid(() => parseOnnxBuffer(zip))).toMatch(/^This is not an ONNX model: it looks like a ZIP archive/);
  });

  it("reports truncation of a real model", () => {
    for (const size of [100_000, Math.floor(det.length / 2), det.length - 1]) {
      const msg = invalid(() => parseOnnxBuffer(det.subarray(0, size)));
      const [, length, needed] = (/^The file is truncated: it is ([\d,]+) bytes long but its contents need at least ([\d,]+) bytes/.exec(msg) ?? []).map((n) =>
        Number(n.replaceAll(",", "")),
      );
      expect(length, msg).toBe(size);
      expect(needed).toBeGreaterThan(size);
      expect(needed).toBeLessThanOrEqual(det.length);
    }
  });

  it("rejects random bytes as not ONNX without crashing", () => {
    for (const seed of [1, 2, 3, 42, 1234, 99999]) {
      for (const size of [1, 7, 100, 4096, 65_536]) {
        expect(invalid(() => parseOnnxBuffer(seededBytes(size, seed)))).toMatch(/^This is not an ONNX model: /);
      }
    }
  });

  it("reports a damaged real model as corrupt, not as foreign or truncated", () => {
    const damaged = (offset: number, seed: number) => {
      const copy = Uint8Array.from(det);
      copy.set(seededBytes(16, seed), offset);
      return copy;
    };
    // offsets inside node and input/output structure (a damaged length prefix pointing past the end reads as truncation)
    for (const offset of [20, 60, 200, det.length - 200, det.length - 60]) {
      for (const seed of [1, 2]) {
        expect(invalid(() => parseOnnxBuffer(damaged(offset, seed)))).toMatch(/^The ONNX file is corrupt: /);
      }
    }
    expect(invalid(() => parseOnnxBuffer(Uint8Array.from([0x08, 0x08, ...seededBytes(1000, 9)])))).toMatch(/^The ONNX file is corrupt: /);
    // damage inside weight bytes is undetectable at this level: the structure still parses
    expect(parseOnnxBuffer(damaged(Math.floor(det.length / 2), 1)).nodeCount).toBe(672);
  });

  it("lets file system errors through", async () => {
    await expect(parseOnnxFile("/nonexistent/model.onnx")).rejects.toThrow(/ENOENT/);
  });
});
