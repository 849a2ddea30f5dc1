// Int8 variants measured: for each registry-shipped model, file size, onnxruntime-node session creation and inference
// p50 / p95 (one thread, 20 timed runs after a warm-up) of the float model and its int8 variant on the same seeded
// input, and the output difference. Usage: npx tsx scripts/bench-int8.ts
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import { DEMO_FRAME_SPECS, renderFrame } from "@/server/demo/frame-generator";
import { preprocess } from "@/lib/playground/preprocess";
import { OCR_DETECTOR_MANIFEST, OCR_FILES, ocrAsset } from "@/server/registry/ocr-assets";
import { quantizeOnnx } from "@/server/registry/quantize";

const RUNS = 20;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function measure(bytes: Uint8Array, feeds: (s: ort.InferenceSession) => Record<string, ort.Tensor>) {
  const t0 = performance.now();
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const sessionMs = performance.now() - t0;
  const f = feeds(s);
  const out = (await s.run(f))[s.outputNames[0]].data as Float32Array;
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = performance.now();
    await s.run(f);
    ms.push(performance.now() - a);
  }
  await s.release();
  return { sessionMs, p50: pct(ms, 50), p95: pct(ms, 95), out };
}

const frame = renderFrame(DEMO_FRAME_SPECS.find((s) => s.name === "urban-day-stop")!);
const det = preprocess({ data: frame.rgba, width: frame.width, height: frame.height }, OCR_DETECTOR_MANIFEST.input);
const models: { name: string; file: string; input: (s: ort.InferenceSession) => Record<string, ort.Tensor> }[] = [
  {
    name: "PaddleOCR detector 640x640",
    file: ocrAsset(OCR_FILES.detector),
    input: (s) => ({ [s.inputNames[0]]: new ort.Tensor("float32", det.data, det.dims) }),
  },
  {
    name: "PaddleOCR recogniser",
    file: ocrAsset(OCR_FILES.recognizer),
    input: (s) => ({ [s.inputNames[0]]: new ort.Tensor("float32", new Float32Array(3 * 48 * 320).fill(0.1), [1, 3, 48, 320]) }),
  },
];
async function main() {
  console.log(
    `int8 variants, onnxruntime-node ${ort.env.versions.node}, one thread, ${RUNS} timed runs; load average ${fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0]}`,
  );
  for (const m of models) {
    const float = new Uint8Array(fs.readFileSync(m.file));
    let q;
    try {
      q = quantizeOnnx(float);
    } catch (e) {
      console.log(`${m.name}: not quantised: ${(e as Error).message}`);
      continue;
    }
    const a = await measure(float, m.input);
    const b = await measure(q.bytes, m.input);
    let sum = 0;
    for (let i = 0; i < a.out.length; i++) sum += Math.abs(a.out[i] - b.out[i]);
    console.log(
      `${m.name} (${q.report.granularity}, ${q.report.tensors} tensors): size ${(float.length / 1e6).toFixed(2)} → ${(q.bytes.length / 1e6).toFixed(2)} MB (${(q.bytes.length / float.length).toFixed(2)}x); ` +
        `session ${a.sessionMs.toFixed(0)} → ${b.sessionMs.toFixed(0)} ms; p50 ${a.p50.toFixed(1)} → ${b.p50.toFixed(1)} ms (${(b.p50 / a.p50).toFixed(2)}x); ` +
        `p95 ${a.p95.toFixed(1)} → ${b.p95.toFixed(1)} ms; mean abs output difference ${(sum / a.out.length).toExponential(2)}`,
    );
  }
}

void main();
