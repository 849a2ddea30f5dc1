// Occlusion sensitivity (Zeiler & Fergus, 2014): cover one square of the frame at a time with a neutral colour, run the
// model again, and record how much the score of the chosen prediction falls. Squares whose cover hurts most are what
// the prediction rests on. Forward passes only, so it works for any model the playground runs, in the browser worker and
// in Node alike. Pure apart from the `score` callback, which runs the model.
import { iou } from "./postprocess";
import type { Interpretation } from "./interpret";
import type { Rgba } from "./preprocess";

export type Rect = { x: number; y: number; w: number; h: number };
/** What to explain: a class's score, or the best score of a prediction overlapping a box (its label, when given). */
export type ExplainTarget = { kind: "class"; label: string } | { kind: "box"; box: Rect; label?: string };
export type OcclusionParams = { patch: number; stride: number };
export type OcclusionMap = {
  /** Mean score drop of the squares covering each frame pixel (negative where covering raised the score). */
  map: Float32Array;
  width: number;
  height: number;
  baseline: number;
  passes: number;
  params: OcclusionParams;
};

export const EXPLAIN_LIMITS = { minPatch: 8, maxPasses: 2000 } as const;

/** The squares to cover, in frame pixels, row by row; the last row and column are moved in to end at the edge. */
export function occlusionPatches(width: number, height: number, { patch, stride }: OcclusionParams): Rect[] {
  if (!(patch >= EXPLAIN_LIMITS.minPatch) || !(stride >= 1)) throw new Error(`Patch must be at least ${EXPLAIN_LIMITS.minPatch} px and stride at least 1 px`);
  const starts = (size: number) => {
    const p = Math.min(patch, size);
    const out: number[] = [];
    for (let s = 0; s + p < size; s += stride) out.push(s);
    out.push(size - p);
    return [...new Set(out)];
  };
  const out: Rect[] = [];
  for (const y of starts(height)) for (const x of starts(width)) out.push({ x, y, w: Math.min(patch, width), h: Math.min(patch, height) });
  if (out.length > EXPLAIN_LIMITS.maxPasses)
    throw new Error(`That needs ${out.length} forward passes; use a larger patch or stride (at most ${EXPLAIN_LIMITS.maxPasses})`);
  return out;
}

/** The frame's mean colour: covering with it removes detail without adding an edge colour the model might react to. */
export function meanColour(img: Rgba): [number, number, number] {
  const sum = [0, 0, 0];
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) sum[c] += img.data[i * 4 + c];
  return [Math.round(sum[0] / n), Math.round(sum[1] / n), Math.round(sum[2] / n)];
}

/** A copy of the frame with one square covered. */
export function occlude(img: Rgba, r: Rect, colour: [number, number, number]): Rgba {
  const data = new Uint8ClampedArray(img.data);
  const x1 = Math.min(img.width, r.x + r.w);
  const y1 = Math.min(img.height, r.y + r.h);
  for (let y = Math.max(0, r.y); y < y1; y++) {
    for (let x = Math.max(0, r.x); x < x1; x++) {
      const i = (y * img.width + x) * 4;
      data[i] = colour[0];
      data[i + 1] = colour[1];
      data[i + 2] = colour[2];
    }
  }
  return { data, width: img.width, height: img.height };
}

/** The target's score in one interpretation: 0 when the prediction is gone. */
export function targetScore(result: Interpretation, target: ExplainTarget): number {
  if (target.kind === "class") {
    if (result.kind !== "classes") return 0;
    return result.classes.find((c) => c.label === target.label)?.score ?? 0;
  }
  const preds: { x: number; y: number; w: number; h: number; score: number; label?: string }[] =
    result.kind === "boxes" ? result.boxes : result.kind === "text-regions" ? result.regions : [];
  let best = 0;
  for (const p of preds) {
    if (target.label !== undefined && p.label !== undefined && p.label !== target.label) continue;
    if (iou(p, target.box) >= 0.3) best = Math.max(best, p.score);
  }
  return best;
}

/** Spreads each square's drop over its pixels and averages where squares overlap. */
export function accumulate(width: number, height: number, patches: Rect[], drops: number[]): Float32Array {
  const sum = new Float32Array(width * height);
  const hits = new Uint16Array(width * height);
  patches.forEach((r, k) => {
    for (let y = r.y; y < Math.min(height, r.y + r.h); y++) {
      for (let x = r.x; x < Math.min(width, r.x + r.w); x++) {
        sum[y * width + x] += drops[k];
        hits[y * width + x]++;
      }
    }
  });
  for (let i = 0; i < sum.length; i++) if (hits[i]) sum[i] /= hits[i];
  return sum;
}

export class ExplainCancelled extends Error {
  constructor() {
    super("Explanation cancelled");
  }
}

/**
 * Runs the occlusion loop: one baseline pass, then one pass per square. `score` runs the model on an image and returns
 * the target's score; `onProgress` hears after every pass; `cancelled` is asked before each pass.
 */
export async function occlusionMap(
  img: Rgba,
  params: OcclusionParams,
  score: (img: Rgba) => Promise<number>,
  opts: { onProgress?: (done: number, total: number) => void; cancelled?: () => boolean; patches?: Rect[] } = {},
): Promise<OcclusionMap & { drops: number[]; patches: Rect[] }> {
  const patches = opts.patches ?? occlusionPatches(img.width, img.height, params);
  const colour = meanColour(img);
  const baseline = await score(img);
  const drops: number[] = [];
  for (const r of patches) {
    if (opts.cancelled?.()) throw new ExplainCancelled();
    drops.push(baseline - (await score(occlude(img, r, colour))));
    opts.onProgress?.(drops.length, patches.length);
  }
  return {
    map: accumulate(img.width, img.height, patches, drops),
    width: img.width,
    height: img.height,
    baseline,
    passes: patches.length + 1,
    params,
    drops,
    patches,
  };
}
