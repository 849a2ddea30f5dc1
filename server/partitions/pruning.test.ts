// The time-bounded hot queries name the partition key, so the planner reads only the months asked for.
// Each query here has the shape its service builds (same columns and conditions); EXPLAIN lists the
// partitions it would scan.
import { and, eq, gte, lt, lte, sql, type SQLWrapper } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditLog, driftEvaluations, metrics, telemetrySummaries } from "@/db/schema";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { maintainPartitions } from "./service";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
  // Three months around the one queried, so "only this month" means something.
  await maintainPartitions(t.db, { now: new Date("2030-01-15T00:00:00Z"), ahead: 3 });
}, 120_000);
afterAll(async () => {
  await t.close();
});

/** The partitions a query's plan scans. */
async function scanned(query: SQLWrapper): Promise<string[]> {
  const plan = (await queryRows(t.db, sql`explain (costs off) ${query}`)).map((r) => String(Object.values(r)[0])).join("\n");
  return [...new Set([...plan.matchAll(/ on (\w+_(?:p\d{4}_\d{2}|default))/g)].map((m) => m[1]))].sort();
}

const from = new Date("2030-02-03T00:00:00Z");
const to = new Date("2030-02-10T00:00:00Z");

describe("partition pruning", () => {
  it("telemetry of a model over a window reads that month only", async () => {
    const q = t.db
      .select()
      .from(telemetrySummaries)
      .where(
        and(
          eq(telemetrySummaries.modelId, "00000000-0000-0000-0000-000000000000"),
          gte(telemetrySummaries.windowStart, from),
          lt(telemetrySummaries.windowStart, to),
        ),
      );
    expect(await scanned(q)).toEqual(["telemetry_summaries_p2030_02"]);
  });

  it("a drift monitor's evaluations over a range read that month only", async () => {
    const q = t.db
      .select()
      .from(driftEvaluations)
      .where(
        and(
          eq(driftEvaluations.monitorId, "00000000-0000-0000-0000-000000000000"),
          gte(driftEvaluations.windowStart, from),
          lt(driftEvaluations.windowStart, to),
        ),
      );
    expect(await scanned(q)).toEqual(["drift_evaluations_p2030_02"]);
  });

  it("an audit page filtered by date reads those months only", async () => {
    const q = t.db
      .select()
      .from(auditLog)
      .where(and(gte(auditLog.at, from), lte(auditLog.at, to)))
      .orderBy(sql`${auditLog.id} desc`)
      .limit(51);
    expect(await scanned(q)).toEqual(["audit_log_p2030_02"]);
  });

  it("a run's metric over a time range reads that month only (wall clock and time relative to the run's start)", async () => {
    const startTime = Date.UTC(2030, 1, 1);
    const wall = t.db
      .select()
      .from(metrics)
      .where(and(eq(metrics.runId, "r"), eq(metrics.key, "loss"), sql`${metrics.timestamp} between ${from.getTime()} and ${to.getTime()}`));
    expect(await scanned(wall)).toEqual(["metrics_p2030_02"]);
    // What metricSeries adds for a relative range: the same range on the bare timestamp.
    const relative = t.db
      .select()
      .from(metrics)
      .where(
        and(
          eq(metrics.runId, "r"),
          sql`(${metrics.timestamp} - ${startTime}::bigint) between 0 and 86400000`,
          sql`${metrics.timestamp} between ${startTime} and ${startTime + 86_400_000}`,
        ),
      );
    expect(await scanned(relative)).toEqual(["metrics_p2030_02"]);
  });

  it("without a time bound every month is read (what pruning saves)", async () => {
    const q = t.db.select().from(metrics).where(eq(metrics.runId, "r"));
    expect((await scanned(q)).length).toBeGreaterThan(4);
  });
});
