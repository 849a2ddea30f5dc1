// Demo monitoring: three days of telemetry for the production demo models, drift monitors with a
// reference day, SLOs, and evaluations backfilled so pages have history. camera-health telemetry comes
// from the fleet simulator running the real ONNX model in process (a night shift in the last 10 hours).
// FCW production (v2, the gen3 dashcam cohorts) comes from v2's own outputs on generated day and night
// frames (server/demo/fcw-fleet.ts), night being the demo's last 10 hours of each day; its brightness,
// pedestrians and class monitors watch each time of day against the first day's same slice, since night
// windows against a mixed day would all drift. Measured 2026-12-06: every FCW production monitor's PSI at
// most 0.004 (threshold 0.2); this seed took 3.8 s with FCW synthetic and 15.8 s now, 12.4 s of it FCW,
// mostly rendering the frame pool once (the canary story reuses it). The metadata-only models get seeded
// synthetic summaries (one with an error burst).
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelAliases, models, modelVersions } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { logger } from "@/server/log";
import type { TCreateMonitor, TCreateSlo } from "@/server/monitoring/schemas";
import { evaluateMonitors, evaluateSlos } from "@/server/monitoring/evaluate";
import { createMonitor, createSlo } from "@/server/monitoring/monitors";
import { createThresholdRule } from "@/server/monitoring/thresholds";
import { createCameraHealthRunner, GEN3_COHORTS, simulateFleet, syntheticSummaries } from "@/server/demo/fleet";
import { demoTimeOfDay, FCW_MODEL, fcwPool, isRunnableFcwVersion, simulateFcwFleet } from "@/server/demo/fcw-fleet";
import { linearEdges } from "@/server/telemetry/histogram";
import type { TSummary } from "@/server/telemetry/schemas";
import { ingestSummaries } from "@/server/telemetry/service";
import { CANARY_STORY } from "./canary-story";

const HOURS = 72;
const H = 3600_000;

async function productionVersion(db: Db, slug: string): Promise<number | null> {
  const [row] = await db
    .select({ n: modelVersions.number })
    .from(modelAliases)
    .innerJoin(models, eq(models.id, modelAliases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(models.slug, slug), eq(modelAliases.alias, "production")));
  return row?.n ?? null;
}

type Synthetic = Omit<Parameters<typeof syntheticSummaries>[0], "version" | "start" | "hours"> & { slos: Omit<TCreateSlo, "model">[] };

const SYNTHETIC: Synthetic[] = [
  // FCW's fallback when its production version holds no weights in the repo; its volume, latency, seed and SLO also
  // shape the real feed (seedFcwProduction).
  {
    model: FCW_MODEL,
    target: "device",
    windowMinutes: 15,
    requestsPerWindow: 1500,
    baseLatencyMs: 18,
    seed: 11,
    features: { speed_kmh: { mean: 62, sd: 22, edges: linearEdges(0, 160, 16) }, brightness: { mean: 0.52, sd: 0.12, edges: linearEdges(0, 1, 20) } },
    classes: ["no_event", "warning"],
    slos: [{ target: "device", kind: "latency", objective: 0.99, latencyThresholdMs: 50 }],
  },
  {
    model: "distracted-driving",
    target: "device",
    windowMinutes: 15,
    requestsPerWindow: 1000,
    baseLatencyMs: 12,
    seed: 12,
    // An error burst over the last 90 minutes: the availability SLO pages.
    fault: { kind: "errors", atHour: HOURS - 1.5 },
    features: { head_yaw_deg: { mean: 0, sd: 14, edges: linearEdges(-90, 90, 18) }, brightness: { mean: 0.45, sd: 0.1, edges: linearEdges(0, 1, 20) } },
    classes: ["attentive", "phone", "eyes_off_road"],
    slos: [{ target: "device", kind: "availability", objective: 0.999 }],
  },
  {
    model: "seatbelt",
    target: "device",
    windowMinutes: 15,
    requestsPerWindow: 600,
    baseLatencyMs: 9,
    seed: 13,
    features: { brightness: { mean: 0.47, sd: 0.11, edges: linearEdges(0, 1, 20) } },
    classes: ["fastened", "unfastened"],
    slos: [{ target: "device", kind: "availability", objective: 0.999 }],
  },
  {
    model: "eco-driving-score",
    target: "cloud-batch",
    windowMinutes: 15,
    requestsPerWindow: 240,
    baseLatencyMs: 40,
    seed: 14,
    features: { trip_km: { mean: 28, sd: 12, edges: linearEdges(0, 120, 24) }, idle_share: { mean: 0.12, sd: 0.05, edges: linearEdges(0, 0.5, 20) } },
    classes: ["scored", "skipped"],
    slos: [],
  },
  {
    model: "incident-report-llm",
    target: "cloud-online",
    windowMinutes: 15,
    requestsPerWindow: 150,
    baseLatencyMs: 2400,
    seed: 15,
    features: { prompt_tokens: { mean: 900, sd: 220, edges: linearEdges(0, 2000, 20) } },
    classes: ["drafted", "refused"],
    slos: [{ target: "cloud-online", kind: "latency", objective: 0.95, latencyThresholdMs: 8000 }],
  },
];

export async function seedMonitoring(db: Db, now = new Date()): Promise<void> {
  const started = performance.now();
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  // The last window ends at the latest 15-minute boundary, so the demo starts fresh.
  const start = new Date(Math.floor(now.getTime() / (15 * 60_000)) * 15 * 60_000 - HOURS * H);
  const referenceTo = new Date(start.getTime() + 24 * H);
  const ingest = async (summaries: TSummary[]) => {
    for (let i = 0; i < summaries.length; i += 500)
      await ingestSummaries(db, actor, { summaries: summaries.slice(i, i + 500) }, { now, maxLatenessMs: (HOURS + 2) * H });
  };
  const monitor = (m: Omit<TCreateMonitor, "referenceFrom" | "referenceTo">) => createMonitor(db, actor, { ...m, referenceFrom: start, referenceTo });

  const camVersion = await productionVersion(db, "camera-health");
  if (camVersion) {
    const runner = await createCameraHealthRunner();
    try {
      // 6 devices in 3 cohorts, aggregated per cohort gateway every 15 minutes; night falls 10 hours before now.
      await ingest(
        simulateFleet(runner, {
          version: camVersion,
          devices: 6,
          hours: HOURS,
          start,
          windowMinutes: 15,
          framesPerWindow: 40,
          perCohort: true,
          seed: 7,
          shift: { kind: "night", atHour: HOURS - 10 },
        }),
      );
    } finally {
      await runner.close();
    }
    for (const name of ["brightness", "sharpness_log10", "obstruction_fraction"])
      await monitor({ model: "camera-health", version: camVersion, source: "feature", name });
    await monitor({ model: "camera-health", version: camVersion, source: "prediction", name: "class" });
    await createSlo(db, actor, { model: "camera-health", target: "device", kind: "availability", objective: 0.999 });
    await createSlo(db, actor, { model: "camera-health", target: "device", kind: "latency", objective: 0.99, latencyThresholdMs: 40 });
    await createSlo(db, actor, { model: "camera-health", target: "device", kind: "freshness", objective: 0.99, maxAgeMinutes: 30 });
    await createThresholdRule(db, actor, {
      model: "camera-health",
      metric: "latency_p95",
      op: "above",
      value: 40,
      windowMinutes: 15,
      forMinutes: 30,
      severity: "page",
    });
  }
  const fcwReal = await seedFcwProduction(db, actor, { start, ingest, monitor });
  for (const s of SYNTHETIC) {
    if (s.model === FCW_MODEL && fcwReal) continue;
    const version = await productionVersion(db, s.model);
    if (!version) continue;
    const { slos: sloList, ...opts } = s;
    await ingest(syntheticSummaries({ ...opts, version, start, hours: HOURS }));
    for (const name of Object.keys(s.features)) await monitor({ model: s.model, version, source: "feature", name });
    await monitor({ model: s.model, version, source: "prediction", name: "class" });
    for (const slo of sloList) await createSlo(db, actor, { ...slo, model: s.model });
  }
  const evaluated = await evaluateMonitors(db, { now, from: referenceTo });
  await evaluateSlos(db, now);
  logger.info({ ...evaluated, fcw: fcwReal ? "detector" : "synthetic", ms: Math.round(performance.now() - started) }, "demo monitoring seeded");
}

/**
 * FCW production (v2) telemetry drawn from the detector's own outputs on generated dashcam frames, by day and at night
 * on the demo's clock, with drift monitors per time-of-day slice. False when the production version has no weights in
 * the repo (the synthetic feed stands in).
 */
async function seedFcwProduction(
  db: Db,
  actor: Actor,
  o: {
    start: Date;
    ingest: (summaries: TSummary[]) => Promise<void>;
    monitor: (m: Omit<TCreateMonitor, "referenceFrom" | "referenceTo">) => Promise<unknown>;
  },
): Promise<boolean> {
  const version = await productionVersion(db, FCW_MODEL);
  if (!version || !isRunnableFcwVersion(version)) return false;
  const fallback = SYNTHETIC.find((s) => s.model === FCW_MODEL)!;
  const started = performance.now();
  // Rendered and run once per process: the canary story, later in the seed, reuses the frames.
  const pool = await fcwPool(version);
  const poolMs = Math.round(performance.now() - started);
  await o.ingest(
    simulateFcwFleet(pool, {
      version,
      cohorts: GEN3_COHORTS,
      start: o.start,
      hours: HOURS,
      windowMinutes: fallback.windowMinutes,
      // The synthetic feed's average volume: every frame is a request.
      framesPerWindow: fallback.requestsPerWindow,
      baseLatencyMs: fallback.baseLatencyMs,
      seed: fallback.seed,
      timeOfDay: demoTimeOfDay(o.start.getTime() + HOURS * H),
      keyPrefix: "fcw-production",
    }),
  );
  // Night frames are darker and show fewer people than day frames: each image-borne series is watched per time of day
  // against the first day's same slice (an unsliced monitor would call every night window drifted), at the PSI
  // threshold the canary pages at.
  const psi = { method: "psi", threshold: CANARY_STORY.threshold } as const;
  for (const timeOfDay of ["day", "night"])
    for (const [source, name] of [
      ["feature", "brightness"],
      ["prediction", "pedestrians"],
      ["prediction", "class"],
    ] as const)
      await o.monitor({ model: FCW_MODEL, version, source, name, slice: { timeOfDay }, ...psi });
  // Speed comes from the vehicle bus, alike by day and night: one monitor over both.
  await o.monitor({ model: FCW_MODEL, version, source: "feature", name: "speed_kmh", ...psi });
  for (const slo of fallback.slos) await createSlo(db, actor, { ...slo, model: FCW_MODEL });
  logger.info({ version, poolMs, ms: Math.round(performance.now() - started) }, "demo FCW production telemetry seeded (v2 on generated frames)");
  return true;
}
