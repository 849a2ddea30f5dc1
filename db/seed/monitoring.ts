// Demo monitoring: three days of telemetry for the production demo models, drift monitors with a
// reference day, SLOs, and evaluations backfilled so pages have history. camera-health telemetry comes
// from the fleet simulator running the real ONNX model in process (a night shift in the last 10 hours);
// the metadata-only models get seeded synthetic summaries (one with an error burst).
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
import { createCameraHealthRunner, simulateFleet, syntheticSummaries } from "@/server/demo/fleet";
import { linearEdges } from "@/server/telemetry/histogram";
import type { TSummary } from "@/server/telemetry/schemas";
import { ingestSummaries } from "@/server/telemetry/service";

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
  {
    model: "forward-collision-warning",
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
  for (const s of SYNTHETIC) {
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
  logger.info({ ...evaluated, ms: Math.round(performance.now() - started) }, "demo monitoring seeded");
}
