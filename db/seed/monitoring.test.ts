import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { alerts, driftEvaluations, telemetrySummaries } from "@/db/schema";
import { createTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { seedIdentity } from "./identity";
import { seedMonitoring } from "./monitoring";
import { seedRegistry } from "./registry";
import { modelMonitoring, monitoringOverview } from "@/server/monitoring/pages";

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
});
