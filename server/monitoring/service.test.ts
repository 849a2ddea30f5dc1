import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { alerts, auditLog, driftEvaluations } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion, setAlias } from "@/server/registry/service";
import { LATENCY_BUCKETS, linearEdges } from "@/server/telemetry/histogram";
import { ingestSummaries } from "@/server/telemetry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { evaluateAll, evaluateModelNow, evaluateMonitors } from "./evaluate";
import { createMonitor, createSlo } from "./monitors";
import { modelMonitoring, monitoringOverview } from "./pages";
import { sloStatus } from "./slo-status";
import { firingAlertCount, listAlerts } from "./alerts";

let t: TestEnv;
const H = 3600_000;
const START = Date.UTC(2026, 2, 1, 0, 0);
const NOW = new Date(START + 12 * H);
const EDGES = linearEdges(0, 1, 10);

/** 12 hourly windows; brightness centred at 0.55, and from hour 9 at 0.2 (night); errors spike in the last hour. */
function windows() {
  return Array.from({ length: 12 }, (_, h) => {
    const night = h >= 9;
    const counts = EDGES.slice(0, -1).map((lo) => {
      const centre = lo + 0.05;
      const mu = night ? 0.2 : 0.55;
      return Math.round(200 * Math.exp(-(((centre - mu) / 0.12) ** 2)));
    });
    const latency = new Array(LATENCY_BUCKETS).fill(0);
    latency[13] = 400;
    return {
      idempotencyKey: `test-window-${h}`,
      model: "cam",
      version: 1,
      target: "device" as const,
      cohort: h % 2 ? "gen3" : "gen2",
      slice: { timeOfDay: night ? "night" : "day", region: h % 3 ? "eu" : "us" },
      windowStart: new Date(START + h * H).toISOString(),
      windowSeconds: 3600,
      requests: 400,
      errors: h === 11 ? 40 : 0,
      latencyMs: { counts: latency },
      features: { brightness: { kind: "numeric" as const, edges: EDGES, counts } },
      predictions: { class: { kind: "categorical" as const, counts: night ? { ok: 200, too_dark: 200 } : { ok: 390, too_dark: 10 } } },
    };
  });
}

beforeAll(async () => {
  t = await setupTestEnv();
  await createModel(t.db, t.actors.engineer, { slug: "cam", name: "Camera", team: "platform", task: "classification" });
  await registerVersion(t.db, new LocalArtifactStore("/tmp/unused-monitoring-store"), t.actors.engineer, "cam", { artifactUri: "s3://b/cam.onnx" });
  await setAlias(t.db, t.actors.engineer, "cam", "production", 1);
  await ingestSummaries(t.db, t.actors.engineer, { summaries: windows() }, { now: NOW, maxLatenessMs: 30 * 24 * H });
});
afterAll(async () => {
  await t.close();
});

describe("drift monitors", () => {
  it("freezes a reference from a past window and refuses one without data", async () => {
    const m = await createMonitor(t.db, t.actors.engineer, {
      model: "cam",
      version: 1,
      source: "feature",
      name: "brightness",
      referenceFrom: new Date(START),
      referenceTo: new Date(START + 6 * H),
    });
    expect(m.reference.kind).toBe("numeric");
    expect(m.referenceCount).toBeGreaterThan(1000);
    await createMonitor(t.db, t.actors.engineer, {
      model: "cam",
      version: 1,
      source: "prediction",
      name: "class",
      referenceFrom: new Date(START),
      referenceTo: new Date(START + 6 * H),
    });
    await expect(
      createMonitor(t.db, t.actors.engineer, {
        model: "cam",
        version: 1,
        source: "feature",
        name: "brightness",
        referenceFrom: new Date(START),
        referenceTo: new Date(START + H),
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      createMonitor(t.db, t.actors.engineer, {
        model: "cam",
        version: 1,
        source: "feature",
        name: "speed",
        referenceFrom: new Date(START),
        referenceTo: new Date(START + H),
      }),
    ).rejects.toMatchObject({ code: "INVALID" });
    await expect(
      t.caller("viewer").monitoring.createMonitor({
        model: "cam",
        version: 1,
        source: "feature",
        name: "contrast",
        referenceFrom: new Date(START),
        referenceTo: new Date(START + H),
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("evaluates each window, stores statistic, threshold, p-value, verdict and both distributions", async () => {
    const r = await evaluateMonitors(t.db, { now: NOW, from: new Date(START + 6 * H) });
    expect(r).toEqual({ monitors: 2, evaluations: 12 });
    const rows = await t.db.select().from(driftEvaluations).orderBy(driftEvaluations.windowStart);
    const brightness = rows.filter((e) => e.current.kind === "numeric");
    expect(brightness.map((e) => e.drifted)).toEqual([false, false, false, true, true, true]);
    const last = brightness[brightness.length - 1];
    expect(last.method).toBe("wasserstein");
    expect(last.statistic).toBeGreaterThan(last.threshold);
    expect(last.reference.kind).toBe("numeric");
    expect(last.current).toMatchObject({ kind: "numeric", edges: EDGES });
    const cls = rows.filter((e) => e.current.kind === "categorical");
    expect(cls[cls.length - 1]).toMatchObject({ method: "jensenshannon", drifted: true });
    // Re-running is idempotent: one evaluation per monitor and window.
    await evaluateMonitors(t.db, { now: NOW, from: new Date(START + 6 * H) });
    expect(await t.db.select().from(driftEvaluations)).toHaveLength(12);
  });

  it("raises one alert per monitor: pending on the first drifted hour, firing on the next, with evidence", async () => {
    const open = await t.db.select().from(alerts).where(eq(alerts.kind, "drift"));
    expect(open).toHaveLength(2);
    const a = open.find((x) => x.subject === "cam/v1/brightness")!;
    expect(a.state).toBe("firing");
    expect(a.startedAt.toISOString()).toBe(new Date(START + 10 * H).toISOString());
    expect(a.firingAt!.toISOString()).toBe(new Date(START + 11 * H).toISOString());
    expect(a.evidence).toMatchObject({ method: "wasserstein", reference: { kind: "numeric" }, current: { kind: "numeric" } });
    const fired = await t.db.select().from(auditLog).where(eq(auditLog.action, "alert.fire"));
    expect(fired.map((f) => [f.entityId, f.actorLabel])).toEqual(expect.arrayContaining([[a.id, "system"]]));
  });

  it("lets engineers acknowledge and silence (audited); viewers cannot", async () => {
    const [a] = await listAlerts(t.db, { state: "firing" }, NOW);
    await expect(t.caller("viewer").monitoring.acknowledge({ alertId: a.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const acked = await t.caller("engineer").monitoring.acknowledge({ alertId: a.id });
    expect(acked.acknowledgedBy).toBe(t.actors.engineer.userId);
    await expect(t.caller("engineer").monitoring.acknowledge({ alertId: a.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(t.caller("engineer").monitoring.silence({ alertId: a.id, reason: "", minutes: 60 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const silenced = await t.caller("engineer").monitoring.silence({ alertId: a.id, reason: "Night shift expected during the depot test", minutes: 120 });
    expect(silenced.silenceReason).toMatch(/depot/);
    const now = new Date();
    expect((await listAlerts(t.db, { state: "silenced" }, now)).map((x) => x.id)).toContain(a.id);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, a.id));
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(["alert.acknowledge", "alert.silence"]));
  });
});

describe("SLOs and the pages' data", () => {
  it("computes budget and burn from merged summaries and pages on a fast burn", async () => {
    const slo = await createSlo(t.db, t.actors.engineer, { model: "cam", target: "device", kind: "availability", objective: 0.999, windowDays: 30 });
    const s = await sloStatus(t.db, slo, NOW);
    // 4,800 requests, 40 errors; 0.1% of 4,800 = 4.8 allowed.
    expect(s.budget.bad).toBe(40);
    expect(s.budget.remaining).toBeCloseTo(1 - 40 / 4.8, 6);
    // Last hour: 10% errors = 100x; confirmed by the last 5 minutes of that hour.
    expect(s.rules[0].longBurn).toBeCloseTo(100, 6);
    expect(s.severity).toBe("page");
    await createSlo(t.db, t.actors.engineer, { model: "cam", target: "device", kind: "latency", objective: 0.99, latencyThresholdMs: 50 });
    const summary = await evaluateAll(t.db, NOW);
    expect(summary.slos).toBe(2);
    const sloAlerts = await t.db.select().from(alerts).where(eq(alerts.kind, "slo"));
    expect(sloAlerts).toHaveLength(1);
    expect(sloAlerts[0]).toMatchObject({ state: "firing", severity: "page" });
  });

  it("ranks the model in the overview and serves the model page from merged data", async () => {
    const o = await monitoringOverview(t.db, {}, NOW);
    expect(o.items[0]).toMatchObject({ slug: "cam", drift: { drifted: true, driftedCount: 2 }, sloBurning: true });
    // The gen2 cohort last reported an hour before NOW: a silent cohort makes the model stale.
    expect((await monitoringOverview(t.db, { health: "stale" }, NOW)).items[0].freshness).toMatchObject({ stale: true, staleCohorts: ["gen2"] });
    expect((await monitoringOverview(t.db, { q: "nothing-like-this" }, NOW)).items).toHaveLength(0);
    // The navigation badge counts what the alerts page lists as firing.
    const firing = (await listAlerts(t.db, { state: "firing" }, NOW)).length;
    expect(firing).toBeGreaterThan(0);
    expect(await firingAlertCount(t.db, NOW)).toBe(firing);
    const page = await modelMonitoring(t.db, { slug: "cam", range: "24h", to: NOW }, NOW);
    expect(page.monitors.map((m) => m.name)).toEqual(["brightness", "class"]);
    expect(page.selected).toBe("brightness");
    expect(page.detail!.series.length).toBe(6);
    expect(page.detail!.overlay).toHaveLength(10);
    // The latest window split by cohort and by each slice key, cohort first.
    expect(page.slices.map((s) => [s.dimension, s.value, s.drifted])).toEqual([
      ["cohort", "gen3", true],
      ["region", "eu", true],
      ["timeOfDay", "night", true],
    ]);
    expect(page.serving.length).toBeGreaterThan(0);
    expect(page.serving[page.serving.length - 1].errorRate).toBeCloseTo(0.1, 9);
    expect(page.serving[0].p50).toBeGreaterThan(15);
    expect(page.slos).toHaveLength(2);
    expect(page.freshness.map((f) => f.cohort).sort()).toEqual(["gen2", "gen3"]);
  });
});

describe("evaluate now", () => {
  it("on one model evaluates that model's SLOs only", async () => {
    await createModel(t.db, t.actors.engineer, { slug: "lidar", name: "Lidar", team: "platform", task: "classification" });
    await createSlo(t.db, t.actors.engineer, { model: "lidar", target: "device", kind: "availability", objective: 0.99, windowDays: 7 });
    const r = await evaluateModelNow(t.db, t.actors.engineer, { model: "cam" }, NOW);
    // cam has an availability and a latency SLO; lidar's is none of this model's business.
    expect(r.slos).toBe(2);
  });

  it("counts alerts it updated as touched, not only the ones it created", async () => {
    const later = new Date(NOW.getTime() + 5 * 60_000);
    const summary = await evaluateAll(t.db, later);
    // Everything is open already (the burning SLO, the stale cohort), so the tick creates nothing and updates them.
    const updated = await t.db.select().from(alerts).where(eq(alerts.lastEvaluatedAt, later));
    expect(updated.length).toBeGreaterThan(0);
    expect(summary.alertsTouched).toBeGreaterThanOrEqual(updated.length);
  });
});
