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
  /** The preprocessed tensor, when asked for (parity checks). */
  input?: Tensor;
};

export async function loadModel(client: InferenceClient, m: PlaygroundModel, onProgress?: (phase: string, loaded: number, total: number) => void) {
  return client.send({ type: "load", key: m.key, url: m.downloadUrl, sha256: m.sha256 }, "loaded", (p) => onProgress?.(p.phase, p.loaded, p.total));
}

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

/** Reads each detected region: direction classifier (turn upside-down crops), then the CTC recogniser. */
export async function readRegions(client: InferenceClient, pipeline: OcrPipeline, image: Rgba, regions: Region[], limit = 40): Promise<Region[]> {
  const out: Region[] = [];
  const data = new Uint8ClampedArray(image.data);
  for (const r of regions.slice(0, limit)) {
    let rotated = false;
    if (pipeline.classifier) {
      const c = await client.send(
        {
          type: "infer",
          key: pipeline.classifier.key,
          image: { data, width: image.width, height: image.height },
          input: pipeline.classifier.manifest.input,
          crop: r,
        },
        "result",
      );
      const top = classify(Object.values(c.outputs)[0], pipeline.classifier.manifest.labels, 1)[0];
      rotated = top.index === 1 && top.score > 0.9;
    }
    const rec = await client.send(
      {
        type: "infer",
        key: pipeline.recognizer.key,
        image: { data, width: image.width, height: image.height },
        input: pipeline.recognizer.manifest.input,
        crop: { ...r, rotate180: rotated },
      },
      "result",
    );
    const post = pipeline.recognizer.manifest.postprocess;
    const decoded = ctcGreedy(Object.values(rec.outputs)[0], pipeline.recognizer.manifest.labels, post.kind === "ctc-text" ? post.blankIndex : 0);
    out.push({ ...r, text: decoded.text, textConfidence: decoded.confidence, rotated });
  }
  return [...out, ...regions.slice(limit)];
}

export function withTexts(i: Interpretation, read: Region[] | null): Interpretation {
  if (i.kind !== "text-regions" || !read) return i;
  // Re-thresholding can change regions; keep texts for regions that are still the same box.
  const same = (a: Region, b: Region) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.w - b.w) < 0.5;
  return { ...i, regions: i.regions.map((r) => read.find((x) => same(x, r)) ?? r) };
}
