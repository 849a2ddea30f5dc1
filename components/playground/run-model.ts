"use client";
// One model run on one image through the worker, then interpretation (and the OCR pipeline when
// the model is a text detector followed by a recogniser).
import { interpret, type Interpretation, type Region, type Thresholds } from "@/lib/playground/interpret";
import type { Rgba } from "@/lib/playground/preprocess";
import type { Tensor } from "@/lib/playground/postprocess";
import type { Transform } from "@/lib/playground/preprocess";
import { ctcGreedy, classify } from "@/lib/playground/postprocess";
import type { InferenceClient } from "./inference-client";
import type { OcrPipeline, PlaygroundModel } from "./types";

export type RunResult = {
  outputs: Record<string, Tensor>;
  transform: Transform;
  preprocessMs: number[];
  inferenceMs: number[];
  postprocessMs: number[];
  ocrMs?: number;
  /** Model runs the text reading took (classifier and recogniser, batched). */
  ocrRuns?: number;
  /** The preprocessed tensor, when asked for (parity checks). */
  input?: Tensor;
};

export async function runModel(
  client: InferenceClient,
  m: PlaygroundModel,
  image: Rgba,
  repeat: number,
  th: Thresholds,
  returnInput = false,
): Promise<RunResult> {
  const r = await client.send(
    {
      type: "infer",
      key: m.key,
      image: { data: new Uint8ClampedArray(image.data), width: image.width, height: image.height },
      input: m.manifest.input,
      repeat,
      returnInput,
    },
    "result",
  );
  const postprocessMs: number[] = [];
  for (let i = 0; i < Math.max(1, r.timings.inferenceMs.length); i++) {
    const t0 = performance.now();
    interpret(m.manifest, r.outputs, r.transform, th);
    postprocessMs.push(performance.now() - t0);
  }
  return {
    outputs: r.outputs,
    transform: r.transform,
    preprocessMs: r.timings.preprocessMs,
    inferenceMs: r.timings.inferenceMs,
    postprocessMs,
    input: r.input,
  };
}

/** Reads the detected regions: the direction classifier on all crops in one batched run (turning upside-down ones), then
 * the CTC recogniser on all of them in one batched run. Tiny models pay their per-run cost once per frame that way. */
export async function readRegions(
  client: InferenceClient,
  pipeline: OcrPipeline,
  image: Rgba,
  regions: Region[],
  limit = 40,
): Promise<{ regions: Region[]; runs: number }> {
  const picked = regions.slice(0, limit);
  if (!picked.length) return { regions, runs: 0 };
  let runs = 0;
  const data = new Uint8ClampedArray(image.data);
  const img = { data, width: image.width, height: image.height };
  let rotated = picked.map(() => false);
  if (pipeline.classifier) {
    const c = await client.send(
      { type: "infer-batch", key: pipeline.classifier.key, image: img, input: pipeline.classifier.manifest.input, crops: picked },
      "batch-result",
    );
    runs += c.runs;
    rotated = c.outputs.map((o) => {
      const top = classify(Object.values(o)[0], pipeline.classifier!.manifest.labels, 1)[0];
      return top.index === 1 && top.score > 0.9;
    });
  }
  const rec = await client.send(
    {
      type: "infer-batch",
      key: pipeline.recognizer.key,
      image: img,
      input: pipeline.recognizer.manifest.input,
      crops: picked.map((r, i) => ({ x: r.x, y: r.y, w: r.w, h: r.h, rotate180: rotated[i] })),
    },
    "batch-result",
  );
  runs += rec.runs;
  const post = pipeline.recognizer.manifest.postprocess;
  const out = picked.map((r, i) => {
    const decoded = ctcGreedy(Object.values(rec.outputs[i])[0], pipeline.recognizer.manifest.labels, post.kind === "ctc-text" ? post.blankIndex : 0);
    return { ...r, text: decoded.text, textConfidence: decoded.confidence, rotated: rotated[i] };
  });
  return { regions: [...out, ...regions.slice(limit)], runs };
}

export function withTexts(i: Interpretation, read: Region[] | null): Interpretation {
  if (i.kind !== "text-regions" || !read) return i;
  // Re-thresholding can change regions; keep texts for regions that are still the same box.
  const same = (a: Region, b: Region) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.w - b.w) < 0.5;
  return { ...i, regions: i.regions.map((r) => read.find((x) => same(x, r)) ?? r) };
}
