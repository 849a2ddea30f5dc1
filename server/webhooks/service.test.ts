import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  alertResponses,
  alerts,
  auditLog,
  deploymentEvents,
  deployments,
  deploymentTargets,
  environments,
  incidents,
  modelVersions,
  webhookAttempts,
  webhookDeliveries,
  webhookTargets,
} from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createExperiment, createRun } from "@/server/experiments/service";
import { applyAlertSteps, type AlertRule } from "@/server/monitoring/alerts";
import { createModel, registerVersion, setAlias } from "@/server/registry/service";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { runPendingResponses } from "./responses";
import { TRIGGER_TAG } from "./schemas";
import { addAllowEntry, alertRouting, createTarget, deliverDue, deliveryLog, sendTest } from "./service";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verifySignature } from "./sign";

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };

let t: TestEnv;
let server: http.Server;
let base = "";
const received: Received[] = [];
let modelId = "";
const NOW = new Date("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);

const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  ruleKey: `slo:${Math.random().toString(36).slice(2)}:page`,
  subject: "cam",
  kind: "slo",
  severity: "page",
  modelId,
  title: "Availability budget burning for cam",
  forMs: 0,
  ...over,
});
async function fire(r: AlertRule, when = NOW, evidence: Record<string, unknown> = { budgetRemaining: 0.4 }) {
  await applyAlertSteps(t.db, r, [{ at: when, condition: true, evidence }]);
  const [a] = await t.db.select().from(alerts).where(eq(alerts.ruleKey, r.ruleKey));
  return a;
}

beforeAll(async () => {
  t = await setupTestEnv();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (req.url?.startsWith("/fail")) res.writeHead(503).end("INTERNAL-SECRET-DATA: db_password=hunter2");
      else res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const eng = t.actors.engineer;
  modelId = (await createModel(t.db, eng, { slug: "cam", name: "Camera", team: "platform", task: "classification" })).id;
  const store = new LocalArtifactStore("/tmp/unused-webhooks-store");
  await registerVersion(t.db, store, eng, "cam", { artifactUri: "s3://b/cam1.onnx" });
  await registerVersion(t.db, store, eng, "cam", { artifactUri: "s3://b/cam2.onnx" });
  await setAlias(t.db, eng, "cam", "production", 1);
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});
beforeEach(() => {
  received.length = 0;
});

describe("webhook targets", () => {
  it("refuses a loopback target until an admin allow-lists it, and shows the secret once", async () => {
    await expect(createTarget(t.db, t.actors.admin, { name: "Local receiver", url: `${base}/hook`, format: "generic" })).rejects.toThrow(
      /private address|loopback/,
    );
    expect(await codeOf(t.caller("engineer").webhooks.allow({ entry: "127.0.0.1" }))).toBe("FORBIDDEN");
    await addAllowEntry(t.db, t.actors.admin, { entry: "127.0.0.1", note: "test receiver" });
    const { target, secret } = await t.caller("admin").webhooks.create({ name: "Local receiver", url: `${base}/hook`, format: "generic" });
    expect(secret).toMatch(/^whsec_/);
    expect(target).not.toHaveProperty("secret");
    const list = await t.caller("admin").webhooks.targets();
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(await codeOf(t.caller("engineer").webhooks.targets())).toBe("FORBIDDEN");
    expect(await codeOf(t.caller("viewer").webhooks.create({ name: "x", url: `${base}/x`, format: "generic" }))).toBe("FORBIDDEN");
  });

  it("sends a signed delivery when an alert fires, and another when it resolves", async () => {
    const [target] = await t.db.select().from(webhookTargets).where(eq(webhookTargets.name, "Local receiver"));
    const r = rule();
    const a = await fire(r);
    expect(await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.alertId, a.id))).toHaveLength(1);
    expect(received).toHaveLength(0); // nothing is sent inside the alert's transaction
    const sent = await deliverDue(t.db, { now: NOW });
    expect(sent).toEqual([expect.objectContaining({ state: "succeeded", status: 200 })]);
    expect(received).toHaveLength(1);
    const got = received[0];
    expect(got.path).toBe("/hook");
    expect(got.headers[EVENT_HEADER.toLowerCase()]).toBe("alert.firing");
    expect(got.headers[DELIVERY_HEADER.toLowerCase()]).toBe(sent[0].id);
    expect(verifySignature(target.secret, String(got.headers[SIGNATURE_HEADER.toLowerCase()]), got.body, NOW)).toBe(true);
    expect(verifySignature("whsec_wrong", String(got.headers[SIGNATURE_HEADER.toLowerCase()]), got.body, NOW)).toBe(false);
    expect(JSON.parse(got.body)).toMatchObject({ event: "alert.firing", alert: { id: a.id, title: r.title, model: "cam", severity: "page" } });

    await applyAlertSteps(t.db, r, [{ at: at(60_000), condition: false, evidence: {} }]);
    await deliverDue(t.db, { now: at(60_000) });
    expect(received.map((x) => x.headers[EVENT_HEADER.toLowerCase()])).toEqual(["alert.firing", "alert.resolved"]);
    const routing = await t.caller("viewer").webhooks.alertRouting({ alertIds: [a.id] });
    expect(routing[a.id].notified.map((n) => [n.target, n.event, n.state])).toEqual([
      ["Local receiver", "alert.firing", "succeeded"],
      ["Local receiver", "alert.resolved", "succeeded"],
    ]);
  });

  it("retries a failing receiver on the backoff schedule, then logs it failed", async () => {
    const { target } = await createTarget(t.db, t.actors.admin, { name: "Broken receiver", url: `${base}/fail`, format: "slack", kinds: ["freshness"] });
    const a = await fire(rule({ kind: "freshness", severity: "ticket", title: "Telemetry from cam is stale" }));
    const mine = async () => (await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.targetId, target.id)))[0];
    const d0 = await mine();
    expect(d0.alertId).toBe(a.id);
    let clock = 0;
    const tries: number[] = [];
    for (const wait of [0, 30_000, 120_000, 600_000, 3_600_000]) {
      // One second early: not due yet.
      if (wait) expect((await deliverDue(t.db, { now: at(clock + wait - 1000) })).filter((s) => s.id === d0.id)).toEqual([]);
      clock += wait;
      await deliverDue(t.db, { now: at(clock) });
      tries.push((await mine()).attempts);
    }
    expect(tries).toEqual([1, 2, 3, 4, 5]);
    const d = await mine();
    expect(d).toMatchObject({ state: "failed", lastStatus: 503, attempts: 5 });
    expect(d.lastError).toMatch(/^HTTP 503/);
    expect(received.filter((x) => x.path === "/fail")).toHaveLength(5);
    // Slack format: text and blocks.
    expect(JSON.parse(received.find((x) => x.path === "/fail")!.body)).toMatchObject({
      text: expect.stringContaining("Telemetry from cam is stale"),
      blocks: expect.any(Array),
    });
    expect(await deliverDue(t.db, { now: at(clock + 10 * 3_600_000) })).toEqual([]);
    const log = await t.caller("admin").webhooks.deliveries({ targetId: target.id });
    expect(log.total).toBe(1);
    expect(log.items[0].attemptLog.map((x) => x.statusCode)).toEqual([503, 503, 503, 503, 503]);
    // The receiver's error page is neither stored nor shown: only its status and a hash.
    const hash = createHash("sha256").update("INTERNAL-SECRET-DATA: db_password=hunter2").digest("hex");
    expect(d.lastError).toBe(`HTTP 503; response body sha256 ${hash} (41 bytes)`);
    expect(JSON.stringify(log)).not.toContain("INTERNAL-SECRET");
    expect(JSON.stringify(await t.db.select().from(webhookAttempts))).not.toContain("INTERNAL-SECRET");
  });

  it("respects model, severity and kind filters", async () => {
    const { target } = await createTarget(t.db, t.actors.admin, {
      name: "Pages only",
      url: `${base}/pages`,
      format: "generic",
      minSeverity: "page",
      model: "cam",
    });
    await fire(rule({ kind: "drift", severity: "warning", ruleKey: "drift:filtered" }));
    expect(await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.targetId, target.id))).toHaveLength(0);
    await fire(rule());
    const [queued] = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.targetId, target.id));
    expect(queued.targetName).toBe("Pages only");
    // Deleted before sending: the delivery stays in the log, failed, under the name it had.
    await t.caller("admin").webhooks.remove({ id: target.id });
    expect((await deliverDue(t.db, { now: NOW })).find((o) => o.id === queued.id)).toMatchObject({ state: "failed", error: "The target was deleted" });
    const log = await deliveryLog(t.db, {});
    expect(log.items.find((i) => i.id === queued.id)).toMatchObject({ target: "Pages only", state: "failed", targetId: null });
  });

  it("sends a test message at once and logs it", async () => {
    const [target] = await t.db.select().from(webhookTargets).where(eq(webhookTargets.name, "Local receiver"));
    const r = await sendTest(t.db, t.actors.admin, { id: target.id });
    expect(r).toMatchObject({ state: "succeeded", status: 200 });
    expect(JSON.parse(received[0].body)).toMatchObject({ event: "test" });
    const log = await deliveryLog(t.db, { targetId: target.id });
    expect(log.items[0]).toMatchObject({ event: "test", state: "succeeded", attempts: 1 });
  });
});

describe("automated responses", () => {
  let retrainTargetId = "";
  let deploymentId = "";
  beforeAll(async () => {
    retrainTargetId = (await createTarget(t.db, t.actors.admin, { name: "Training pipeline", url: `${base}/retrain`, format: "retrain" })).target.id;
    await t.db.insert(environments).values({ key: "staging", name: "Staging", rank: 1, protected: false }).onConflictDoNothing();
    const [tgt] = await t.db
      .insert(deploymentTargets)
      .values({ slug: "bench", name: "Bench", kind: "cloud-online", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
      .returning();
    const vs = await t.db.select().from(modelVersions).where(eq(modelVersions.modelId, modelId));
    const v1 = vs.find((v) => v.number === 1)!;
    const v2 = vs.find((v) => v.number === 2)!;
    const [d] = await t.db
      .insert(deployments)
      .values({ targetId: tgt.id, modelId, stableVersionId: v1.id, candidateVersionId: v2.id, state: "canary", step: 1 })
      .returning();
    deploymentId = d.id;
  });

  it("lets engineers configure responses, not viewers; retrain needs a retrain-format target", async () => {
    expect(await codeOf(t.caller("viewer").webhooks.setResponseRule({ model: "cam", alertKind: "slo", response: "pause-rollout" }))).toBe("FORBIDDEN");
    const [generic] = await t.db.select().from(webhookTargets).where(eq(webhookTargets.name, "Local receiver"));
    expect(await codeOf(t.caller("engineer").webhooks.setResponseRule({ model: "cam", alertKind: "drift", response: "retrain", targetId: generic.id }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(t.caller("engineer").webhooks.setResponseRule({ model: "cam", alertKind: "drift", response: "open-sesame" }))).toBe("BAD_REQUEST");
    await t.caller("engineer").webhooks.setResponseRule({ model: "cam", alertKind: "slo", response: "pause-rollout" });
    await t.caller("engineer").webhooks.setResponseRule({ model: "cam", alertKind: "drift", response: "retrain", targetId: retrainTargetId, lookbackDays: 7 });
    const rules = await t.caller("viewer").webhooks.responseRules({ model: "cam" });
    expect(rules.rules.map((r) => `${r.alertKind}:${r.response}`)).toEqual(["drift:retrain", "slo:pause-rollout"]);
    expect(rules.kinds.map((k) => k.kind)).toEqual(["pause-rollout", "retrain", "open-incident"]);
  });

  it("pauses the rollout in flight as the system, once, and records it on the alert", async () => {
    const a = await fire(rule());
    expect(await runPendingResponses(t.db, { now: NOW })).toBe(1);
    expect(await runPendingResponses(t.db, { now: NOW })).toBe(0);
    const [d] = await t.db.select().from(deployments).where(eq(deployments.id, deploymentId));
    expect(d.state).toBe("paused");
    const events = await t.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, deploymentId)).orderBy(deploymentEvents.id);
    expect(events.filter((e) => e.actorLabel !== "serving adapter").map((e) => [e.kind, e.actorLabel])).toEqual([
      ["pause", `Sentinel, responding to alert “${a.title}”`],
    ]);
    // On a cloud-online target the serving adapter follows the committed pause (server/deployments/apply.ts).
    expect(events.at(-1)!.kind).toMatch(/^serving\.(applied|failed)$/);
    const routing = (await alertRouting(t.db, [a.id]))[a.id];
    expect(routing.responses).toEqual([
      expect.objectContaining({ response: "pause-rollout", state: "done", outcome: "Paused the rollout of v2 on Bench", link: `/deployments/${deploymentId}` }),
    ]);

    // The next alert finds nothing rolling out, and says so.
    const b = await fire(rule());
    await runPendingResponses(t.db, { now: NOW });
    // The system user was created lazily by the first response, and that creation is audited once.
    const created = (
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "user.create"), eq(auditLog.actorLabel, "system")))
    ).filter((r) => (r.after as { email?: string } | null)?.email === "automated-responses@sentinel.system");
    expect(created).toHaveLength(1);
    expect(created[0].after).toMatchObject({ active: false, role: "admin" });
    const [rb] = await t.db.select().from(alertResponses).where(eq(alertResponses.alertId, b.id));
    expect(rb).toMatchObject({ state: "skipped", outcome: "No rollout in flight" });
  });

  it("opens an incident from the alert once, pre-filled, and links it on the alert", async () => {
    await t.caller("engineer").webhooks.setResponseRule({ model: "cam", alertKind: "freshness", response: "open-incident" });
    const a = await fire(rule({ kind: "freshness", severity: "page", ruleKey: "freshness:cam", title: "Telemetry from cam stopped" }));
    await runPendingResponses(t.db, { now: NOW });
    const [resp] = await t.db.select().from(alertResponses).where(eq(alertResponses.alertId, a.id));
    expect(resp).toMatchObject({ response: "open-incident", state: "done" });
    const [inc] = await t.db.select().from(incidents).where(eq(incidents.alertId, a.id));
    expect(inc).toMatchObject({ title: "Telemetry from cam stopped", modelId, status: "investigating" });
    expect(resp.link).toBe(`/incidents/${inc.id}`);
    expect(resp.outcome).toBe(`Opened a ${inc.severity} incident: Telemetry from cam stopped`);
    // Running the responses again does nothing more: one incident per alert.
    await runPendingResponses(t.db, { now: NOW });
    expect(await t.db.select().from(incidents).where(eq(incidents.alertId, a.id))).toHaveLength(1);
  });

  it("asks the training pipeline to retrain with a signed request, and shows the run it logs", async () => {
    const evidence = {
      method: "ks",
      statistic: 0.4,
      pValue: 0.001,
      threshold: 0.05,
      windowStart: at(-3_600_000),
      windowEnd: NOW,
      reference: { kind: "numeric", edges: [0, 1], counts: [5] },
    };
    const a = await fire(rule({ kind: "drift", severity: "warning", ruleKey: "drift:brightness", title: "Drift in brightness of cam v1" }), NOW, evidence);
    await runPendingResponses(t.db, { now: NOW });
    const [resp] = await t.db.select().from(alertResponses).where(eq(alertResponses.alertId, a.id));
    expect(resp).toMatchObject({ response: "retrain", state: "done" });
    expect(resp.outcome).toMatch(/^Asked Training pipeline to retrain on 7 days/);
    await deliverDue(t.db, { now: NOW });
    const got = received.find((x) => x.path === "/retrain")!;
    expect(got.headers[EVENT_HEADER.toLowerCase()]).toBe("retrain");
    const [target] = await t.db.select().from(webhookTargets).where(eq(webhookTargets.id, retrainTargetId));
    expect(verifySignature(target.secret, String(got.headers[SIGNATURE_HEADER.toLowerCase()]), got.body, NOW)).toBe(true);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      event: "retrain",
      alert_id: a.id,
      model: "cam",
      version: 1,
      evidence: { statistic: 0.4, reference: { kind: "numeric" } },
      runTag: { key: TRIGGER_TAG, value: a.id },
    });
    expect(new Date(body.dataWindow.to).getTime()).toBe(NOW.getTime());
    expect(new Date(body.dataWindow.from).getTime()).toBe(NOW.getTime() - 7 * 86_400_000);

    // The pipeline logs its run through the MLflow door with the trigger tag.
    const exp = await createExperiment(t.db, t.actors.engineer, { name: "cam-retrain" });
    const run = await createRun(t.db, t.actors.engineer, {
      experimentId: String(exp.id),
      runName: "retrain-after-drift",
      tags: [{ key: TRIGGER_TAG, value: a.id }],
    });
    const routing = (await t.caller("viewer").webhooks.alertRouting({ alertIds: [a.id] }))[a.id];
    expect(routing.runs).toEqual([expect.objectContaining({ runId: run.info.runId, runName: "retrain-after-drift" })]);
    expect(routing.notified.map((n) => [n.target, n.event, n.state])).toContainEqual(["Training pipeline", "retrain", "succeeded"]);
  });
});
