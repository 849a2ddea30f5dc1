// Demo lineage at both ends of the chain: the dataset each demo version's training run used (logged as an MLflow run
// input, as `mlflow.log_input` does), and the retraining run the FCW night-drift alert asked the training pipeline
// for, still running, tagged with the alert (what scripts/fcw-pipeline.ts does for real).
import { createHash } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, models, modelVersions, runs } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { FCW_SETS } from "@/server/demo/fcw-frames";
import { DATASET_CONTEXT_TAG, logInputs } from "@/server/experiments/datasets";
import { importRuns } from "@/server/experiments/service";
import type { TLineage } from "@/server/registry/schemas";
import { TRIGGER_TAG } from "@/server/webhooks/schemas";

const FCW = "forward-collision-warning";
const digestOf = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 8);

/** The dataset a version's lineage names, as MLflow would record it; FCW's is the pinned frame set on this portal. */
function datasetOf(slug: string, d: NonNullable<TLineage["dataset"]>) {
  const fcw = Object.values(FCW_SETS).find((s) => s.tag === d.name);
  if (fcw) return { name: d.name, digest: digestOf(`${fcw.tag}:${fcw.baseSeed}:${fcw.count}`), source_type: "http", source: `/api/v1/frames?tag=${fcw.tag}` };
  return {
    name: d.name,
    digest: digestOf(`${d.name}@${d.version ?? ""}`),
    source_type: "demo",
    source: `demo dataset of ${slug}${d.version ? ` (${d.version})` : ""}`,
  };
}

export async function seedLineage(db: Db): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  const versions = await db
    .select({ slug: models.slug, number: modelVersions.number, lineage: modelVersions.lineage })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .orderBy(asc(models.slug), asc(modelVersions.number));
  let fcwRun: { experimentId: string; runId: string } | null = null;
  for (const v of versions) {
    const l = (v.lineage ?? {}) as TLineage;
    if (!l.sourceRunId || !l.dataset) continue;
    const [run] = await db.select({ experimentId: runs.experimentId }).from(runs).where(eq(runs.runId, l.sourceRunId));
    if (!run) continue;
    await logInputs(db, actor, {
      runId: l.sourceRunId,
      datasets: [{ dataset: datasetOf(v.slug, l.dataset), tags: [{ key: DATASET_CONTEXT_TAG, value: "training" }] }],
    });
    if (v.slug === FCW) fcwRun = { experimentId: String(run.experimentId), runId: l.sourceRunId };
  }

  // The night drift on FCW v3's canary asked for a retraining on the balanced set; that run is under way.
  const [alert] = await db
    .select({ id: alerts.id, startedAt: alerts.startedAt })
    .from(alerts)
    .innerJoin(models, eq(models.id, alerts.modelId))
    .where(and(eq(models.slug, FCW), eq(alerts.kind, "drift")))
    .orderBy(asc(alerts.startedAt))
    .limit(1);
  if (!alert || !fcwRun) return;
  const t0 = alert.startedAt.getTime() + 20 * 60_000;
  const epochs = 12;
  const loss = Array.from({ length: epochs }, (_, i) => Number((1.9 * Math.exp(-i / 5) + 0.42).toFixed(4)));
  const [runId] = await importRuns(db, actor, fcwRun.experimentId, [
    {
      runName: `retrain-${alert.id.slice(0, 8)}`,
      status: "RUNNING",
      startTime: t0,
      userId: "training-pipeline",
      params: { night_share: "0.5", epochs: "40", lr: "0.003", train_tag: FCW_SETS.train.tag, eval_tag: FCW_SETS.eval.tag },
      tags: {
        demo: "true",
        [TRIGGER_TAG]: alert.id,
        task: FCW,
        dataset: FCW_SETS.train.tag,
        "mlflow.user": "training-pipeline",
        "mlflow.source.name": "examples/fcw-detector/train.py",
        "mlflow.source.type": "JOB",
        "mlflow.note.content": "Started by the FCW training pipeline for the night pedestrian drift alert on the canary (demo data).",
      },
      metrics: [{ key: "loss", steps: loss.map((_, i) => i), values: loss, timestamps: loss.map((_, i) => t0 + (i + 1) * 90_000) }],
    },
  ]);
  const [fcwVersion] = versions.filter((v) => v.slug === FCW && (v.lineage as TLineage | null)?.dataset);
  await logInputs(db, actor, {
    runId,
    datasets: [{ dataset: datasetOf(FCW, (fcwVersion.lineage as TLineage).dataset!), tags: [{ key: DATASET_CONTEXT_TAG, value: "training" }] }],
  });
}
