// Safety evaluation of a classifier, computed: run the version (onnxruntime-node) on tagged evaluation frames with the
// playground's preprocessing and softmax reading, compare with each frame's ground-truth class, and count the safety
// event's TP / FP / FN per slice (an alert is raised when the positive class's probability reaches the threshold), the
// score sweep, and the confusion matrix of the top class. Nothing here is typed in.
import * as ort from "onnxruntime-node";
import { interpret } from "@/lib/playground/interpret";
import type { Tensor } from "@/lib/playground/postprocess";
import { preprocess } from "@/lib/playground/preprocess";
import { PreconditionFailed } from "@/server/errors";
import type { TManifest } from "@/server/registry/schemas";
import type { EvalFrame } from "./detector-eval";
import type { EventType, TPostEvaluation } from "./schemas";

/** The event a classifier raises: an alert when `positive`'s probability is at least `threshold`. */
export type ClassifierSpec = { eventType: EventType; positive: string; threshold: number; matrixName: string };
type Counts = { tp: number; fp: number; fn: number };
export type ClassifierOutcome = { frame: string; id?: string; truth: string; predicted: string; score: number; outcome: "tp" | "fp" | "fn" | "tn" };

const SWEEP_THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const sliceOf = (tags: string[]) => [{ dimension: "time_of_day" as const, value: tags.includes("night") ? "night" : "day" }];

export async function evaluateClassifier(
  modelBytes: Uint8Array,
  manifest: TManifest,
  frames: EvalFrame[],
  spec: ClassifierSpec,
): Promise<Required<Pick<TPostEvaluation, "results" | "sweeps" | "confusionMatrices">> & { outcomes: ClassifierOutcome[] }> {
  const labels = manifest.labels;
  const positive = labels.indexOf(spec.positive);
  if (positive < 0) throw new PreconditionFailed(`This version's labels (${labels.join(", ")}) have no "${spec.positive}" class to raise ${spec.eventType} on`);
  const session = await ort.InferenceSession.create(modelBytes, { intraOpNumThreads: 1, graphOptimizationLevel: "all" });
  const matrix = labels.map(() => labels.map(() => 0));
  const counts = new Map<string, Counts>();
  const sweepAt = [...new Set([...SWEEP_THRESHOLDS, spec.threshold])].sort((a, b) => a - b);
  const swept = sweepAt.map(() => ({ tp: 0, fp: 0, fn: 0 }));
  const outcomes: ClassifierOutcome[] = [];
  try {
    for (const f of frames) {
      const truth = labels.indexOf(f.truthClass ?? "");
      if (truth < 0) continue;
      const pre = preprocess(f.image, manifest.input);
      const out = await session.run({ [manifest.input.name]: new ort.Tensor("float32", pre.data, pre.dims) });
      const outputs: Record<string, Tensor> = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: [...t.dims] }]));
      const r = interpret(manifest, outputs, pre.transform, { score: 0, iou: 0, binary: 0, box: 0 });
      if (r.kind !== "classes") throw new PreconditionFailed(`This version's manifest decodes to ${r.kind}, not classes; it is not evaluated as a classifier`);
      const top = r.classes[0];
      const score = r.classes.find((c) => c.index === positive)?.score ?? 0;
      matrix[truth][top.index]++;
      const isPositive = truth === positive;
      sweepAt.forEach((t, i) => {
        const alert = score >= t;
        swept[i] = { tp: swept[i].tp + +(alert && isPositive), fp: swept[i].fp + +(alert && !isPositive), fn: swept[i].fn + +(!alert && isPositive) };
      });
      const alert = score >= spec.threshold;
      const n = { tp: +(alert && isPositive), fp: +(alert && !isPositive), fn: +(!alert && isPositive) };
      for (const key of ["all|all", ...sliceOf(f.tags).map((s) => `${s.dimension}|${s.value}`)]) {
        const k = counts.get(key) ?? { tp: 0, fp: 0, fn: 0 };
        counts.set(key, { tp: k.tp + n.tp, fp: k.fp + n.fp, fn: k.fn + n.fn });
      }
      outcomes.push({ frame: f.name, id: f.id, truth: labels[truth], predicted: top.label, score, outcome: n.tp ? "tp" : n.fp ? "fp" : n.fn ? "fn" : "tn" });
    }
  } finally {
    await session.release();
  }
  const results: TPostEvaluation["results"] = [...counts.entries()].map(([key, c]) => {
    const [dimension, value] = key.split("|");
    return { eventType: spec.eventType, slice: { dimension: dimension as "all", value }, ...c };
  });
  const sweeps = results.length ? [{ eventType: spec.eventType, points: sweepAt.map((threshold, i) => ({ threshold, ...swept[i] })) }] : [];
  return { results, sweeps, confusionMatrices: [{ name: spec.matrixName, labels, matrix }], outcomes };
}
