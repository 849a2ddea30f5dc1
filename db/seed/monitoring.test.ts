import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, count, desc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { alerts, driftEvaluations, driftMonitors, models, telemetrySummaries, type FeatureSummary } from "@/db/schema";
import { createTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { seedIdentity } from "./identity";
import { seedMonitoring } from "./monitoring";
import { seedRegistry } from "./registry";
import { modelMonitoring, monitoringOverview } from "@/server/monitoring/pages";
import { mergedDistribution } from "@/server/monitoring/monitors";
import { detectDrift, PSI_WARNING } from "@/server/drift/detect";
import { GEN3_COHORTS } from "@/server/demo/fleet";
import { DEMO_NIGHT_HOURS, FCW_MODEL, fcwPool, poolStats } from "@/server/demo/fcw-fleet";
import { mergeSummaries } from "@/server/telemetry/histogram";
import { CANARY_STORY } from "./canary-story";

let database: Database;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-seed-monitoring-"));
let seedMs = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedIdentity(database.db, "sentinel-demo");
  await seedRegistry(database.db, new LocalArtifactStore(root));
  const t0 = performance.now();
  await seedMonitoring(database.db);
  seedMs = performance.now() - t0;
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("demo monitoring seed", () => {
  it("fills three days of telemetry", async () => {
    console.log(`monitoring seed: ${Math.round(seedMs)} ms`);
    const [{ n }] = await database.db.select({ n: count() }).from(telemetrySummaries);
    expect(n).toBeGreaterThan(1000);
    const [{ e }] = await database.db.select({ e: count() }).from(driftEvaluations);
    expect(e).toBeGreaterThan(500);
  });

  it("shows camera-health drifting after the night shift, with a firing alert and evidence, worst first", async () => {
    const o = await monitoringOverview(database.db);
    const cam = o.items.find((i) => i.slug === "camera-health")!;
    expect(cam.drift.drifted).toBe(true);
    expect(cam.drift.features).toEqual(expect.arrayContaining(["brightness"]));
    expect(o.items.findIndex((i) => i.slug === "camera-health")).toBeLessThan(o.items.findIndex((i) => i.slug === "seatbelt"));
    const drift = await database.db.select().from(alerts).where(eq(alerts.subject, "camera-health/v1/brightness"));
    expect(drift).toHaveLength(1);
    expect(drift[0].state).toBe("firing");
    const page = await modelMonitoring(database.db, { slug: "camera-health", range: "7d", feature: "brightness" });
    expect(page.selected).toBe("brightness");
    const b = page.detail!;
    expect(b.series.some((p) => p.drifted)).toBe(true);
    expect(b.series.slice(0, 10).every((p) => !p.drifted)).toBe(true);
    // The other models stay quiet on drift; distracted-driving burns its availability budget.
    for (const i of o.items.filter((x) => x.slug !== "camera-health")) expect(i.drift.driftedCount, i.slug).toBe(0);
    // Seeded to end at the latest 15-minute boundary: fresh right after seeding.
    expect(o.items.filter((i) => i.freshness.cohorts > 0).every((i) => !i.freshness.stale)).toBe(true);
    expect(o.items.find((i) => i.slug === "distracted-driving")!.sloBurning).toBe(true);
  });

  it("feeds FCW production from the real v2 detector by time of day, watched per slice and quiet on drift", async () => {
    const db = database.db;
    const [fcw] = await db.select({ id: models.id }).from(models).where(eq(models.slug, FCW_MODEL));
    const rows = await db
      .select({
        cohort: telemetrySummaries.cohort,
        slice: telemetrySummaries.slice,
        features: telemetrySummaries.features,
        predictions: telemetrySummaries.predictions,
      })
      .from(telemetrySummaries)
      .where(and(eq(telemetrySummaries.modelId, fcw.id), eq(telemetrySummaries.version, 2)));
    // Three days of 15-minute windows per stable cohort; night is the last 10 hours of every day.
    expect([...new Set(rows.map((r) => r.cohort))].sort()).toEqual([...GEN3_COHORTS].sort());
    expect(rows).toHaveLength(GEN3_COHORTS.length * 3 * 96);
    expect(rows.filter((r) => r.slice.timeOfDay === "night")).toHaveLength(GEN3_COHORTS.length * 3 * DEMO_NIGHT_HOURS * 4);
    // The windows carry what v2 computed on its frames: pedestrians per frame follow its pool, night frames are darker.
    const merged = (timeOfDay: string, pick: (r: (typeof rows)[number]) => FeatureSummary | undefined) => {
      const m = mergeSummaries(rows.filter((r) => r.slice.timeOfDay === timeOfDay).flatMap((r) => pick(r) ?? []));
      if (m?.kind !== "numeric") throw new Error("expected a numeric histogram");
      const n = m.counts.reduce((a, b) => a + b, 0);
      return {
        lower: m.counts.reduce((a, c, i) => a + c * m.edges[i], 0) / n,
        centre: m.counts.reduce((a, c, i) => a + (c * (m.edges[i] + m.edges[i + 1])) / 2, 0) / n,
      };
    };
    const pool = await fcwPool(2);
    // Bin i of pedestrians per frame holds the frames with i detections.
    expect(merged("day", (r) => r.predictions.pedestrians).lower).toBeCloseTo(poolStats(pool.day).pedestriansPerFrame, 1);
    expect(merged("night", (r) => r.predictions.pedestrians).lower).toBeCloseTo(poolStats(pool.night).pedestriansPerFrame, 1);
    expect(merged("night", (r) => r.features.brightness).centre).toBeLessThan(merged("day", (r) => r.features.brightness).centre / 2);

    const monitors = await db.select().from(driftMonitors).where(eq(driftMonitors.modelId, fcw.id)).orderBy(asc(driftMonitors.source), asc(driftMonitors.name));
    const label = (m: (typeof monitors)[number]) => `${m.source} ${m.name}${m.slice.timeOfDay ? ` [${m.slice.timeOfDay}]` : ""}`;
    expect(monitors.map(label).sort()).toEqual(
      [
        "feature brightness [day]",
        "feature brightness [night]",
        "feature speed_kmh",
        "prediction class [day]",
        "prediction class [night]",
        "prediction pedestrians [day]",
        "prediction pedestrians [night]",
      ].sort(),
    );
    for (const m of monitors) {
      const evals = await db
        .select({ psi: driftEvaluations.psi, drifted: driftEvaluations.drifted })
        .from(driftEvaluations)
        .where(eq(driftEvaluations.monitorId, m.id));
      const worst = Math.max(...evals.map((e) => e.psi!));
      console.log(`FCW v2 ${label(m)}: ${evals.length} hourly windows, PSI max ${worst.toFixed(4)} (threshold ${m.threshold})`);
      expect(m).toMatchObject({ method: "psi", threshold: CANARY_STORY.threshold });
      expect(evals.length, label(m)).toBeGreaterThan(15);
      expect(
        evals.filter((e) => e.drifted),
        label(m),
      ).toEqual([]);
      expect(worst, label(m)).toBeLessThan(PSI_WARNING);
    }
    // Nothing raised for FCW production: the canary's page is the demo's only FCW alert (the lineage seed follows it).
    expect(await db.select({ subject: alerts.subject }).from(alerts).where(eq(alerts.modelId, fcw.id))).toEqual([]);

    // Why per slice: the newest night window's brightness against the whole first day (day and night) is far off.
    const night = monitors.find((m) => m.name === "brightness" && m.slice.timeOfDay === "night")!;
    const [newest] = await db
      .select({ current: driftEvaluations.current })
      .from(driftEvaluations)
      .where(eq(driftEvaluations.monitorId, night.id))
      .orderBy(desc(driftEvaluations.windowStart))
      .limit(1);
    const wholeDay = await mergedDistribution(db, {
      modelId: fcw.id,
      version: 2,
      source: "feature",
      name: "brightness",
      from: night.referenceFrom,
      to: night.referenceTo,
    });
    const unsliced = detectDrift(wholeDay!, newest.current, { method: "psi" }).statistic;
    console.log(`FCW v2 brightness, newest night window against the whole first day: PSI ${unsliced.toFixed(2)}`);
    expect(unsliced).toBeGreaterThan(CANARY_STORY.threshold);
  });
});
