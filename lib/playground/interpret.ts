// Turns raw outputs into what the playground shows, per the manifest's postprocess kind, and
// compares results with ground truth and with another version. Pure, unit-tested.
import type { TManifest } from "@/server/registry/schemas";
import {
  classify,
  ctcGreedy,
  dbTextRegions,
  decodeBoxes,
  decodeCenterNet,
  iou,
  multiLabel,
  nms,
  segmentationMask,
  unmapBox,
  type Box,
  type ClassScore,
  type Tensor,
} from "./postprocess";
import type { Transform } from "./preprocess";

export type Post = TManifest["postprocess"];
export type Thresholds = { score: number; iou: number; binary: number; box: number };
export type Region = { x: number; y: number; w: number; h: number; score: number; text?: string; textConfidence?: number; rotated?: boolean };

export type Interpretation =
  | { kind: "classes"; classes: ClassScore[]; extras: Record<string, number[]> }
  | { kind: "boxes"; boxes: Box[]; candidates: number }
  | { kind: "text-regions"; regions: Region[]; map: { data: Float32Array; width: number; height: number }; transform: Transform }
  | { kind: "text"; text: string; confidence: number }
  | { kind: "mask"; counts: { label: string; pixels: number }[]; mask: { data: Uint8Array; width: number; height: number }; transform: Transform }
  | { kind: "value"; value: number; unit?: string }
  | { kind: "raw"; outputs: Record<string, number[]> };

export function defaultThresholds(post: Post): Thresholds {
  return {
    score: post.kind === "boxes" || post.kind === "centernet" ? post.scoreThreshold : post.kind === "sigmoid" ? post.threshold : 0.25,
    iou: post.kind === "boxes" || post.kind === "centernet" ? post.iouThreshold : 0.45,
    binary: post.kind === "db-text" ? post.binaryThreshold : 0.3,
    box: post.kind === "db-text" ? post.boxThreshold : 0.6,
  };
}

function pick(outputs: Record<string, Tensor>, name?: string): Tensor {
  const t = (name && outputs[name]) || Object.values(outputs)[0];
  if (!t) throw new Error("The model returned no outputs");
  return t;
}

/** Small outputs besides the main one (e.g. camera-health features) are shown as numbers. */
function smallOutputs(outputs: Record<string, Tensor>, except: Tensor): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(outputs)
      .filter(([, t]) => t !== except && t.data.length <= 32)
      .map(([k, t]) => [k, Array.from(t.data)]),
  );
}

export function interpret(
  manifest: Pick<TManifest, "postprocess" | "labels">,
  outputs: Record<string, Tensor>,
  transform: Transform,
  th: Thresholds,
): Interpretation {
  const post = manifest.postprocess;
  const labels = manifest.labels;
  switch (post.kind) {
    case "softmax": {
      const t = pick(outputs, post.output);
      return { kind: "classes", classes: classify(t, labels, 5), extras: smallOutputs(outputs, t) };
    }
    case "sigmoid": {
      const t = pick(outputs, post.output);
      return { kind: "classes", classes: multiLabel(t, labels, th.score), extras: smallOutputs(outputs, t) };
    }
    case "boxes": {
      const candidates = decodeBoxes(pick(outputs, post.output), post.format, labels);
      const kept = nms(candidates, th.iou, th.score, post.maxDetections).map((b) => unmapBox(b, transform));
      return { kind: "boxes", boxes: kept, candidates: candidates.length };
    }
    case "centernet": {
      const heat = outputs[post.heatmap];
      const size = outputs[post.size];
      if (!heat || !size) throw new Error(`The model has no output named ${!heat ? post.heatmap : post.size}; the manifest's postprocess names it`);
      const candidates = decodeCenterNet(heat, size, post.offset ? outputs[post.offset] : undefined, transform, labels, th.score);
      const kept = nms(candidates, th.iou, th.score, post.maxDetections).map((b) => unmapBox(b, transform));
      return { kind: "boxes", boxes: kept, candidates: candidates.length };
    }
    case "db-text": {
      const t = pick(outputs, post.output);
      const regions = dbTextRegions(t, th.binary, th.box, post.unclipRatio).map((r) => clampRegion(unmapBox(r, transform), transform));
      const [H, W] = t.dims.slice(-2);
      return { kind: "text-regions", regions, map: { data: Float32Array.from(t.data), width: W, height: H }, transform };
    }
    case "ctc-text":
      return { kind: "text", ...ctcGreedy(pick(outputs, post.output), labels, post.blankIndex) };
    case "segmentation": {
      const m = segmentationMask(pick(outputs, post.output));
      return {
        kind: "mask",
        counts: m.counts.map((pixels, i) => ({ label: labels[i] ?? `class ${i}`, pixels })),
        mask: { data: m.mask, width: m.width, height: m.height },
        transform,
      };
    }
    case "regression":
      return { kind: "value", value: Number(pick(outputs, post.output).data[0]), unit: post.unit };
    default:
      return { kind: "raw", outputs: Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, Array.from(t.data).slice(0, 32)])) };
  }
}

function clampRegion(r: Region, t: Transform): Region {
  const maxW = (t.width - 2 * t.padX) / t.scaleX;
  const maxH = (t.height - 2 * t.padY) / t.scaleY;
  const x = Math.max(0, r.x);
  const y = Math.max(0, r.y);
  return { ...r, x, y, w: Math.min(maxW, r.x + r.w) - x, h: Math.min(maxH, r.y + r.h) - y };
}

export type GroundTruthBox = { x: number; y: number; w: number; h: number; label: string; text?: string };
export type Match = { pred: number; truth: number; iou: number };

/** Greedy one-to-one matching by IoU ≥ threshold (highest IoU first). */
export function matchBoxes(pred: { x: number; y: number; w: number; h: number }[], truth: GroundTruthBox[], threshold = 0.5) {
  const pairs: Match[] = [];
  pred.forEach((p, i) =>
    truth.forEach((t, j) => {
      const v = iou(p, t);
      if (v >= threshold) pairs.push({ pred: i, truth: j, iou: v });
    }),
  );
  pairs.sort((a, b) => b.iou - a.iou);
  const usedP = new Set<number>();
  const usedT = new Set<number>();
  const matches: Match[] = [];
  for (const m of pairs) {
    if (usedP.has(m.pred) || usedT.has(m.truth)) continue;
    usedP.add(m.pred);
    usedT.add(m.truth);
    matches.push(m);
  }
  return {
    matches,
    misses: truth.map((_, j) => j).filter((j) => !usedT.has(j)),
    falsePositives: pred.map((_, i) => i).filter((i) => !usedP.has(i)),
  };
}

/** Precision and recall from summed counts; null when undefined (no predictions / no truth). */
export function precisionRecall(tp: number, fp: number, fn: number) {
  return { precision: tp + fp ? tp / (tp + fp) : null, recall: tp + fn ? tp / (tp + fn) : null };
}

export type Difference = { kind: "only-a" | "only-b" | "class-flip" | "score-change" | "text-change"; detail: string };
/** How a difference reads from the version on trial's side: "only-a" is what it missed, "only-b" what it adds. */
export const DIFFERENCE_LABELS: Record<Difference["kind"], string> = {
  "only-a": "missed",
  "only-b": "new",
  "class-flip": "class changed",
  "score-change": "score changed",
  "text-change": "text changed",
};

/**
 * What B (the version on trial) does differently from A (the reference: production or the parent) on one frame. `names`
 * says who A and B are in the details, e.g. "pedestrian found only by v2 (production) at (312, 190)".
 */
export function diffInterpretations(a: Interpretation, b: Interpretation, scoreDelta = 0.1, names = { a: "A", b: "B" }): Difference[] {
  const out: Difference[] = [];
  if (a.kind === "classes" && b.kind === "classes") {
    const ta = a.classes[0];
    const tb = b.classes[0];
    if (ta && tb && ta.label !== tb.label) out.push({ kind: "class-flip", detail: `${ta.label} → ${tb.label}` });
    else if (ta && tb && Math.abs(ta.score - tb.score) > scoreDelta)
      out.push({ kind: "score-change", detail: `${ta.label} ${ta.score.toFixed(2)} → ${tb.score.toFixed(2)}` });
    return out;
  }
  const boxesOf = (r: Interpretation) => (r.kind === "boxes" ? r.boxes : r.kind === "text-regions" ? r.regions : null);
  const ba = boxesOf(a);
  const bb = boxesOf(b);
  if (ba && bb) {
    const m = matchBoxes(
      ba,
      bb.map((x) => ({ ...x, label: "label" in x ? String(x.label) : "text" })),
    );
    const what = (r: Region & Partial<Box>) => (r.label !== undefined ? `${r.label} ` : "");
    for (const i of m.falsePositives)
      out.push({ kind: "only-a", detail: `${what(ba[i])}found only by ${names.a} at (${Math.round(ba[i].x)}, ${Math.round(ba[i].y)})` });
    for (const j of m.misses)
      out.push({ kind: "only-b", detail: `${what(bb[j])}found only by ${names.b} at (${Math.round(bb[j].x)}, ${Math.round(bb[j].y)})` });
    for (const { pred, truth } of m.matches) {
      const ra = ba[pred] as Region & Partial<Box>;
      const rb = bb[truth] as Region & Partial<Box>;
      if (ra.label !== undefined && ra.label !== rb.label) out.push({ kind: "class-flip", detail: `${ra.label} → ${rb.label}` });
      if (ra.text !== undefined && rb.text !== undefined && ra.text !== rb.text) out.push({ kind: "text-change", detail: `“${ra.text}” → “${rb.text}”` });
      else if (Math.abs(ra.score - rb.score) > scoreDelta) out.push({ kind: "score-change", detail: `score ${ra.score.toFixed(2)} → ${rb.score.toFixed(2)}` });
    }
    return out;
  }
  if (a.kind === "text" && b.kind === "text" && a.text !== b.text) out.push({ kind: "text-change", detail: `“${a.text}” → “${b.text}”` });
  return out;
}

export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((x, y) => x - y);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx];
}

/** Why a version cannot run in the playground, or null when it can. */
export function whyNotRunnable(v: {
  artifact: { held: boolean; integrity?: string };
  manifest: TManifest | null;
  inputs: { name: string; shape: (number | string | null)[]; elemType: string }[];
}): string | null {
  if (!v.artifact.held) return "No file is held for this version (its weights live elsewhere), so the playground cannot run it.";
  if (v.artifact.integrity === "mismatch" || v.artifact.integrity === "missing")
    return `The stored file failed its integrity check (${v.artifact.integrity}); it cannot run until it is re-uploaded.`;
  if (!v.manifest) return "This version has no runtime manifest; add one on the version page so the playground knows how to feed it.";
  const input = v.inputs.find((i) => i.name === v.manifest!.input.name) ?? (v.inputs.length === 1 ? v.inputs[0] : undefined);
  if (!input) return `The manifest names input “${v.manifest.input.name}”, which the model does not have (it has ${v.inputs.map((i) => i.name).join(", ")}).`;
  if (input.elemType !== "float32") return `The input ${input.name} is ${input.elemType}; the playground feeds float32 images.`;
  if (v.inputs.length > 1) return `The model has ${v.inputs.length} inputs; the playground feeds a single image input.`;
  if (input.shape.length !== 4) return `The input ${input.name} has rank ${input.shape.length}; an image input has rank 4.`;
  const m = v.manifest.input;
  const [, a, b, c] = input.shape;
  const [ch, h, w] = m.layout === "NCHW" ? [a, b, c] : [c, a, b];
  if (typeof ch === "number" && ch !== m.channels) return `The model wants ${ch} channels but the manifest gives ${m.channels}.`;
  if (typeof h === "number" && h !== m.height) return `The model wants height ${h} but the manifest gives ${m.height}.`;
  if (typeof w === "number" && !m.maxWidth && w !== m.width) return `The model wants width ${w} but the manifest gives ${m.width}.`;
  return null;
}

/** Why a runnable model still must not be fed a whole camera frame: its manifest says it reads crops another model cuts out. */
export function whyNotOnFrames(manifest: TManifest | null): string | null {
  if (manifest?.input.subject !== "crop") return null;
  return "This model reads crops (regions another model cuts out of a frame), not whole frames: upload a crop here, or run the detector's playground, which crops first and feeds them to it.";
}
