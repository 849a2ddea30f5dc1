// runs/search in its default order reads one experiment in index order and stops at the page's end, even before the
// planner has statistics (a sweep searched right after logging its runs): no sort of the whole experiment.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createExperiment, importRuns, searchRuns, searchRunIdsQuery } from "./service";

let t: TestEnv;
let experimentId: string;
beforeAll(async () => {
  t = await setupTestEnv();
  experimentId = String((await createExperiment(t.db, t.actors.engineer, { name: "plan" })).id);
  await importRuns(
    t.db,
    t.actors.engineer,
    experimentId,
    Array.from({ length: 600 }, (_, i) => ({
      runName: `r${i}`,
      status: "FINISHED" as const,
      // Ties on start_time, so the run id decides within a group.
      startTime: 1_700_000_000_000 + Math.floor(i / 3) * 1000,
      params: { lr: ["0.1", "0.01", "0.001"][i % 3] },
      metrics: [{ key: "acc", steps: [0], values: [(i % 10) / 10], timestamps: [1] }],
    })),
  );
}, 120_000);
afterAll(() => t.close());

const filter = "metrics.acc > 0.2 and params.lr = '0.01'";

describe("run search plan", () => {
  it("walks the ordered index with no sort node and reads a fraction of the experiment for the first page", async () => {
    const plan = (
      await queryRows(
        t.db,
        sql`explain (analyze, format json) ${searchRunIdsQuery({ experimentIds: [experimentId], filter, orderBy: [], viewType: "ACTIVE_ONLY" }, 0, 20)}`,
      )
    )[0];
    const root = (Object.values(plan)[0] as { Plan: PlanNode }[])[0].Plan;
    const nodes = flatten(root);
    expect(nodes.map((n) => n["Node Type"])).not.toContain("Sort");
    const scan = nodes.find((n) => n["Relation Name"] === "runs")!;
    expect(scan["Index Name"]).toBe("runs_experiment_order_idx");
    expect(scan["Actual Rows"]).toBeLessThan(200);
  });

  it("still answers in MLflow's default order: start time descending, then run id", async () => {
    const { runs: page } = await searchRuns(t.db, { experimentIds: [experimentId], filter, maxResults: 30 });
    expect(page).toHaveLength(30);
    const keys = page.map((r) => [r.info.startTime, r.info.runId] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    expect(keys).toEqual(sorted);
    expect(page.every((r) => r.data.params.some((p) => p.key === "lr" && p.value === "0.01"))).toBe(true);
  });
});

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; "Actual Rows": number; Plans?: PlanNode[] };
const flatten = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(flatten)];
