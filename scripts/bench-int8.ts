// Int8 variants measured: for each registry-shipped model, file size, onnxruntime-node session creation and inference
// p50 / p95 (one thread, 20 timed runs after a warm-up) of the float model and its int8 variant on the same seeded
// input, and the output difference. For FCW v2, both methods — weight-only and static (calibrated on the first 32
// frames of fcw-train-v1) — on the 96 evaluation frames: latency over all of them, max abs output difference, box
// agreement with the parent (IoU 0.5, same decoding) and recall against ground truth. Usage: npx tsx scripts/bench-int8.ts
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import { DEMO_FRAME_SPECS, renderFrame } from "@/server/demo/frame-generator";
import { defaultThresholds, interpret, matchBoxes } from "@/lib/playground/interpret";
import type { Tensor } from "@/lib/playground/postprocess";
import { preprocess } from "@/lib/playground/preprocess";
import { FCW_SETS, fcwFrameSpec } from "@/server/demo/fcw-frames";
import { FCW_MANIFEST, fcwModelFile } from "@/server/demo/fcw-model";
import { calibrate, quantizeStatic } from "@/server/registry/quantize-static";
import { evaluateDetector, FCW_CLASSES, type EvalFrame } from "@/server/safety/detector-eval";
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

const CALIBRATION_FRAMES = 32;

/** One model on all evaluation frames: session creation, per-frame latency (after a warm-up) and every output. */
async function onFrames(bytes: Uint8Array, feeds: Record<string, ort.Tensor>[]) {
  const t0 = performance.now();
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: "all" });
  const sessionMs = performance.now() - t0;
  for (let i = 0; i < 3; i++) await s.run(feeds[0]);
  const ms: number[] = [];
  const outs: Record<string, Tensor>[] = [];
  for (const f of feeds) {
    const a = performance.now();
    const o = await s.run(f);
    ms.push(performance.now() - a);
    outs.push(Object.fromEntries(Object.entries(o).map(([k, t]) => [k, { data: t.data as Float32Array, dims: [...t.dims] }])));
  }
  await s.release();
  return { sessionMs, p50: pct(ms, 50), p95: pct(ms, 95), outs };
}

async function fcw() {
  const float = new Uint8Array(fs.readFileSync(fcwModelFile(2)));
  const input = FCW_MANIFEST.input;
  const feedOf = (rgba: Uint8Array, width: number, height: number) => {
    const x = preprocess({ data: rgba, width, height }, input);
    return { x, feeds: { [input.name]: new ort.Tensor("float32", x.data, x.dims) } };
  };
  const evalFrames: EvalFrame[] = Array.from({ length: FCW_SETS.eval.count }, (_, i) => {
    const f = renderFrame(fcwFrameSpec("eval", i));
    return { name: f.spec.name, tags: f.tags, image: { data: f.rgba, width: f.width, height: f.height }, boxes: f.groundTruth.boxes };
  });
  const pre = evalFrames.map((f) => feedOf(f.image.data as Uint8Array, f.image.width, f.image.height));
  const calibrationFeeds = Array.from({ length: CALIBRATION_FRAMES }, (_, i) => {
    const f = renderFrame(fcwFrameSpec("train", i));
    return feedOf(f.rgba, f.width, f.height).feeds;
  });
  const t0 = performance.now();
  const cal = await calibrate(float, calibrationFeeds);
  const staticQ = quantizeStatic(float, cal);
  const staticMs = performance.now() - t0;
  const variants = [
    { name: "weight-only", bytes: quantizeOnnx(float).bytes, note: "" },
    { name: "static", bytes: staticQ.bytes, note: `, calibrated on ${cal.count} ${FCW_SETS.train.tag} frames in ${(staticMs / 1000).toFixed(1)} s` },
  ];
  const th = defaultThresholds(FCW_MANIFEST.postprocess);
  const recall = async (bytes: Uint8Array) => {
    const { results } = await evaluateDetector(bytes, FCW_MANIFEST, evalFrames, FCW_CLASSES);
    return Object.fromEntries(results.filter((r) => r.slice?.dimension === "all").map((r) => [r.eventType, r.tp / Math.max(1, r.tp + r.fn)]));
  };
  const parent = await onFrames(
    float,
    pre.map((p) => p.feeds),
  );
  const parentRecall = await recall(float);
  console.log(
    `FCW v2 float on ${evalFrames.length} ${FCW_SETS.eval.tag} frames: ${(float.length / 1e6).toFixed(3)} MB, session ${parent.sessionMs.toFixed(0)} ms, p50 ${parent.p50.toFixed(2)} ms, p95 ${parent.p95.toFixed(2)} ms; recall ` +
      Object.entries(parentRecall)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(", "),
  );
  for (const v of variants) {
    const m = await onFrames(
      v.bytes,
      pre.map((p) => p.feeds),
    );
    let maxAbs = 0;
    let matched = 0;
    let total = 0;
    m.outs.forEach((o, i) => {
      for (const k of Object.keys(o)) {
        const a = parent.outs[i][k].data;
        for (let j = 0; j < a.length; j++) maxAbs = Math.max(maxAbs, Math.abs(a[j] - o[k].data[j]));
      }
      const ra = interpret(FCW_MANIFEST, parent.outs[i], pre[i].x.transform, th);
      const rb = interpret(FCW_MANIFEST, o, pre[i].x.transform, th);
      if (ra.kind !== "boxes" || rb.kind !== "boxes") return;
      for (const label of FCW_MANIFEST.labels ?? []) {
        const r = matchBoxes(
          rb.boxes.filter((b) => b.label === label),
          ra.boxes.filter((b) => b.label === label),
          0.5,
        );
        matched += r.matches.length;
        total += r.matches.length + r.misses.length;
      }
    });
    const rec = await recall(v.bytes);
    console.log(
      `FCW v2 int8 ${v.name}${v.note}: size ${(v.bytes.length / float.length).toFixed(3)}x; session ${parent.sessionMs.toFixed(0)} → ${m.sessionMs.toFixed(0)} ms; ` +
        `p50 ${parent.p50.toFixed(2)} → ${m.p50.toFixed(2)} ms (${(m.p50 / parent.p50).toFixed(2)}x); p95 ${parent.p95.toFixed(2)} → ${m.p95.toFixed(2)} ms; ` +
        `max abs output difference ${maxAbs.toExponential(2)}; boxes agree ${matched}/${total} (${((100 * matched) / Math.max(1, total)).toFixed(1)}%); recall change ` +
        Object.entries(rec)
          .map(([k, r]) => `${k} ${(parentRecall[k] ?? 0).toFixed(3)} → ${r.toFixed(3)}`)
          .join(", "),
    );
  }
}

void main().then(fcw);
