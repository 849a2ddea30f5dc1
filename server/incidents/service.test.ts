import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alerts,
  auditLog,
  deploymentEvents,
  deployments,
  deploymentTargets,
  driftEvaluations,
  driftMonitors,
  environments,
  incidentEntries,
  incidents,
  modelVersions,
  oncallRotations,
} from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion } from "@/server/registry/service";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { postmortemMarkdown } from "./postmortem";
import { declareIncidentFromAlert } from "./service";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-incidents-"));
const ids = { model: "", prod: "", staging: "", alert: "", runbook: "" };
let key = 0;
const k = () => `incident-key-${++key}`;

beforeAll(async () => {
  t = await setupTestEnv();
  const store = new LocalArtifactStore(root);
  const eng = t.actors.engineer;
  const model = await createModel(t.db, eng, { slug: "cam-test", name: "Camera test", team: "perception", task: "classification" });
  ids.model = model.id;
  for (const n of [1, 2]) await registerVersion(t.db, store, eng, "cam-test", { status: "approved", artifactUri: `s3://bucket/cam/${n}.onnx` });
  await t.db.insert(environments).values([
    { key: "staging", name: "Staging", rank: 1, protected: false },
    { key: "production", name: "Production", rank: 2, protected: true },
  ]);
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "eu-fleet", name: "EU-fleet", kind: "edge-fleet", environment: "production", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  const [bench] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "bench", name: "Bench", kind: "cloud-online", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  const vs = await t.db.select().from(modelVersions).orderBy(modelVersions.number);
  const [prod] = await t.db.insert(deployments).values({ targetId: fleet.id, modelId: model.id, stableVersionId: vs[1].id }).returning();
  const [staging] = await t.db.insert(deployments).values({ targetId: bench.id, modelId: model.id, stableVersionId: vs[1].id }).returning();
  ids.prod = prod.id;
  ids.staging = staging.id;
  const hourAgo = new Date(Date.now() - 3_600_000);
  // A deploy two hours ago: it belongs in "what changed in the last 24 hours".
  await t.db.insert(deploymentEvents).values({
    deploymentId: prod.id,
    actorLabel: "engineer@test.local",
    kind: "promote",
    fromVersion: 1,
    toVersion: 2,
    summary: "Promote v2 on fleet EU-fleet",
    revision: 1,
    at: new Date(Date.now() - 2 * 3_600_000),
  });
  const [alert] = await t.db
    .insert(alerts)
    .values({
      ruleKey: "drift:m1",
      subject: "cam-test/2/brightness",
      kind: "drift",
      severity: "page",
      modelId: model.id,
      title: "Drift in brightness of cam-test v2",
      state: "firing",
      evidence: { psi: 0.4, threshold: 0.2 },
      startedAt: hourAgo,
      firingAt: hourAgo,
      lastEvaluatedAt: new Date(),
    })
    .returning();
  ids.alert = alert.id;
  // Drift verdicts: stable, then drifting from 50 minutes ago; only the flip belongs on the timeline.
  const [mon] = await t.db
    .insert(driftMonitors)
    .values({
      modelId: model.id,
      version: 2,
      source: "feature",
      name: "brightness",
      referenceFrom: new Date(0),
      referenceTo: new Date(1),
      reference: { kind: "categorical", counts: {} },
      referenceCount: 1,
    })
    .returning();
  for (const [minsAgo, drifted] of [
    [80, false],
    [65, false],
    [50, true],
    [35, true],
  ] as const) {
    const ws = new Date(Date.now() - minsAgo * 60_000);
    await t.db.insert(driftEvaluations).values({
      monitorId: mon.id,
      windowStart: ws,
      windowEnd: new Date(ws.getTime() + 15 * 60_000),
      method: "psi",
      statistic: drifted ? 0.4 : 0.05,
      threshold: 0.2,
      drifted,
      referenceCount: 1,
      currentCount: 1,
      reference: { kind: "categorical", counts: {} },
      current: { kind: "categorical", counts: {} },
    });
  }
  const rb = await t.caller("engineer").runbooks.save({
    title: "Camera drift at night",
    body: "## Steps\n- [ ] Check the cohort\n- [ ] Roll back if a deploy lines up\n\n::action{rollback}\n",
    links: { alertKinds: ["drift"], rulePrefixes: [], models: ["cam-test"], services: ["camera fleet"] },
  });
  ids.runbook = rb.id;
  await t.db.insert(oncallRotations).values({
    name: "Camera",
    service: "camera fleet",
    members: [t.actors.engineer.userId, t.actors.admin.userId],
    startsAt: new Date(Date.now() - 3 * 86_400_000),
    periodDays: 7,
  });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("incidents", () => {
  it("declares from an alert as the system, pre-filled, with the on-call person notified and in command; a repeat returns the same incident", async () => {
    const inc = await declareIncidentFromAlert(t.db, ids.alert, null);
    expect(inc.existing).toBe(false);
    expect(inc.severity).toBe("sev2");
    expect(inc.modelId).toBe(ids.model);
    expect(inc.versions).toEqual([2]);
    expect([...inc.deploymentIds].sort()).toEqual([ids.prod, ids.staging].sort());
    expect(inc.evidence).toEqual({ psi: 0.4, threshold: 0.2 });
    expect(inc.runbookId).toBe(ids.runbook);
    expect(inc.commanderId).toBe(t.actors.engineer.userId);
    expect(inc.acknowledgedAt).toBeNull();
    const again = await declareIncidentFromAlert(t.db, ids.alert, null);
    expect(again.existing).toBe(true);
    expect(again.id).toBe(inc.id);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "incident.declare"), eq(auditLog.entityId, inc.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorLabel).toBe("system");

    const v = await t.caller("viewer").incidents.get({ id: inc.id });
    expect(v.notified.map((n) => n.text)).toEqual(["Notified engineer@test.local, on call for Camera"]);
    expect(v.alert?.title).toBe("Drift in brightness of cam-test v2");
    expect(v.runbook?.checklist.map((c) => c.text)).toEqual(["Check the cohort", "Roll back if a deploy lines up"]);
  });

  it("merges the timeline: alert, deploy, the drift flip (not every verdict) and entries, oldest first; what changed lists the deploy", async () => {
    const [inc] = await t.db.select().from(incidents).where(eq(incidents.alertId, ids.alert));
    const v = await t.caller("viewer").incidents.get({ id: inc.id });
    const kinds = v.timeline.map((x) => `${x.source}:${x.kind}`);
    expect(kinds).toEqual(["deployment:promote", "alert:alert.fire", "drift:drift.start", "incident:declare", "incident:notified"]);
    for (let i = 1; i < v.timeline.length; i++) expect(v.timeline[i].at.getTime()).toBeGreaterThanOrEqual(v.timeline[i - 1].at.getTime());
    expect(v.changes.map((c) => c.kind)).toContain("promote");
  });

  it("walks the statuses, recording time to acknowledge and to mitigate; refuses a resolved incident jumping back to mitigated", async () => {
    const eng = t.caller("engineer");
    const [inc] = await t.db.select().from(incidents).where(eq(incidents.alertId, ids.alert));
    expect(await codeOf(t.caller("viewer").incidents.acknowledge({ id: inc.id }))).toBe("FORBIDDEN");
    await eng.incidents.acknowledge({ id: inc.id });
    expect(await codeOf(eng.incidents.acknowledge({ id: inc.id }))).toBe("PRECONDITION_FAILED");
    await eng.incidents.setStatus({ id: inc.id, status: "identified", note: "brightness shift after the v2 deploy" });
    let v = await eng.incidents.get({ id: inc.id });
    // The alert fired an hour ago: TTA counts from then.
    expect(v.ttaMs).toBeGreaterThanOrEqual(3_590_000);
    expect(v.ttmMs).toBeNull();
    await eng.incidents.setStatus({ id: inc.id, status: "mitigated" });
    v = await eng.incidents.get({ id: inc.id });
    expect(v.ttmMs).toBeGreaterThanOrEqual(v.ttaMs!);
    const mitigatedAt = v.mitigatedAt;
    await eng.incidents.setStatus({ id: inc.id, status: "resolved" });
    expect(await codeOf(eng.incidents.setStatus({ id: inc.id, status: "mitigated" }))).toBe("PRECONDITION_FAILED");
    await eng.incidents.setStatus({ id: inc.id, status: "investigating", note: "it came back" });
    v = await eng.incidents.get({ id: inc.id });
    expect(v.status).toBe("investigating");
    expect(v.resolvedAt).toBeNull();
    // The first mitigation stays the one TTM measures.
    expect(v.mitigatedAt).toEqual(mitigatedAt);
    const statusAudit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "incident.status"), eq(auditLog.entityId, inc.id)));
    expect(statusAudit).toHaveLength(4);
  });

  it("records checklist ticks on the timeline and shows the newest state", async () => {
    const eng = t.caller("engineer");
    const [inc] = await t.db.select().from(incidents).where(eq(incidents.alertId, ids.alert));
    await eng.incidents.tick({ id: inc.id, item: 1, checked: true });
    await eng.incidents.tick({ id: inc.id, item: 0, checked: true });
    await eng.incidents.tick({ id: inc.id, item: 0, checked: false });
    expect(await codeOf(eng.incidents.tick({ id: inc.id, item: 7, checked: true }))).toBe("BAD_REQUEST");
    const v = await eng.incidents.get({ id: inc.id });
    expect(v.runbook!.checklist.map((c) => c.checked)).toEqual([false, true]);
    expect(v.timeline.filter((x) => x.kind === "checklist").map((x) => x.text)).toEqual([
      "Done: Roll back if a deploy lines up",
      "Done: Check the cohort",
      "Undone: Check the cohort",
    ]);
  });

  it("rolls back from the incident through the deployments service: audited twice, once on the timeline; the on-call engineer must say why", async () => {
    const [inc] = await t.db.select().from(incidents).where(eq(incidents.alertId, ids.alert));
    const v = await t.caller("engineer").incidents.get({ id: inc.id });
    const prod = v.deployments.find((d) => d.id === ids.prod)!;
    expect(prod.rollbackTo).toBe(1);
    // The engineer is on call (and commands the incident): allowed on production, but only with a written reason.
    expect(
      await codeOf(
        t
          .caller("engineer")
          .incidents.mitigate({ id: inc.id, deploymentId: ids.prod, action: "rollback", version: 1, revision: prod.revision, idempotencyKey: k() }),
      ),
    ).toBe("BAD_REQUEST");
    const refused = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "deployment.refused"), eq(auditLog.entityId, ids.prod)));
    expect(refused).toHaveLength(1);

    const res = await t
      .caller("admin")
      .incidents.mitigate({ id: inc.id, deploymentId: ids.prod, action: "rollback", version: 1, revision: prod.revision, idempotencyKey: k() });
    expect(res.summary).toMatch(/^Roll back fleet EU-fleet \(production\) from v2 to v1/);
    const after = await t.caller("viewer").incidents.get({ id: inc.id });
    expect(after.timeline.filter((x) => x.kind === "action").map((x) => x.text)).toEqual([res.summary]);
    // The deployment event it caused is the same action: not listed a second time.
    expect(after.timeline.some((x) => x.source === "deployment" && x.kind === "rollback")).toBe(false);
    expect(after.status).toBe("mitigated");
    expect(
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "incident.mitigate"), eq(auditLog.entityId, inc.id))),
    ).toHaveLength(1);
    expect(
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "deployment.rollback"), eq(auditLog.entityId, ids.prod))),
    ).toHaveLength(1);
  });

  it("records a mitigation in one transaction with its deployment change: a failed entry undoes the rollback, and the retry records it", async () => {
    const [inc] = await t.db.select().from(incidents).where(eq(incidents.alertId, ids.alert));
    const [before] = await t.db.select().from(deployments).where(eq(deployments.id, ids.staging));
    // The incident's entry cannot be written (as if the process died between the two writes).
    await t.db.execute(sql`create function refuse_entry() returns trigger language plpgsql as $$ begin raise exception 'entry write failed'; end $$`);
    await t.db.execute(sql`create trigger refuse_entry before insert on incident_entries for each row execute function refuse_entry()`);
    const input = { id: inc.id, deploymentId: ids.staging, action: "rollback" as const, version: 1, revision: before.revision, idempotencyKey: k() };
    await expect(t.caller("engineer").incidents.mitigate(input)).rejects.toThrow();
    const [unchanged] = await t.db.select().from(deployments).where(eq(deployments.id, ids.staging));
    expect(unchanged.revision).toBe(before.revision);
    await t.db.execute(sql`drop trigger refuse_entry on incident_entries`);
    await t.db.execute(sql`drop function refuse_entry()`);

    const res = await t.caller("engineer").incidents.mitigate(input);
    expect(res.replayed).toBe(false);
    const entries = await t.db
      .select()
      .from(incidentEntries)
      .where(and(eq(incidentEntries.incidentId, inc.id), eq(incidentEntries.kind, "action")));
    expect(entries.map((e) => e.text)).toContain(res.summary);
  });

  it("refuses a mitigation on a deployment outside the incident", async () => {
    const i = await t.caller("engineer").incidents.declare({ title: "Manual test incident", severity: "sev4" });
    expect(i.acknowledgedAt).not.toBeNull();
    expect(await codeOf(t.caller("admin").incidents.mitigate({ id: i.id, deploymentId: ids.prod, action: "pause", revision: 1, idempotencyKey: k() }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(t.caller("engineer").incidents.declare({ title: "Unknown model", severity: "sev3", model: "no-such-model" }))).toBe("BAD_REQUEST");
    expect(await codeOf(t.caller("viewer").incidents.declare({ title: "Viewer tries", severity: "sev3" }))).toBe("FORBIDDEN");
  });

  it("lists with filters and exports the postmortem as Markdown with the timeline and action items", async () => {
    const eng = t.caller("engineer");
    const open = await eng.incidents.list({ status: "open", model: "cam-test" });
    expect(open.map((i) => i.title)).toEqual(["Drift in brightness of cam-test v2"]);
    expect((await eng.incidents.list({ status: "all", severity: "sev4" })).map((i) => i.title)).toEqual(["Manual test incident"]);
    const [inc] = await t.db.select().from(incidents).where(eq(incidents.alertId, ids.alert));
    await eng.incidents.savePostmortem({
      id: inc.id,
      postmortem: {
        summary: "Night drift after v2.",
        impact: "5% of devices",
        rootCause: "Reference window had no night frames",
        wentWell: "Runbook",
        actionItems: [{ text: "Add night frames | to the reference", owner: "erin", due: "2026-12-01", done: false }],
      },
    });
    const v = await eng.incidents.get({ id: inc.id });
    const md = postmortemMarkdown(v);
    expect(md).toContain("# Postmortem: INC-");
    expect(md).toContain("## Root cause\n\nReference window had no night frames");
    expect(md).toContain("| no | Add night frames \\| to the reference | erin | 2026-12-01 |");
    expect(md).toMatch(/Roll back fleet EU-fleet \(production\) from v2 to v1/);
    const entries = await t.db
      .select()
      .from(incidentEntries)
      .where(and(eq(incidentEntries.incidentId, inc.id), eq(incidentEntries.kind, "postmortem")));
    expect(entries).toHaveLength(1);
  });
});
