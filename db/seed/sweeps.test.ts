import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { experiments } from "@/db/schema";
import { createTestDatabase } from "@/db/test-db";
import { DEMO_SWEEP_EXPERIMENT, DEMO_SWEEP_TOP_PARAM, demoSweepTrials } from "@/server/demo/ray-tune-sweep";
import { listSweeps, getSweep } from "@/server/sweeps/service";
import { seedIdentity } from "./identity";
import { seedSweeps } from "./sweeps";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedIdentity(database.db, "sentinel-demo");
  await seedSweeps(database.db);
});
afterAll(async () => {
  await database.close();
});

describe("demo sweep", () => {
  it("draws the same trials from the same seed", () => {
    expect(demoSweepTrials("p", 50)).toEqual(demoSweepTrials("p", 50));
    expect(demoSweepTrials("p", 50, 1)).not.toEqual(demoSweepTrials("p", 50));
  });

  it("logs a labelled parent with 50 children, whose importance puts the learning rate first; a second run adds nothing", async () => {
    await seedSweeps(database.db);
    const exps = await database.db.select({ id: experiments.id }).from(experiments).where(eq(experiments.name, DEMO_SWEEP_EXPERIMENT));
    expect(exps).toHaveLength(1);
    const experimentId = String(exps[0].id);
    const [sweep] = await listSweeps(database.db, { experimentId });
    expect(sweep).toMatchObject({ kind: "parent", label: "tune-seatbelt-asha", trials: 50 });
    const s = await getSweep(database.db, { experimentId, sweepId: sweep.sweepId });
    expect(s.objective).toEqual({ key: "val_accuracy", direction: "max", source: "sweep" });
    expect(s.importance.items[0].param).toBe(DEMO_SWEEP_TOP_PARAM);
    // Clearly first, not by a hair: the demo is meant to have an obvious answer.
    expect(s.importance.items[0].share).toBeGreaterThan(2 * s.importance.items[1].share);
    // And under the other objective, too.
    const loss = await getSweep(database.db, { experimentId, sweepId: sweep.sweepId, objective: "val_loss", direction: "min" });
    expect(loss.importance.items[0].param).toBe(DEMO_SWEEP_TOP_PARAM);
  });
});
