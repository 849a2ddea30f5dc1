// Demo data: deterministic, labelled as demo, seeded once per database (guarded by app_meta).
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appMeta } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import { seedExperiments } from "./experiments";
import { seedFcwCalibFrames, seedFcwEvalFrames, seedFcwEvaluations } from "./fcw";
import { seedFrames } from "./frames";
import { seedIdentity } from "./identity";
import { seedCatalog } from "./catalog";
import { seedCost } from "./cost";
import { seedDeployments } from "./deployments";
import { seedIncidents } from "./incidents";
import { seedLineage } from "./lineage";
import { seedMonitoring } from "./monitoring";
import { markCropModels, seedRegistry } from "./registry";
import { seedSafety, seedSafetyExtras, seedSafetyField } from "./safety";
import { seedSeatbeltEvalFrames, seedSeatbeltEvaluations, seedSeatbeltVersion } from "./seatbelt";
import { seedSignOffStory } from "./signoff-story";
import { seedSweeps } from "./sweeps";

const SEED_KEY = "demo_seed_version";
/** Bump when the demo data changes shape, so existing demo databases gain the new areas. */
const SEED_VERSION = 14;

export async function seedDemo(db: Db, store: ArtifactStore, opts: { password: string }): Promise<void> {
  const [row] = await db.select().from(appMeta).where(eq(appMeta.key, SEED_KEY));
  const have = typeof row?.value === "number" ? row.value : 0;
  if (have >= SEED_VERSION) return;
  if (have < 1) await seedIdentity(db, opts.password);
  if (have < 2) await seedRegistry(db, store);
  if (have < 3) await seedFrames(db, store, null);
  if (have < 4) await seedExperiments(db);
  if (have < 5) await seedSafety(db);
  // FCW's evaluation is computed from its real weights on the pinned evaluation frames (before the sign-off story reads it).
  if (have < 11) await seedFcwEvalFrames(db, store);
  if (have < 11) await seedFcwEvaluations(db, store);
  // FCW's calibration frames: what a static int8 variant calibrates on by default (older databases too).
  if (have < 14) await seedFcwCalibFrames(db, store);
  // The seatbelt classifier's trained version, its evaluation crops and its computed evaluation (older databases too).
  if (have < 13) await seedSeatbeltVersion(db, store);
  if (have < 13) await seedSeatbeltEvalFrames(db, store);
  if (have < 13) await seedSeatbeltEvaluations(db, store);
  if (have < 5) await seedCost(db);
  if (have < 6) await seedMonitoring(db);
  if (have < 7) await seedDeployments(db);
  if (have < 8) await seedSafetyExtras(db);
  if (have < 8) await seedSafetyField(db);
  if (have < 8) await seedIncidents(db);
  if (have < 9) await seedSignOffStory(db, opts.password);
  if (have < 9 && have >= 2) await markCropModels(db);
  if (have < 10) await seedSweeps(db);
  // The datasets versions trained on first: the catalog lists them.
  if (have < 12) await seedLineage(db);
  if (have < 12) await seedCatalog(db);
  await db
    .insert(appMeta)
    .values({ key: SEED_KEY, value: SEED_VERSION })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: SEED_VERSION, updatedAt: new Date() } });
}
