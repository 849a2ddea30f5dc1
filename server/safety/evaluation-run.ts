// A safety model's evaluation computed and recorded: which frames and classes a model is evaluated on (its suite: a
// detector's classes matched by IoU, or a classifier's alerting class), and the run that posts the counts like an
// evaluation job. The demo seed and "Compare with parent" use this one path,
// so a variant's evaluation is recorded exactly like its parent's.
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { evaluations, models, modelVersions } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { evaluateClassifier, type ClassifierSpec } from "./classifier-eval";
import { FCW_SETS } from "./fcw-sets";
import { evaluateDetector, FCW_CLASSES, versionModel, type ClassSpec, type EvalFrame } from "./detector-eval";
import { ZExample } from "./schemas";
import { SEATBELT_SETS } from "./seatbelt-sets";
import { postEvaluation } from "./service";

export type EvalSuite = { tag: string; dataset: { name: string; version: string } } & (
  { kind: "detector"; classes: ClassSpec[] } | { kind: "classifier"; classifier: ClassifierSpec }
);

/** The pinned evaluation frames of each model that has some; other models are compared without safety metrics. */
const SUITES: Record<string, EvalSuite> = {
  "forward-collision-warning": {
    kind: "detector",
    tag: FCW_SETS.eval.tag,
    dataset: { name: FCW_SETS.eval.tag, version: `${FCW_SETS.eval.count} frames` },
    classes: FCW_CLASSES,
  },
  // The fleet alerts on an unfastened belt; an obstructed one is not an alert (the confusion matrix shows all three).
  seatbelt: {
    kind: "classifier",
    tag: SEATBELT_SETS.eval.tag,
    dataset: { name: SEATBELT_SETS.eval.tag, version: `${SEATBELT_SETS.eval.count} frames` },
    classifier: { eventType: "seatbelt", positive: "unfastened", threshold: 0.5, matrixName: "belt state" },
  },
};

export const FCW_EVAL_DATASET = SUITES["forward-collision-warning"].dataset;

export function evalSuiteOf(slug: string): EvalSuite | null {
  return SUITES[slug] ?? null;
}

/** The id of the version's evaluation on the suite's dataset, if one was posted. */
export async function suiteEvaluationId(db: Db, slug: string, version: number, suite: EvalSuite): Promise<string | null> {
  const [row] = await db
    .select({ id: evaluations.id })
    .from(evaluations)
    .innerJoin(modelVersions, eq(modelVersions.id, evaluations.versionId))
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.slug, slug), eq(modelVersions.number, version), eq(evaluations.datasetName, suite.dataset.name)));
  return row?.id ?? null;
}

/** Runs the version on the frames and posts the counts, sweeps and worst frames as an evaluation (audited there). */
export async function runAndPostEvaluation(db: Db, store: ArtifactStore, actor: Actor, slug: string, version: number, frames: EvalFrame[], suite: EvalSuite) {
  const { bytes, manifest } = await versionModel(db, store, slug, version);
  if (suite.kind === "classifier") {
    const c = suite.classifier;
    const { outcomes, ...posted } = await evaluateClassifier(bytes, manifest, frames, c);
    // The frames it got wrong, misses first, the whole crop outlined: what a reviewer opens.
    const examples = outcomes
      .filter((o) => o.id && (o.outcome === "fn" || o.outcome === "fp"))
      .sort((a, b) => (a.outcome === b.outcome ? 0 : a.outcome === "fn" ? -1 : 1))
      .slice(0, 16)
      .map((o) => ZExample.parse({ eventType: c.eventType, frameId: o.id, outcome: o.outcome }));
    return postEvaluation(db, actor, {
      model: slug,
      version,
      dataset: suite.dataset,
      source: "evaluation-run",
      notes: `Computed by running v${version} (onnxruntime-node) on the ${frames.length} frames tagged ${suite.tag}; an alert is raised when P(${c.positive}) >= ${c.threshold}, and the confusion matrix counts the top class.`,
      ...posted,
      examples,
    });
  }
  const { results, sweeps, outcomes } = await evaluateDetector(bytes, manifest, frames, suite.classes);
  // Up to a dozen frames it got wrong per event type, misses first: what a reviewer opens.
  const examples = suite.classes
    .flatMap((c) =>
      outcomes
        .filter((o) => o.eventType === c.eventType && o.id)
        .flatMap((o) => [
          ...o.misses.map((b) => ({ eventType: c.eventType, frameId: o.id!, outcome: "fn" as const, box: box(b) })),
          ...o.falseAlerts.map((b) => ({ eventType: c.eventType, frameId: o.id!, outcome: "fp" as const, box: box(b) })),
        ])
        .sort((a, b) => (a.outcome === b.outcome ? 0 : a.outcome === "fn" ? -1 : 1))
        // One example per frame and outcome (the first box): a review lists frames, not boxes.
        .filter((e, i, all) => all.findIndex((x) => x.frameId === e.frameId && x.outcome === e.outcome) === i)
        .slice(0, 16),
    )
    .map((e) => ZExample.parse(e));
  return postEvaluation(db, actor, {
    model: slug,
    version,
    dataset: suite.dataset,
    source: "evaluation-run",
    notes: `Computed by running v${version} (onnxruntime-node) on the ${frames.length} frames tagged ${suite.tag}; detections matched to ground truth at IoU >= 0.5.`,
    results,
    sweeps,
    examples,
  });
}

const box = (b: { x: number; y: number; w: number; h: number }) => ({
  x: Math.max(0, Math.round(b.x)),
  y: Math.max(0, Math.round(b.y)),
  w: Math.max(1, Math.round(b.w)),
  h: Math.max(1, Math.round(b.h)),
});
