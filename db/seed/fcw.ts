// The FCW detectors' safety evaluation, computed: the pinned evaluation frames go into the frame library, then each
// version holding weights runs on them (server/safety/evaluation-run.ts) and the counts are posted like an evaluation job.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, modelVersions } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { FCW_SETS, generateFcwFrames } from "@/server/demo/fcw-frames";
import { loadEvalFrames } from "@/server/safety/detector-eval";
import { evalSuiteOf, runAndPostEvaluation, suiteEvaluationId } from "@/server/safety/evaluation-run";
import { insertMissingFrames } from "./frames";

export { FCW_EVAL_DATASET } from "@/server/safety/evaluation-run";

/** Idempotent: frames already held (same bytes) are skipped. */
export async function seedFcwEvalFrames(db: Db, store: ArtifactStore, count = FCW_SETS.eval.count): Promise<number> {
  return insertMissingFrames(db, store, null, await generateFcwFrames("eval", count));
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
