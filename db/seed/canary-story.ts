// The demo's page-worthy drift: forward-collision-warning v3 on the canary cohort sees darker frames at night than in
// its reference day. Real telemetry, a real monitor on that cohort and slice, and the real evaluator raise the alert,
// so the alert, the monitoring page and the overview read the same evaluations.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { evaluateMonitors } from "@/server/monitoring/evaluate";
import { createMonitor } from "@/server/monitoring/monitors";
import { syntheticSummaries } from "@/server/demo/fleet";
import { linearEdges } from "@/server/telemetry/histogram";
import { ingestSummaries } from "@/server/telemetry/service";

const H = 3600_000;
const HOURS = 48;
/** Night in the demo is the last 10 hours before the seed (and the same hours of every earlier day), so the page comes at night. */
const NIGHT_HOURS = 10;
/** The canary's night frames turn darker this many hours before the seed, so the alert fires about an hour before the portal starts. */
const DRIFT_HOURS = 3;
export const CANARY_STORY = {
  model: "forward-collision-warning",
  version: 3,
  cohort: "canary",
  feature: "brightness",
  slice: { timeOfDay: "night" },
  windowMinutes: 60,
  threshold: 0.2,
} as const;

export async function seedCanaryStory(db: Db, now = new Date()): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  const [fcw] = await db.select({ id: models.id }).from(models).where(eq(models.slug, CANARY_STORY.model));
  if (!engineer || !fcw) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  // Whole hours, so the reference day ends on an evaluation window's boundary and no window mixes both days.
  const start = new Date(Math.floor(now.getTime() / H) * H - HOURS * H);
  const referenceTo = new Date(start.getTime() + 24 * H);
  const end = start.getTime() + HOURS * H;
  const isNight = (t: Date) => (((end - t.getTime()) % (24 * H)) + 24 * H) % (24 * H) <= NIGHT_HOURS * H && (end - t.getTime()) % (24 * H) !== 0;
  // Day one is the reference; in the last hours of the second night the canary's frames come out darker (its new exposure handling).
  const summaries = syntheticSummaries({
    model: CANARY_STORY.model,
    version: CANARY_STORY.version,
    target: "device",
    cohorts: [CANARY_STORY.cohort],
    start,
    hours: HOURS,
    windowMinutes: 15,
    requestsPerWindow: 780,
    baseLatencyMs: 19,
    seed: 31,
    features: { speed_kmh: { mean: 62, sd: 22, edges: linearEdges(0, 160, 16) }, brightness: { mean: 0.52, sd: 0.12, edges: linearEdges(0, 1, 20) } },
    classes: ["no_event", "warning"],
    sliceOf: (t) => ({ timeOfDay: isNight(t) ? "night" : "day" }),
    featureAt: (name, t, slice) =>
      name === "brightness" && slice.timeOfDay === "night" ? { mean: t.getTime() >= end - DRIFT_HOURS * H ? 0.245 : 0.3, sd: 0.09 } : null,
  });
  for (let i = 0; i < summaries.length; i += 500)
    await ingestSummaries(db, actor, { summaries: summaries.slice(i, i + 500) }, { now, maxLatenessMs: (HOURS + 2) * H });
  await createMonitor(db, actor, {
    model: CANARY_STORY.model,
    version: CANARY_STORY.version,
    source: "feature",
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
  await evaluateMonitors(db, { now, from: referenceTo, modelId: fcw.id });
}
