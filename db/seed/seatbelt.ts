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
import { createExperiment, importRuns } from "@/server/experiments/service";
import { generateCabinFrames, SEATBELT_SETS } from "@/server/demo/cabin-frames";
import { SEATBELT_CONTRACT, SEATBELT_MANIFEST, SEATBELT_MODEL_FILE } from "@/server/demo/seatbelt-model";
import { seedSuiteEvaluations } from "./fcw";
import { insertMissingFrames } from "./frames";
import { seedVersion } from "./registry";

const DESCRIPTION = "Trained on the cabin-camera crops seatbelt-train-v1";

/**
 * The training run as `npm run demo:train -- --task seatbelt` logged it here (examples/seatbelt-classifier/README.md):
 * the demo database has no MLflow server behind it, so the seed records that run's params and final metrics, and the
 * version's lineage points at it like every other demo version's.
 */
const TRAINING_RUN = {
  params: {
    architecture: "cnn-4x-conv-gap",
    parameters: "47027",
    input: "64x64",
    epochs: "30",
    batch_size: "16",
    lr: "0.01",
    optimizer: "AdamW+OneCycle",
    seed: "1947",
    train_tag: "seatbelt-train-v1",
    eval_tag: "seatbelt-eval-v1",
    train_frames: "360",
    eval_frames: "120",
  },
  metrics: {
    accuracy: 0.8833,
    recall_fastened: 1,
    precision_fastened: 0.9756,
    recall_unfastened: 0.925,
    precision_unfastened: 0.7872,
    recall_obstructed: 0.725,
    precision_obstructed: 0.9063,
    train_seconds: 22.5,
  },
  sha256: "a79185a0630e2c5ef16daad0137aa850137414d899346b5fca02390f05b771e7",
};

async function recordTrainingRun(db: Db, actor: Actor): Promise<string> {
  const e = await createExperiment(db, actor, {
    name: "seatbelt-classifier",
    tags: [
      { key: "team", value: "driver-monitoring" },
      { key: "demo", value: "true" },
    ],
  });
  const t0 = Date.UTC(2026, 11, 6, 18, 45, 0);
  const [runId] = await importRuns(db, actor, String(e.id), [
    {
      runName: "seatbelt-v2",
      status: "FINISHED",
      startTime: t0,
      endTime: t0 + 23_000,
      params: TRAINING_RUN.params,
      tags: { demo: "true", dataset: "seatbelt-train-v1", task: "seatbelt", onnx_sha256: TRAINING_RUN.sha256, "mlflow.source.name": "train.py" },
      metrics: Object.entries(TRAINING_RUN.metrics).map(([key, value]) => ({ key, steps: [29], values: [value], timestamps: [t0 + 23_000] })),
    },
  ]);
  return runId;
}

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
  const sourceRunId = await recordTrainingRun(db, actor);
  await seedVersion(db, store, actor, "seatbelt", {
    bytes: () => fs.readFileSync(SEATBELT_MODEL_FILE),
    file: "seatbelt-v2.onnx",
    description: DESCRIPTION,
    status: "candidate",
    aliases: ["staging"],
    lineage: {
      sourceRunId,
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
