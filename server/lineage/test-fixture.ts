// A small lineage chain for tests: dataset → run → v1 → v2 (derived) → deployment → target and device cohorts,
// an alert on v2 escalated to an incident, and the retraining run the alert triggered; plus a dataset used by many runs.
import type { Db } from "@/db/client";
import {
  alerts,
  deployments,
  deploymentTargets,
  deviceModelStates,
  devices,
  environments,
  experiments,
  incidents,
  mlflowDatasets,
  mlflowRunInputs,
  models,
  modelVersions,
  params,
  runs,
  runTags,
} from "@/db/schema";
import { bucketOf } from "@/server/deployments/cohort";
import { TRIGGER_TAG } from "@/server/webhooks/schemas";

const hex = (n: number, salt: string) => (salt + n.toString(16)).padStart(32, "0").slice(-32);

export async function seedLineageChain(db: Db, salt = "a") {
  const t0 = Date.UTC(2026, 10, 1);
  const [exp] = await db
    .insert(experiments)
    .values({ name: `lineage-${salt}` })
    .returning();
  const trainRun = hex(1, `${salt}1`);
  const retrainRun = hex(2, `${salt}2`);
  await db.insert(runs).values([
    { runId: trainRun, experimentId: exp.id, runName: "fcw-train", startTime: t0, status: "FINISHED" },
    { runId: retrainRun, experimentId: exp.id, runName: "fcw-retrain", startTime: t0 + 86_400_000, status: "RUNNING" },
  ]);
  await db.insert(params).values([
    { runId: trainRun, key: "lr", value: "0.001" },
    { runId: trainRun, key: "epochs", value: "30" },
  ]);
  const [dataset] = await db
    .insert(mlflowDatasets)
    .values({ experimentId: exp.id, name: "night-drives", digest: "d1g3st00", sourceType: "s3", source: "s3://data/night-drives" })
    .returning();
  await db.insert(mlflowRunInputs).values({ runId: trainRun, datasetId: dataset.id, tags: [{ key: "mlflow.data.context", value: "training" }] });
  // A dataset shared by many runs: its neighbourhood collapses.
  const [wide] = await db
    .insert(mlflowDatasets)
    .values({ experimentId: exp.id, name: "fleet-eval", digest: "e7a10000", sourceType: "s3", source: "s3://data/fleet-eval" })
    .returning();
  const many = Array.from({ length: 9 }, (_, i) => hex(100 + i, `${salt}9`));
  await db.insert(runs).values(many.map((runId, i) => ({ runId, experimentId: exp.id, runName: `eval-${i}`, startTime: t0 + i })));
  await db.insert(mlflowRunInputs).values(many.map((runId) => ({ runId, datasetId: wide.id })));

  const [model] = await db
    .insert(models)
    .values({ slug: `fcw-${salt}`, name: `FCW ${salt}`, team: "perception", task: "detection" })
    .returning();
  const [v1] = await db
    .insert(modelVersions)
    .values({ modelId: model.id, number: 1, status: "approved", lineage: { sourceRunId: trainRun, gitCommit: "abc1234" } })
    .returning();
  const [v2] = await db.insert(modelVersions).values({ modelId: model.id, number: 2, status: "approved", parentVersionId: v1.id }).returning();

  await db.insert(environments).values({ key: "production", name: "Production", rank: 2, protected: true }).onConflictDoNothing();
  const [target] = await db
    .insert(deploymentTargets)
    .values({
      slug: `eu-fleet-${salt}`,
      name: `EU fleet ${salt}`,
      kind: "edge-fleet",
      environment: "production",
      runtime: { onnxRuntime: "1.17", maxOpset: 17 },
    })
    .returning();
  const [dep] = await db.insert(deployments).values({ targetId: target.id, modelId: model.id, stableVersionId: v2.id }).returning();
  const devs = Array.from({ length: 5 }, (_, i) => `${salt}-dev-${i}`);
  await db.insert(devices).values(
    devs.map((id, i) => ({
      id,
      targetId: target.id,
      hardwareClass: "dashcam-gen3",
      firmware: i < 3 ? "3.4.1" : "3.2.0",
      region: "eu-west",
      bucket: bucketOf(id),
    })),
  );
  await db
    .insert(deviceModelStates)
    // The last device already runs a version 3 that nothing here was trained into: impact must not count it.
    .values(
      devs.map((deviceId, i) => ({ deviceId, modelId: model.id, runningVersion: i === devs.length - 1 ? 3 : 2, status: "running", reportedAt: new Date(t0) })),
    );

  const at = new Date(t0 + 3_600_000);
  const [alert] = await db
    .insert(alerts)
    .values({
      ruleKey: `slo:test-${salt}:page`,
      subject: `${model.slug}/2/latency`,
      kind: "slo",
      severity: "page",
      modelId: model.id,
      title: "Latency budget burning",
      state: "firing",
      startedAt: at,
      firingAt: at,
      lastEvaluatedAt: at,
    })
    .returning();
  const [incident] = await db
    .insert(incidents)
    .values({ title: "Slow collision warnings", severity: "sev2", modelId: model.id, alertId: alert.id, versions: [2], deploymentIds: [dep.id], startedAt: at })
    .returning();
  await db.insert(runTags).values({ runId: retrainRun, key: TRIGGER_TAG, value: alert.id });
  return { exp, trainRun, retrainRun, dataset, wide, many, model, v1, v2, target, dep, devs, alert, incident };
}
