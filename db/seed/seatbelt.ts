// The seatbelt classifier with real weights: v2, trained by examples/seatbelt-classifier on the generated cabin crops,
// joins the registry beside the old release whose weights live elsewhere; the pinned evaluation crops go into the frame
// library and its safety evaluation is computed by running it on them (server/safety/evaluation-run.ts).
import fs from "node:fs";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, modelVersions } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { generateCabinFrames, SEATBELT_SETS } from "@/server/demo/cabin-frames";
import { SEATBELT_CONTRACT, SEATBELT_MANIFEST, SEATBELT_MODEL_FILE } from "@/server/demo/seatbelt-model";
import { seedSuiteEvaluations } from "./fcw";
import { insertMissingFrames } from "./frames";
import { seedVersion } from "./registry";

const DESCRIPTION = "Trained on the cabin-camera crops seatbelt-train-v1";

/** Registers the trained version once: skipped when the model is absent or already has a version holding weights. */
export async function seedSeatbeltVersion(db: Db, store: ArtifactStore): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const [model] = await db.select({ id: models.id }).from(models).where(eq(models.slug, "seatbelt"));
  if (!model) return;
  const [held] = await db
    .select({ n: modelVersions.number })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), isNotNull(modelVersions.artifactSha256)));
  if (held) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  await seedVersion(db, store, actor, "seatbelt", {
    bytes: () => fs.readFileSync(SEATBELT_MODEL_FILE),
    file: "seatbelt-v2.onnx",
    description: DESCRIPTION,
    status: "candidate",
    aliases: ["staging"],
    lineage: {
      entryPoint: "examples/seatbelt-classifier/train.py",
      dataset: { name: SEATBELT_SETS.train.tag, version: "1", rowCount: SEATBELT_SETS.train.count },
    },
    manifest: SEATBELT_MANIFEST,
    contract: SEATBELT_CONTRACT,
    tags: { dataset: SEATBELT_SETS.train.tag },
    modelCard: `> Demo data: trained by examples/seatbelt-classifier on generated cabin-camera crops.

## Intended use
Tells from the driver-facing camera whether the belt is fastened, unfastened or hidden (an arm, a bag or a jacket over the chest). ${DESCRIPTION}.

## Limitations
Trained on synthetic 96x96 crops only (seatbelt-train-v1); a hidden belt is the hardest case, and it is read as "obstructed", not as an alert.

## Evaluation
Computed by running this version on the tagged evaluation crops (seatbelt-eval-v1); see the safety review.
`,
  });
}

/** Idempotent: crops already held (same bytes) are skipped. */
export async function seedSeatbeltEvalFrames(db: Db, store: ArtifactStore, count = SEATBELT_SETS.eval.count): Promise<number> {
  return insertMissingFrames(db, store, null, await generateCabinFrames("eval", count));
}

export function seedSeatbeltEvaluations(db: Db, store: ArtifactStore): Promise<void> {
  return seedSuiteEvaluations(db, store, "seatbelt");
}
