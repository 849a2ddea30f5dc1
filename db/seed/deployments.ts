// Demo deployments: environments, cloud targets and camera fleets with devices, production deployments, one canary in flight, runbooks.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deploymentEvents, deployments, deploymentTargets, deviceModelStates, devices, environments, models, modelVersions, runbooks } from "@/db/schema";
import type { TargetRuntime } from "@/db/schema/deployments";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { BUCKETS, bucketOf } from "@/server/deployments/cohort";
import { approveVersion, startCanary, stepRollout } from "@/server/deployments/service";
import { updateVersion } from "@/server/registry/service";

type Cohort = { hardwareClass: string; firmware: string; region: string; devices: number };
type DemoTarget = {
  slug: string;
  name: string;
  kind: "cloud-online" | "cloud-batch" | "edge-fleet";
  environment: string;
  runtime: TargetRuntime;
  hardwareClass?: string;
  description: string;
  cohorts?: Cohort[];
};

const TARGETS: DemoTarget[] = [
  {
    slug: "eu-dashcam-v3",
    name: "EU-dashcam-v3",
    kind: "edge-fleet",
    environment: "production",
    runtime: { onnxRuntime: "1.17", maxOpset: 17 },
    description: "Gen-3 road-facing dashcams in European fleets (demo).",
    cohorts: [
      { hardwareClass: "dashcam-gen3", firmware: "3.4.1", region: "eu-west", devices: 2731 },
      { hardwareClass: "dashcam-gen3", firmware: "3.2.0", region: "eu-central", devices: 2081 },
    ],
  },
  {
    slug: "us-dashcam-v3",
    name: "US-dashcam-v3",
    kind: "edge-fleet",
    environment: "production",
    runtime: { onnxRuntime: "1.17", maxOpset: 17 },
    description: "Gen-3 dashcams in North American fleets (demo).",
    cohorts: [
      { hardwareClass: "dashcam-gen3", firmware: "3.4.1", region: "us-east", devices: 1904 },
      { hardwareClass: "dashcam-gen3", firmware: "3.4.1", region: "us-west", devices: 1303 },
    ],
  },
  {
    slug: "eu-dashcam-v2",
    name: "EU-dashcam-v2",
    kind: "edge-fleet",
    environment: "production",
    runtime: { onnxRuntime: "1.14", maxOpset: 13 },
    description: "Older gen-2 dashcams; part of the fleet still runs firmware 2.7 (demo).",
    cohorts: [
      { hardwareClass: "dashcam-gen2", firmware: "2.9.0", region: "eu-west", devices: 1187 },
      { hardwareClass: "dashcam-gen2", firmware: "2.7.4", region: "eu-west", devices: 357 },
    ],
  },
  {
    slug: "staging-bench",
    name: "Staging bench rigs",
    kind: "edge-fleet",
    environment: "staging",
    runtime: { onnxRuntime: "1.17", maxOpset: 17 },
    description: "Bench rigs replaying recorded drives (demo).",
    cohorts: [{ hardwareClass: "dashcam-gen3", firmware: "3.4.1", region: "lab", devices: 40 }],
  },
  {
    slug: "canary-rigs",
    name: "Staging canary rigs",
    kind: "edge-fleet",
    environment: "staging",
    runtime: { onnxRuntime: "1.17", maxOpset: 17 },
    description: "Rigs that follow their manifests in the fleet simulator; the automatic canary analysis is exercised here (demo).",
    cohorts: [{ hardwareClass: "dashcam-gen3", firmware: "3.4.1", region: "lab", devices: 60 }],
  },
  {
    slug: "events-api",
    name: "Events API (eu-west-1)",
    kind: "cloud-online",
    environment: "production",
    runtime: { onnxRuntime: "1.20", maxOpset: 21 },
    hardwareClass: "cloud-cpu",
    description: "Online inference behind the fleet events API (demo).",
  },
  {
    slug: "nightly-scoring",
    name: "Nightly trip scoring",
    kind: "cloud-batch",
    environment: "production",
    runtime: { onnxRuntime: "1.20", maxOpset: 21 },
    hardwareClass: "cloud-cpu",
    description: "Batch job scoring yesterday's trips (demo).",
  },
  {
    slug: "dev-sandbox",
    name: "Dev sandbox",
    kind: "cloud-online",
    environment: "dev",
    runtime: { onnxRuntime: "1.20", maxOpset: 21 },
    hardwareClass: "cloud-cpu",
    description: "Anyone's playground endpoint (demo).",
  },
];

/** Model on target at a stable version. */
const DEPLOYMENTS: { model: string; target: string; version: number }[] = [
  { model: "forward-collision-warning", target: "eu-dashcam-v3", version: 2 },
  { model: "forward-collision-warning", target: "us-dashcam-v3", version: 2 },
  { model: "forward-collision-warning", target: "staging-bench", version: 2 },
  { model: "forward-collision-warning", target: "canary-rigs", version: 2 },
  { model: "distracted-driving", target: "eu-dashcam-v3", version: 1 },
  { model: "seatbelt", target: "us-dashcam-v3", version: 1 },
  { model: "camera-health", target: "eu-dashcam-v3", version: 1 },
  { model: "camera-health", target: "eu-dashcam-v2", version: 1 },
  { model: "ocr-text-recognizer", target: "events-api", version: 1 },
  { model: "eco-driving-score", target: "nightly-scoring", version: 1 },
  { model: "camera-health", target: "dev-sandbox", version: 1 },
];

const FLEET_CONTRACT = { minOnnxRuntime: "1.16", maxOpset: 17, deviceClasses: ["dashcam-gen3", "cloud-cpu"], minFirmware: "3.2.0" };

export const DEMO_RUNBOOKS: Record<string, { title: string; body: string }> = {
  "camera-health": {
    title: "Camera health: dark, blurry or obstructed views",
    body: `> Demo data: written by the demo seed.

## When this fires
Drift on **brightness** or a burst of *too_dark* / *obstructed* predictions from a fleet cohort.

## First five minutes
1. Open the drift panel on the [monitoring page](/monitoring/camera-health) and check **which cohort** drifts.
2. If it is only the night shift (brightness histogram shifted left), it is usually weather or season, not the model: **acknowledge** and leave a note.
3. If it started right after a deploy (see *Recent deploys* here), **roll back** with the button on this page.

## Escalate
- Hardware (many *obstructed* on one fleet): page the fleet-hardware on-call.
- Firmware older than 2.8.0 cannot run v1+; check the cohort table on the deployment.
`,
  },
  "forward-collision-warning": {
    title: "Forward collision warning: bad release on the fleet",
    body: `> Demo data: written by the demo seed.

## Symptoms
- Event rate per 1,000 driving hours jumps on the canary cohort, or
- night-time recall drops in the safety evaluation of the candidate.

## Mitigate
1. **Pause** the rollout if the canary is still below 25%.
2. If drivers already see false alerts, **roll back** to the last good version (button on this page). Devices pick it up at their next check-in (≤ 15 minutes).
3. Post in #safety-models with the deployment link.

## After
- Open the release review for the candidate and attach the slice that regressed.
- Do not re-promote without a new evaluation and a fresh four-eyes approval.
`,
  },
};

function devicesFor(targetId: string, slug: string, cohorts: Cohort[]) {
  const out: (typeof devices.$inferInsert)[] = [];
  for (const c of cohorts) {
    for (let i = 0; i < c.devices; i++) {
      const id = `${slug}-${c.region}-${c.firmware.replaceAll(".", "")}-${String(i + 1).padStart(5, "0")}`;
      out.push({ id, targetId, hardwareClass: c.hardwareClass, firmware: c.firmware, region: c.region, bucket: bucketOf(id) });
    }
  }
  return out;
}

/**
 * What the FCW devices on EU-dashcam-v3 report: the canary cohort (by bucket) runs v3, except every 40th device that has
 * not picked it up yet; every 25th device has never reported. The rollout page and the rollback dialog count these.
 */
async function seedFleetReports(db: Db, deploymentId: string): Promise<void> {
  const [d] = await db.select().from(deployments).where(eq(deployments.id, deploymentId));
  if (!d) return;
  const threshold = Math.round((d.plan[d.step] ?? 0) * (BUCKETS / 100));
  const fleet = await db.select({ id: devices.id, bucket: devices.bucket }).from(devices).where(eq(devices.targetId, d.targetId)).orderBy(devices.id);
  const at = new Date(Date.now() - 10 * 60_000);
  const rows = fleet
    .filter((_, i) => i % 25 !== 0)
    .map((x, i) => ({ deviceId: x.id, modelId: d.modelId, runningVersion: x.bucket < threshold && i % 40 !== 0 ? 3 : 2, status: "running", reportedAt: at }));
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insert(deviceModelStates)
      .values(rows.slice(i, i + 1000))
      .onConflictDoNothing();
}

export async function seedDeployments(db: Db): Promise<void> {
  const [admin, engineer] = await Promise.all([findUserByEmail(db, "admin@example.com"), findUserByEmail(db, "engineer@example.com")]);
  if (!admin || !engineer) return;
  const asAdmin: Actor = { userId: admin.id, email: admin.email, role: admin.role, requestId: "demo-seed" };
  const asEngineer: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };

  await db
    .insert(environments)
    .values([
      { key: "dev", name: "Dev", rank: 0, protected: false },
      { key: "staging", name: "Staging", rank: 1, protected: false },
      { key: "production", name: "Production", rank: 2, protected: true },
    ])
    .onConflictDoNothing();

  const targetIds = new Map<string, string>();
  for (const t of TARGETS) {
    const [row] = await db
      .insert(deploymentTargets)
      .values({
        slug: t.slug,
        name: t.name,
        kind: t.kind,
        environment: t.environment,
        runtime: t.runtime,
        hardwareClass: t.hardwareClass ?? null,
        description: t.description,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) continue;
    targetIds.set(t.slug, row.id);
    const rows = devicesFor(row.id, t.slug, t.cohorts ?? []);
    for (let i = 0; i < rows.length; i += 1000)
      await db
        .insert(devices)
        .values(rows.slice(i, i + 1000))
        .onConflictDoNothing();
  }

  // The external demo versions had no contract; give the fleet models one so compatibility can be judged.
  for (const [slug, versions] of [
    ["forward-collision-warning", [2, 3]],
    ["distracted-driving", [1, 2]],
    ["seatbelt", [1]],
  ] as const) {
    for (const v of versions) await updateVersion(db, asEngineer, slug, v, { contract: FLEET_CONTRACT }).catch(() => undefined);
  }

  const modelRows = await db.select({ id: models.id, slug: models.slug }).from(models);
  const modelIds = new Map(modelRows.map((m) => [m.slug, m.id]));
  const ids = new Map<string, string>();
  for (const d of DEPLOYMENTS) {
    const modelId = modelIds.get(d.model);
    const targetId = targetIds.get(d.target);
    if (!modelId || !targetId) continue;
    const [v] = await db
      .select({ id: modelVersions.id })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, modelId))
      .orderBy(modelVersions.number)
      .offset(d.version - 1)
      .limit(1);
    if (!v) continue;
    const [row] = await db.insert(deployments).values({ targetId, modelId, stableVersionId: v.id, createdBy: engineer.id }).returning();
    ids.set(`${d.model}@${d.target}`, row.id);
    await db.insert(deploymentEvents).values({
      deploymentId: row.id,
      actorUserId: engineer.id,
      actorLabel: engineer.email,
      kind: "create",
      toVersion: d.version,
      summary: `Deployed v${d.version} (demo seed)`,
      revision: 1,
      at: new Date(Date.now() - 14 * 86_400_000),
    });
  }

  for (const [slug, rb] of Object.entries(DEMO_RUNBOOKS)) {
    const modelId = modelIds.get(slug);
    if (modelId) await db.insert(runbooks).values({ modelId, title: rb.title, body: rb.body, updatedBy: engineer.id }).onConflictDoNothing();
  }

  // A canary in flight: FCW v3 at 5% of EU-dashcam-v3, approved by an admin and started over two failing gates.
  const fcw = ids.get("forward-collision-warning@eu-dashcam-v3");
  if (fcw) {
    await approveVersion(db, asAdmin, { deploymentId: fcw, version: 3, comment: "Reviewed the release; canary only (demo)" });
    const started = await startCanary(db, asAdmin, {
      deploymentId: fcw,
      version: 3,
      revision: 1,
      idempotencyKey: "demo-seed-fcw-canary-start",
      config: { thresholds: {}, batchSize: 1, featureFlags: { ttc_smoothing: true } },
      override: {
        reason: "Weights verified by CI in the training bucket (job 4411); night-recall dip accepted for a small canary while the retrain runs (demo)",
      },
    });
    await stepRollout(db, asAdmin, "advance", { deploymentId: fcw, revision: started.revision, idempotencyKey: "demo-seed-fcw-advance-1" });
    await seedFleetReports(db, fcw);
  }
}
