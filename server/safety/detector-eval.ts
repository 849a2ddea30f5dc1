// Safety evaluation of a detector, computed: run the version (onnxruntime-node) on tagged evaluation frames with the same
// preprocessing and decoding as the playground, match detections to ground truth one-to-one at IoU >= 0.5 per class,
// and count TP / FP / FN per event type and per slice (time of day, weather). Nothing here is typed in.
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import { and, arrayContains, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, modelVersions, sampleFrames } from "@/db/schema";
import { defaultThresholds, interpret, matchBoxes } from "@/lib/playground/interpret";
import type { Tensor } from "@/lib/playground/postprocess";
import { preprocess, type Rgba, type Transform } from "@/lib/playground/preprocess";
import { storedBytes, type ArtifactStore } from "@/server/artifacts/store";
import { NotFound, PreconditionFailed } from "@/server/errors";
import { ZManifest, type TManifest } from "@/server/registry/schemas";
import type { EventType, TPostEvaluation } from "./schemas";

type GtBox = { x: number; y: number; w: number; h: number; label: string };
/** A tagged evaluation frame: ground-truth boxes for detectors, the class for classifiers. */
export type EvalFrame = { id?: string; name: string; image: Rgba; tags: string[]; boxes: GtBox[]; truthClass?: string };
/** Which ground-truth labels a detector class stands for, and the safety event its detections raise. */
export type ClassSpec = { label: string; eventType: EventType; truthLabels: string[] };
type Counts = { tp: number; fp: number; fn: number };
type Sweep = { eventType: string; points: ({ threshold: number } & Counts)[] };
export type FrameOutcome = { frame: string; id?: string; eventType: EventType; misses: GtBox[]; falseAlerts: GtBox[] };

/** The FCW detector's classes: vehicles raise forward-collision warnings, pedestrians pedestrian warnings. */
export const FCW_CLASSES: ClassSpec[] = [
  { label: "vehicle", eventType: "forward-collision-warning", truthLabels: ["car", "truck", "bus"] },
  { label: "pedestrian", eventType: "pedestrian-warning", truthLabels: ["pedestrian"] },
];

const SWEEP_THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const sliceOf = (tags: string[]) => [
  { dimension: "time_of_day" as const, value: tags.includes("night") ? "night" : tags.includes("tunnel") ? "tunnel" : "day" },
  { dimension: "weather" as const, value: tags.includes("rain") ? "rain" : "clear" },
];

export type Detector = {
  /** The model's raw outputs on one image (the playground's preprocessing), and the transform back to image pixels. */
  run(image: Rgba): Promise<{ outputs: Record<string, Tensor>; transform: Transform }>;
  close(): Promise<void>;
};

/** One onnxruntime-node session on a detector, one thread: the evaluation and the fleet simulator both run models through it. */
export async function createDetector(modelBytes: Uint8Array, manifest: TManifest): Promise<Detector> {
  const session = await ort.InferenceSession.create(modelBytes, { intraOpNumThreads: 1, graphOptimizationLevel: "all" });
  return {
    async run(image) {
      const pre = preprocess(image, manifest.input);
      const out = await session.run({ [manifest.input.name]: new ort.Tensor("float32", pre.data, pre.dims) });
      return {
        outputs: Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: [...t.dims] }])),
        transform: pre.transform,
      };
    },
    close: () => session.release(),
  };
}

/** Runs one model on frames; returns rows ready for postEvaluation (whole dataset + slices) and each frame's misses. */
export async function evaluateDetector(
  modelBytes: Uint8Array,
  manifest: TManifest,
  frames: EvalFrame[],
  classes: ClassSpec[],
  opts: { iouThreshold?: number; scoreThreshold?: number } = {},
): Promise<{ results: TPostEvaluation["results"]; sweeps: Sweep[]; outcomes: FrameOutcome[] }> {
  const detector = await createDetector(modelBytes, manifest);
  const th = { ...defaultThresholds(manifest.postprocess), ...(opts.scoreThreshold !== undefined ? { score: opts.scoreThreshold } : {}) };
  const counts = new Map<string, Counts>();
  const add = (key: string, c: Counts) => {
    const k = counts.get(key) ?? { tp: 0, fp: 0, fn: 0 };
    counts.set(key, { tp: k.tp + c.tp, fp: k.fp + c.fp, fn: k.fn + c.fn });
  };
  const outcomes: FrameOutcome[] = [];
  // Whole-dataset counts at other score thresholds, for the precision-recall curves (decoding is cheap; one model run).
  // The operating threshold is one of the points, so the curve passes through the reported counts.
  const sweepAt = [...new Set([...SWEEP_THRESHOLDS, th.score])].sort((a, b) => a - b);
  const swept = new Map<string, Counts[]>();
  try {
    for (const f of frames) {
      const { outputs, transform } = await detector.run(f.image);
      for (const [ti, t] of sweepAt.entries()) {
        const rt = interpret(manifest, outputs, transform, { ...th, score: t });
        if (rt.kind !== "boxes") break;
        for (const c of classes) {
          const m = matchBoxes(
            rt.boxes.filter((b) => b.label === c.label),
            f.boxes.filter((b) => c.truthLabels.includes(b.label)),
            opts.iouThreshold ?? 0.5,
          );
          const row = swept.get(c.eventType) ?? sweepAt.map(() => ({ tp: 0, fp: 0, fn: 0 }));
          row[ti] = { tp: row[ti].tp + m.matches.length, fp: row[ti].fp + m.falsePositives.length, fn: row[ti].fn + m.misses.length };
          swept.set(c.eventType, row);
        }
      }
      const r = interpret(manifest, outputs, transform, th);
      if (r.kind !== "boxes") throw new PreconditionFailed(`This version's manifest decodes to ${r.kind}, not boxes; only detectors are evaluated here`);
      for (const c of classes) {
        const pred = r.boxes.filter((b) => b.label === c.label);
        const truth = f.boxes.filter((b) => c.truthLabels.includes(b.label));
        const m = matchBoxes(pred, truth, opts.iouThreshold ?? 0.5);
        const n = { tp: m.matches.length, fp: m.falsePositives.length, fn: m.misses.length };
        add(`${c.eventType}|all|all`, n);
        for (const s of sliceOf(f.tags)) add(`${c.eventType}|${s.dimension}|${s.value}`, n);
        if (n.fp || n.fn)
          outcomes.push({
            frame: f.name,
            id: f.id,
            eventType: c.eventType,
            misses: m.misses.map((j) => truth[j]),
            falseAlerts: m.falsePositives.map((i) => ({ ...pred[i], label: c.label })),
          });
      }
    }
  } finally {
    await detector.close();
  }
  const results: TPostEvaluation["results"] = [...counts.entries()].map(([key, c]) => {
    const [eventType, dimension, value] = key.split("|");
    return { eventType, slice: { dimension: dimension as "all", value }, ...c };
  });
  // A curve is kept only where it is a proper sweep (counts never rise with the threshold); greedy matching almost always is.
  const sweeps = [...swept.entries()]
    .map(([eventType, points]) => ({ eventType, points: points.map((p, i) => ({ threshold: sweepAt[i], ...p })) }))
    .filter((s) => s.points.every((p, i) => i === 0 || (p.tp <= s.points[i - 1].tp && p.fp <= s.points[i - 1].fp)))
    .filter((s) => s.points.some((p) => Math.abs(p.threshold - th.score) < 1e-9));
  return { results, sweeps, outcomes };
}

/** Frames carrying `tag`, decoded to RGBA one at a time, in name order; `limit` keeps the first ones. */
export async function* streamEvalFrames(db: Db, store: ArtifactStore, tag: string, limit?: number): AsyncGenerator<EvalFrame> {
  const query = db
    .select()
    .from(sampleFrames)
    .where(arrayContains(sampleFrames.tags, [tag]))
    .orderBy(asc(sampleFrames.name));
  const rows = limit === undefined ? await query : await query.limit(limit);
  for (const row of rows) {
    const { data, info } = await sharp(await storedBytes(store, row.sha256))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    yield {
      id: row.id,
      name: row.name,
      tags: row.tags,
      image: { data, width: info.width, height: info.height },
      boxes: row.groundTruth?.boxes ?? [],
      truthClass: row.groundTruth?.class,
    };
  }
}

/** Frames carrying `tag`, decoded to RGBA, oldest name first. */
export async function loadEvalFrames(db: Db, store: ArtifactStore, tag: string, limit?: number): Promise<EvalFrame[]> {
  const out: EvalFrame[] = [];
  for await (const f of streamEvalFrames(db, store, tag, limit)) out.push(f);
  return out;
}

/** A registered version's ONNX bytes and manifest, for evaluation. */
export async function versionModel(db: Db, store: ArtifactStore, slug: string, version: number): Promise<{ bytes: Uint8Array; manifest: TManifest }> {
  const [v] = await db
    .select({ sha256: modelVersions.artifactSha256, manifest: modelVersions.manifest })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.slug, slug), eq(modelVersions.number, version)));
  if (!v) throw new NotFound(`${slug} v${version}`);
  if (!v.sha256 || !v.manifest) throw new PreconditionFailed(`${slug} v${version} holds no weights or no manifest; it cannot be evaluated here`);
  return { bytes: new Uint8Array(await storedBytes(store, v.sha256)), manifest: ZManifest.parse(v.manifest) };
}
