import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { alerts, auditLog } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion } from "@/server/registry/service";
import { LATENCY_BUCKETS } from "@/server/telemetry/histogram";
import { ingestSummaries } from "@/server/telemetry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import {
  breaches,
  createThresholdRule,
  disableThresholdRule,
  evaluateThresholdRules,
  listThresholdRules,
  metricValue,
  thresholdSteps,
  type ServingPoint,
} from "./thresholds";

const MIN = 60_000;
const T0 = Date.UTC(2026, 3, 1, 10, 0);
const point = (t: number, requests: number, errorRate: number): ServingPoint => ({ t, requests, errorRate, p50: 10, p95: 20, p99: 30 });

describe("threshold maths", () => {
  it("reads a window's metric, treating a silent window as zero requests and no rate", () => {
    expect(metricValue(undefined, "requests")).toBe(0);
    expect(metricValue(undefined, "error_rate")).toBeNull();
    expect(metricValue(point(0, 0, 0), "latency_p95")).toBeNull();
    expect(metricValue(point(0, 100, 0.03), "error_rate")).toBe(0.03);
    expect(metricValue(point(0, 100, 0.03), "latency_p99")).toBe(30);
    expect(breaches(0.03, "above", 0.02)).toBe(true);
    expect(breaches(0.02, "above", 0.02)).toBe(false);
    expect(breaches(5, "below", 10)).toBe(true);
    expect(breaches(null, "below", 10)).toBe(false);
  });

  it("makes one step per complete window, a missing window counting as silence", () => {
    const w = 10 * MIN;
    const points = [point(T0, 100, 0.01), point(T0 + w, 100, 0.05)];
    const errors = thresholdSteps(points, { metric: "error_rate", op: "above", value: 0.02, windowMinutes: 10 }, T0, T0 + 3 * w + 5 * MIN);
    expect(errors.map((s) => [s.at.getTime() - T0, s.condition])).toEqual([
      [w, false],
      [2 * w, true],
      [3 * w, false],
    ]);
    expect(errors[1].evidence).toMatchObject({
      value: 0.05,
      threshold: 0.02,
      recent: [
        { t: T0, value: 0.01 },
        { t: T0 + w, value: 0.05 },
      ],
    });
    const silent = thresholdSteps(points, { metric: "requests", op: "below", value: 50, windowMinutes: 10 }, T0, T0 + 3 * w);
    expect(silent.map((s) => s.condition)).toEqual([false, false, true]);
  });
});

describe("threshold rules", () => {
  let t: TestEnv;
  const NOW = new Date(T0 + 60 * MIN);
  beforeAll(async () => {
    t = await setupTestEnv();
    await createModel(t.db, t.actors.engineer, { slug: "svc", name: "Service", team: "platform", task: "classification" });
    await registerVersion(t.db, new LocalArtifactStore("/tmp/unused-threshold-store"), t.actors.engineer, "svc", { artifactUri: "s3://b/svc.onnx" });
    // Twelve 5-minute windows in the hour before NOW; the last four (20 minutes) have 10% errors.
    const latency = new Array(LATENCY_BUCKETS).fill(0);
    latency[12] = 200;
    const summaries = Array.from({ length: 12 }, (_, i) => ({
      idempotencyKey: `threshold-window-${i}`,
      model: "svc",
      version: 1,
      target: "cloud-online" as const,
      windowStart: new Date(T0 + i * 5 * MIN).toISOString(),
      requests: 200,
      errors: i >= 8 ? 20 : 1,
      latencyMs: { counts: latency },
    }));
    await ingestSummaries(t.db, t.actors.engineer, { summaries }, { now: NOW, maxLatenessMs: 24 * 60 * MIN });
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses a rate above 1, a window that is not whole telemetry windows, and a viewer, writing nothing", async () => {
    await expect(createThresholdRule(t.db, t.actors.engineer, { model: "svc", metric: "error_rate", op: "above", value: 2 })).rejects.toThrow(
      /fraction between 0 and 1/,
    );
    await expect(createThresholdRule(t.db, t.actors.engineer, { model: "svc", metric: "requests", op: "below", value: 2, windowMinutes: 7 })).rejects.toThrow(
      /multiple of 5/,
    );
    await expect(t.caller("viewer").monitoring.createThresholdRule({ model: "svc", metric: "requests", op: "below", value: 2 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "threshold_rule.create"))).toHaveLength(0);
  });

  it("fires after the breach lasts, keeps the recent series as evidence, and resolves when the rule is disabled", async () => {
    const rule = await t
      .caller("engineer")
      .monitoring.createThresholdRule({ model: "svc", metric: "error_rate", op: "above", value: 0.02, windowMinutes: 10, forMinutes: 10, severity: "page" });
    expect(
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "threshold_rule.create"), eq(auditLog.entityId, rule.id))),
    ).toHaveLength(1);
    await evaluateThresholdRules(t.db, NOW);
    const open = await t.db
      .select()
      .from(alerts)
      .where(eq(alerts.ruleKey, `threshold:${rule.id}`));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ state: "firing", severity: "page", kind: "threshold", title: "error rate of svc above 2.00%" });
    expect(open[0].evidence).toMatchObject({ metric: "error_rate", value: 0.1, threshold: 0.02, windowMinutes: 10 });
    // The last 12 windows as the chart that fired it: no traffic before the hour of data, then the spike.
    expect((open[0].evidence.recent as { value: number | null }[]).map((r) => r.value)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      0.005,
      0.005,
      0.005,
      0.005,
      0.1,
      0.1,
    ]);
    // Evaluating again changes nothing: one open alert per rule and subject.
    await evaluateThresholdRules(t.db, NOW);
    expect(
      await t.db
        .select()
        .from(alerts)
        .where(eq(alerts.ruleKey, `threshold:${rule.id}`)),
    ).toHaveLength(1);
    expect((await listThresholdRules(t.db, rule.modelId, NOW))[0].current).toMatchObject({ value: 0.1, breaching: true });

    await disableThresholdRule(t.db, t.actors.engineer, { ruleId: rule.id });
    await evaluateThresholdRules(t.db, new Date(NOW.getTime() + 10 * MIN));
    const after = await t.db
      .select()
      .from(alerts)
      .where(eq(alerts.ruleKey, `threshold:${rule.id}`));
    expect(after).toHaveLength(1);
    expect(after[0].state).toBe("resolved");
    expect(after[0].evidence).toMatchObject({ value: 0.1 });
    expect(await listThresholdRules(t.db, rule.modelId, NOW)).toHaveLength(0);
  });
});
