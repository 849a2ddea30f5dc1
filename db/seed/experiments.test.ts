import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { createSeededTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { getMetricHistory, listExperiments, searchRuns } from "@/server/experiments/service";
import { prng } from "./experiments";

let database: Database;

beforeAll(async () => {
  database = await createSeededTestDatabase();
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
});

describe("demo experiments", () => {
  it("draws the same numbers from the same seed", () => {
    const a = prng(7);
    const b = prng(7);
    expect(Array.from({ length: 5 }, a.next)).toEqual(Array.from({ length: 5 }, b.next));
  });

  it("seeds several thousand labelled runs across the sweeps, some FAILED, KILLED and RUNNING", async () => {
    const { items } = await listExperiments(database.db, {});
    const names = items.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "fcw-detector-sweep",
        "fcw-long-schedule",
        "distracted-driving-classifier-sweep",
        "eco-driving-regression",
        "model-evaluations",
        "Default",
      ]),
    );
    expect(items.filter((e) => e.tags.demo === "true").reduce((a, e) => a + e.runCount, 0)).toBeGreaterThan(3000);
    const [counts] = await queryRows(
      database.db,
      sql`select count(*) filter (where status = 'FAILED') as failed, count(*) filter (where status = 'KILLED') as killed, count(*) filter (where status = 'RUNNING') as running from runs`,
    );
    expect(Number(counts.failed)).toBeGreaterThan(10);
    expect(Number(counts.killed)).toBeGreaterThan(10);
    expect(Number(counts.running)).toBeGreaterThan(0);
    const demoTagged = await searchRuns(database.db, {
      experimentIds: [items.find((e) => e.name === "distracted-driving-classifier-sweep")!.id],
      filter: "tags.demo = 'true' and metrics.precision_phone > 0.5",
      maxResults: 5,
      orderBy: ["metrics.recall_phone DESC"],
    });
    expect(demoTagged.runs).toHaveLength(5);
  });

  it("has one run with a 100k-step history", async () => {
    const long = items("fcw-long-schedule");
    const r = await searchRuns(database.db, { experimentIds: [(await long).id] });
    const page = await getMetricHistory(database.db, { runId: r.runs[0].info.runId, key: "train_loss", maxResults: 25_000 });
    expect(page.metrics).toHaveLength(25_000);
    expect(page.nextPageToken).toBeTruthy();
    expect(r.runs[0].data.metrics.find((m) => m.key === "train_loss")?.step).toBe(99_999);
  });

  it("links a run as the lineage of every demo model version", async () => {
    const [row] = await queryRows(
      database.db,
      sql`select count(*) as total, count(*) filter (where lineage->>'sourceRunId' in (select run_id from runs)) as linked from model_versions`,
    );
    expect(Number(row.total)).toBeGreaterThan(5);
    expect(Number(row.linked)).toBe(Number(row.total));
  });
});

async function items(name: string) {
  return (await listExperiments(database.db, { q: name })).items.find((e) => e.name === name)!;
}
