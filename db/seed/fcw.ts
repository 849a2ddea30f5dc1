// The FCW detectors' safety evaluation, computed: the pinned evaluation frames go into the frame library, then each
// version holding weights runs on them (server/safety/detector-eval.ts) and the counts are posted like an evaluation job.
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { evaluations, models, modelVersions } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { FCW_SETS, generateFcwFrames } from "@/server/demo/fcw-frames";
import { evaluateDetector, FCW_CLASSES, loadEvalFrames, versionModel } from "@/server/safety/detector-eval";
import { ZExample } from "@/server/safety/schemas";
import { postEvaluation } from "@/server/safety/service";
import { insertMissingFrames } from "./frames";

export const FCW_EVAL_DATASET = { name: FCW_SETS.eval.tag, version: `${FCW_SETS.eval.count} frames` };

/** Idempotent: frames already held (same bytes) are skipped. */
export async function seedFcwEvalFrames(db: Db, store: ArtifactStore, count = FCW_SETS.eval.count): Promise<number> {
  return insertMissingFrames(db, store, null, await generateFcwFrames("eval", count));
}

/** Runs every FCW version that holds weights on the evaluation frames and posts the counts (once per version). */
export async function seedFcwEvaluations(db: Db, store: ArtifactStore): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  const versions = await db
    .select({ number: modelVersions.number, sha256: modelVersions.artifactSha256, id: modelVersions.id })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(models.slug, "forward-collision-warning"));
  const frames = await loadEvalFrames(db, store, FCW_SETS.eval.tag);
  if (!frames.length) return;
  for (const v of versions.filter((x) => x.sha256).sort((a, b) => a.number - b.number)) {
    const done = await db
      .select({ id: evaluations.id })
      .from(evaluations)
      .where(and(eq(evaluations.versionId, v.id), eq(evaluations.datasetName, FCW_EVAL_DATASET.name)));
    if (done.length) continue;
    const { bytes, manifest } = await versionModel(db, store, "forward-collision-warning", v.number);
    const { results, sweeps, outcomes } = await evaluateDetector(bytes, manifest, frames, FCW_CLASSES);
    // Up to a dozen frames it got wrong per event type, misses first: what a reviewer opens.
    const examples = FCW_CLASSES.flatMap((c) =>
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
    ).map((e) => ZExample.parse(e));
    await postEvaluation(db, actor, {
      model: "forward-collision-warning",
      version: v.number,
      dataset: FCW_EVAL_DATASET,
      source: "evaluation-run",
      notes: `Computed by running v${v.number} (onnxruntime-node) on the ${frames.length} frames tagged ${FCW_SETS.eval.tag}; detections matched to ground truth at IoU >= 0.5.`,
      results,
      sweeps,
      examples,
    });
  }
}

const box = (b: { x: number; y: number; w: number; h: number }) => ({
  x: Math.max(0, Math.round(b.x)),
  y: Math.max(0, Math.round(b.y)),
  w: Math.max(1, Math.round(b.w)),
  h: Math.max(1, Math.round(b.h)),
});
