// Demo sweep: one Ray Tune-style tuning job (a parent run and 50 trial runs with `mlflow.parentRunId`) in its own
// experiment, labelled demo. Skipped when the experiment already exists, so re-running the seed adds nothing.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { experiments } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { DEMO_SWEEP_EXPERIMENT, DEMO_SWEEP_EXPERIMENT_TAGS, demoSweepParent, demoSweepTrials } from "@/server/demo/ray-tune-sweep";
import { createExperiment, importRuns } from "@/server/experiments/service";

export const DEMO_SWEEP_TRIALS = 50;

export async function seedSweeps(db: Db): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const [existing] = await db.select({ id: experiments.id }).from(experiments).where(eq(experiments.name, DEMO_SWEEP_EXPERIMENT));
  if (existing) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  const e = await createExperiment(db, actor, {
    name: DEMO_SWEEP_EXPERIMENT,
    tags: Object.entries(DEMO_SWEEP_EXPERIMENT_TAGS).map(([key, value]) => ({ key, value })),
  });
  // The parent first: its run id is what every trial's mlflow.parentRunId points at, as Ray Tune logs them.
  const [parentId] = await importRuns(db, actor, String(e.id), [demoSweepParent(DEMO_SWEEP_TRIALS)]);
  await importRuns(db, actor, String(e.id), demoSweepTrials(parentId, DEMO_SWEEP_TRIALS));
}
