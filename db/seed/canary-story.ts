// The demo's page-worthy drift: forward-collision-warning v3 on the canary cohort finds fewer pedestrians per frame at
// night. The telemetry comes from the real v3 detector (server/demo/fcw-fleet.ts: onnxruntime-node on generated dashcam
// frames): on the second night, three hours before the seed, the canary's streets get darker (the same night frames at
// 60% of the light). v2, production, still finds half of the labelled pedestrians on those darker frames; v3, trained
// with few night frames, finds none of them (README, "Monitoring", has the measured table), so the distribution of its pedestrian detections per frame moves away from its own
// reference night and the real evaluator pages. A real monitor on that cohort and slice raises the alert, so the alert,
// the monitoring page and the overview read the same evaluations.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { evaluateMonitors } from "@/server/monitoring/evaluate";
import { createMonitor } from "@/server/monitoring/monitors";
import { demoTimeOfDay, fcwPool, poolStats, simulateFcwFleet } from "@/server/demo/fcw-fleet";
import { logger } from "@/server/log";
import { ingestSummaries } from "@/server/telemetry/service";

const H = 3600_000;
const HOURS = 48;
/** The canary's night turns darker this many hours before the seed, so the alert fires about an hour before the portal starts. */
const DRIFT_HOURS = 3;
export const CANARY_STORY = {
  model: "forward-collision-warning",
  version: 3,
  cohort: "canary",
  /** Pedestrian detections per frame: what v3 stops producing on darker night frames (and v2 does not). */
  source: "prediction",
  feature: "pedestrians",
  slice: { timeOfDay: "night" },
  windowMinutes: 60,
  threshold: 0.2,
} as const;

export async function seedCanaryStory(db: Db, now = new Date()): Promise<void> {
  const started = performance.now();
  const engineer = await findUserByEmail(db, "engineer@example.com");
  const [fcw] = await db.select({ id: models.id }).from(models).where(eq(models.slug, CANARY_STORY.model));
  if (!engineer || !fcw) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  // Whole hours, so the reference day ends on an evaluation window's boundary and no window mixes both days.
  const start = new Date(Math.floor(now.getTime() / H) * H - HOURS * H);
  const referenceTo = new Date(start.getTime() + 24 * H);
  const end = start.getTime() + HOURS * H;
  // Day one is the reference; in the last hours of the second night the canary's frames are darker, and v3 misses people on them.
  const pool = await fcwPool(CANARY_STORY.version);
  const poolMs = performance.now() - started;
  const summaries = simulateFcwFleet(pool, {
    version: CANARY_STORY.version,
    cohorts: [CANARY_STORY.cohort],
    start,
    hours: HOURS,
    windowMinutes: 15,
    framesPerWindow: 780,
    baseLatencyMs: 19,
    seed: 31,
    // Night is the demo's (the last 10 hours of each day), so the page comes at night.
    timeOfDay: demoTimeOfDay(end),
    darkerFrom: new Date(end - DRIFT_HOURS * H),
    keyPrefix: "canary-story",
  });
  for (let i = 0; i < summaries.length; i += 500)
    await ingestSummaries(db, actor, { summaries: summaries.slice(i, i + 500) }, { now, maxLatenessMs: (HOURS + 2) * H });
  await createMonitor(db, actor, {
    model: CANARY_STORY.model,
    version: CANARY_STORY.version,
    source: CANARY_STORY.source,
    name: CANARY_STORY.feature,
    method: "psi",
    threshold: CANARY_STORY.threshold,
    windowMinutes: CANARY_STORY.windowMinutes,
    cohort: CANARY_STORY.cohort,
    slice: { ...CANARY_STORY.slice },
    severity: "page",
    referenceFrom: start,
    referenceTo,
  });
  // The whole canary cohort by day and night too: the control that shows the drift is a night-only matter.
  await createMonitor(db, actor, {
    model: CANARY_STORY.model,
    version: CANARY_STORY.version,
    source: "feature",
    name: "speed_kmh",
    method: "psi",
    threshold: CANARY_STORY.threshold,
    windowMinutes: 60,
    cohort: CANARY_STORY.cohort,
    referenceFrom: start,
    referenceTo,
  });
  const evaluated = await evaluateMonitors(db, { now, from: referenceTo, modelId: fcw.id });
  const perFrame = (c: keyof typeof pool) => Number(poolStats(pool[c]).pedestriansPerFrame.toFixed(2));
  logger.info(
    {
      ...evaluated,
      v3PedestriansPerFrame: { day: perFrame("day"), night: perFrame("night"), darkerNight: perFrame("dark-night") },
      poolMs: Math.round(poolMs),
      ms: Math.round(performance.now() - started),
    },
    "demo canary story seeded (FCW v3 on generated frames)",
  );
}
