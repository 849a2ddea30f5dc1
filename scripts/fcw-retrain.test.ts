// The retraining loop end to end: a drift alert on an FCW model fires, its "Trigger retraining" response sends a signed
// request to the team's training pipeline (scripts/fcw-pipeline.ts), the pipeline trains examples/fcw-detector through
// the unmodified MLflow client (a few steps), and the run and the version it registers link back to the alert.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, runTags } from "@/db/schema";
import { provideDatabase } from "@/server/db";
import { getLineage } from "@/server/lineage/service";
import { applyAlertSteps } from "@/server/monitoring/alerts";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, getVersion, registerVersion, setAlias, versionResource } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { runPendingResponses } from "@/server/webhooks/responses";
import { TRIGGER_TAG } from "@/server/webhooks/schemas";
import { addAllowEntry, createTarget, deliverDue } from "@/server/webhooks/service";
import { signatureHeader } from "@/server/webhooks/sign";
import { startTrainingPortal } from "./fcw-portal";
import { startRetrainPipeline } from "./fcw-pipeline";
import { findTrainingPython, uploadFcwFrames } from "./fcw-train-lib";
import { freePort } from "./free-port";

const python = findTrainingPython();
const skip = "skip" in python ? python.skip : null;
if (skip) console.warn(`Skipping the retraining pipeline test: ${skip}`);

describe.skipIf(skip !== null)("a drift alert retrains the FCW detector through the pipeline and the MLflow client", () => {
  let t: TestEnv;
  let portal: { url: string; close: () => Promise<void> };
  let pipeline: Awaited<ReturnType<typeof startRetrainPipeline>>;
  let secret = "";
  let pipelineUrl = "";
  let modelId = "";
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "fcw-retrain-"));

  beforeAll(async () => {
    if ("skip" in python) return;
    t = await setupTestEnv();
    provideDatabase(t);
    const eng = t.actors.engineer;
    const { token } = await createToken(t.db, eng, { name: "pipeline", scopes: ["runs:read", "runs:write", "models:read", "models:write", "frames:write"] });
    portal = await startTrainingPortal();
    await uploadFcwFrames(portal.url, token, 4);
    // Production runs a version; the alert fires for it.
    modelId = (await createModel(t.db, eng, { slug: "fcw-retrain", name: "FCW retrain", team: "perception", task: "detection" })).id;
    await registerVersion(t.db, new LocalArtifactStore(path.join(outDir, "unused")), eng, "fcw-retrain", { artifactUri: "s3://training/fcw-v1.onnx" });
    await setAlias(t.db, eng, "fcw-retrain", "production", 1);
    // The pipeline's address is a webhook target an admin allow-listed (it is on loopback here).
    const port = await freePort();
    pipelineUrl = `http://127.0.0.1:${port}`;
    await addAllowEntry(t.db, t.actors.admin, { entry: "127.0.0.1", note: "training pipeline in the test" });
    const created = await createTarget(t.db, t.actors.admin, { name: "FCW training pipeline", url: `${pipelineUrl}/retrain`, format: "retrain" });
    secret = created.secret;
    await t
      .caller("engineer")
      .webhooks.setResponseRule({ model: "fcw-retrain", alertKind: "drift", response: "retrain", targetId: created.target.id, lookbackDays: 7 });
    pipeline = await startRetrainPipeline(
      { secret, uri: portal.url, token, python, model: "fcw-retrain", registerAs: "FCW retrain", training: { epochs: 1, limit: 4, maxSteps: 2 }, outDir },
      port,
    );
  }, 300_000);
  afterAll(async () => {
    await pipeline?.close();
    await portal?.close();
    await t?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("refuses an unsigned request and a request for another model, starting nothing", async () => {
    const body = JSON.stringify({ event: "retrain", alert_id: crypto.randomUUID(), model: "fcw-retrain" });
    const unsigned = await fetch(`${pipelineUrl}/retrain`, { method: "POST", body });
    expect(unsigned.status).toBe(401);
    const other = JSON.stringify({
      event: "retrain",
      alert_id: crypto.randomUUID(),
      model: "seatbelt",
      version: 1,
      reason: "x",
      dataWindow: { from: "a", to: "b" },
      runTag: { key: TRIGGER_TAG, value: "x" },
    });
    const wrong = await fetch(`${pipelineUrl}/retrain`, { method: "POST", body: other, headers: { "x-sentinel-signature": signatureHeader(secret, other) } });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: string }).error).toContain("retrains fcw-retrain, not seatbelt");
    expect(pipeline.jobs()).toEqual([]);
  });

  it("trains once per alert, logs the run with the alert's tag, registers a version, and the lineage leads from the alert to it", async () => {
    const rule = {
      ruleKey: "drift:night-brightness",
      subject: "fcw-retrain/1",
      kind: "drift",
      severity: "warning",
      modelId,
      title: "Drift in brightness at night",
      forMs: 0,
    } as const;
    await applyAlertSteps(t.db, rule, [{ at: new Date(), condition: true, evidence: { method: "psi", statistic: 0.31 } }]);
    const [alert] = await t.db.select().from(alerts).where(eq(alerts.ruleKey, rule.ruleKey));
    expect(await runPendingResponses(t.db)).toBe(1);
    const sent = await deliverDue(t.db);
    expect(sent).toEqual([expect.objectContaining({ state: "succeeded", status: 202 })]);
    expect(pipeline.jobs()).toEqual([expect.objectContaining({ alertId: alert.id, state: expect.stringMatching(/queued|running/) })]);

    // The same request again (a retried delivery): the job already started is the answer.
    const again = JSON.stringify({
      event: "retrain",
      alert_id: alert.id,
      model: "fcw-retrain",
      version: 1,
      reason: alert.title,
      dataWindow: { from: "a", to: "b" },
      runTag: { key: TRIGGER_TAG, value: alert.id },
    });
    const dup = await fetch(`${pipelineUrl}/retrain`, { method: "POST", body: again, headers: { "x-sentinel-signature": signatureHeader(secret, again) } });
    expect(dup.status).toBe(200);
    expect(await dup.json()).toMatchObject({ duplicate: true });

    await pipeline.idle();
    const [job] = pipeline.jobs();
    expect(job).toMatchObject({ state: "succeeded", version: 2, error: null });
    expect(pipeline.jobs()).toHaveLength(1);
    const tags = await t.db.select().from(runTags).where(eq(runTags.runId, job.runId!));
    expect(tags).toContainEqual(expect.objectContaining({ key: TRIGGER_TAG, value: alert.id }));
    // The alert shows the run it asked for, and the version registered from that run carries its lineage.
    const routing = (await t.caller("viewer").webhooks.alertRouting({ alertIds: [alert.id] }))[alert.id];
    expect(routing.runs).toEqual([expect.objectContaining({ runId: job.runId })]);
    expect(versionResource(await getVersion(t.db, "fcw-retrain", 2)).lineage).toMatchObject({ sourceRunId: job.runId });
    const graph = await getLineage(t.db, { entity: `alert:${alert.id}`, depth: 2 });
    const runNode = `run:${job.runId}`;
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: `alert:${alert.id}`, to: runNode }));
    expect(graph.edges.find((e) => e.to === runNode)?.label).toBe("triggered");
  }, 600_000);
});
