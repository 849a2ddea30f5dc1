// The FCW detectors' frames and safety evaluation, computed: the pinned evaluation and calibration sets go into the frame
// library (the calibration set, the training set's first scenes, is what a static int8 variant calibrates on by default), then each
// version holding weights runs on the evaluation frames (server/safety/evaluation-run.ts) and the counts are posted
// like an evaluation job.
import { arrayContains, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, modelVersions, sampleFrames } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { logger } from "@/server/log";
import { FCW_SETS, generateFcwFrames } from "@/server/demo/fcw-frames";
import { loadEvalFrames } from "@/server/safety/detector-eval";
import { evalSuiteOf, runAndPostEvaluation, suiteEvaluationId } from "@/server/safety/evaluation-run";
import { insertMissingFrames } from "./frames";

export { FCW_EVAL_DATASET } from "@/server/safety/evaluation-run";

/** Idempotent: frames already held (same bytes) are skipped. */
export async function seedFcwEvalFrames(db: Db, store: ArtifactStore, count = FCW_SETS.eval.count): Promise<number> {
  return insertMissingFrames(db, store, null, await generateFcwFrames("eval", count));
}

/**
 * FCW's calibration frames (the training set's first scenes, tagged fcw-calib-v1): what a static int8 variant calibrates
 * on by default. Idempotent: frames the library holds under the tag by name are neither rendered nor added again.
 */
export async function seedFcwCalibFrames(db: Db, store: ArtifactStore, count = FCW_SETS.calib.count): Promise<number> {
  const started = performance.now();
  const tagged = arrayContains(sampleFrames.tags, [FCW_SETS.calib.tag]);
  const held = new Set((await db.select({ name: sampleFrames.name }).from(sampleFrames).where(tagged)).map((f) => f.name));
  const added = await insertMissingFrames(db, store, null, await generateFcwFrames("calib", count, held));
  logger.info({ added, ms: Math.round(performance.now() - started) }, "demo FCW calibration frames seeded");
  return added;
}

/** Runs every FCW version that holds weights on the evaluation frames and posts the counts (once per version). */
export function seedFcwEvaluations(db: Db, store: ArtifactStore): Promise<void> {
  return seedSuiteEvaluations(db, store, "forward-collision-warning");
}

/** Runs every version of `slug` that holds weights on its suite's evaluation frames and posts the counts (once each). */
export async function seedSuiteEvaluations(db: Db, store: ArtifactStore, slug: string): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  const suite = evalSuiteOf(slug)!;
  const versions = await db
    .select({ number: modelVersions.number, sha256: modelVersions.artifactSha256 })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(models.slug, slug));
  const frames = await loadEvalFrames(db, store, suite.tag);
  if (!frames.length) return;
  for (const v of versions.filter((x) => x.sha256).sort((a, b) => a.number - b.number)) {
    if (await suiteEvaluationId(db, slug, v.number, suite)) continue;
    await runAndPostEvaluation(db, store, actor, slug, v.number, frames, suite);
  }
}
