// The demo seed's sweep is what the MLflow client logs: examples/ray-tune-sweep/log_sweep.py logs the same generated
// trials through the unmodified client (parent run, children tagged mlflow.parentRunId) into a test portal, and the
// sweep page's numbers for it equal those of the seeded sweep.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { experiments } from "@/db/schema";
import { seedIdentity } from "@/db/seed/identity";
import { DEMO_SWEEP_TRIALS, seedSweeps } from "@/db/seed/sweeps";
import { provideDatabase } from "@/server/db";
import { DEMO_SWEEP_EXPERIMENT, DEMO_SWEEP_TOP_PARAM } from "@/server/demo/ray-tune-sweep";
import { getSweep, listSweeps } from "@/server/sweeps/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { startTrainingPortal } from "./fcw-portal";
import { findMlflowPython } from "./fcw-train-lib";
import { logSweepThroughClient } from "./sweep-client";

const python = findMlflowPython();
const skip = "skip" in python ? python.skip : null;
if (skip) console.warn(`Skipping the sweep-through-the-client test: ${skip}`);

describe.skipIf(skip !== null)("the demo sweep logged through the MLflow client", () => {
  let t: TestEnv;
  let portal: { url: string; close: () => Promise<void> };
  let token = "";

  beforeAll(async () => {
    t = await setupTestEnv();
    provideDatabase(t);
    token = (await createToken(t.db, t.actors.engineer, { name: "tune", scopes: ["runs:read", "runs:write"] })).token;
    portal = await startTrainingPortal();
    await seedIdentity(t.db, "sentinel-demo");
    await seedSweeps(t.db);
  }, 300_000);
  afterAll(async () => {
    await portal?.close();
    await t?.close();
  });

  it("groups into one sweep whose trials, importance and top trials equal the seeded sweep's", async () => {
    if ("skip" in python) return;
    const logged = await logSweepThroughClient(python, { uri: portal.url, token, experiment: "tune-through-client", trials: DEMO_SWEEP_TRIALS });
    expect(logged.trial_run_ids).toHaveLength(DEMO_SWEEP_TRIALS);

    const [fromClient] = await listSweeps(t.db, { experimentId: logged.experiment_id });
    expect(fromClient).toMatchObject({ kind: "parent", label: "tune-seatbelt-asha", trials: DEMO_SWEEP_TRIALS });
    const [seeded] = await t.db.select({ id: experiments.id }).from(experiments).where(eq(experiments.name, DEMO_SWEEP_EXPERIMENT));
    const [fromSeed] = await listSweeps(t.db, { experimentId: String(seeded.id) });

    const a = await getSweep(t.db, { experimentId: logged.experiment_id, sweepId: fromClient.sweepId });
    const b = await getSweep(t.db, { experimentId: String(seeded.id), sweepId: fromSeed.sweepId });
    // The objective comes from the parent's sweep.metric / sweep.mode tags, as the seed sets them.
    expect(a.objective).toEqual({ key: "val_accuracy", direction: "max", source: "sweep" });
    expect(a.statusCounts).toEqual(b.statusCounts);
    expect(a.importance).toEqual(b.importance);
    expect(a.importance.items[0].param).toBe(DEMO_SWEEP_TOP_PARAM);
    const strip = (s: typeof a) => s.top.map(({ runName, status, value, params }) => ({ runName, status, value, params }));
    expect(strip(a)).toEqual(strip(b));
    expect(a.curve).toEqual(b.curve);
  }, 300_000);
});
