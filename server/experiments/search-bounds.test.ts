// Run search cost bounds through the real doors: a cap on conditions and ORDER BY terms, and a
// statement timeout on the search's own transaction.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";

vi.hoisted(() => {
  // Short enough to stop the expensive search below, long enough that 50 cheap conditions finish on a busy CI machine.
  process.env.SEARCH_STATEMENT_TIMEOUT_MS = "2000";
});

import * as mlflowRoute from "@/app/api/2.0/mlflow/[...path]/route";
import * as searchRoute from "@/app/api/v1/runs/search/route";
import { queryRows } from "@/db/client";
import { testDriver } from "@/db/test-db";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { MAX_FILTER_CONDITIONS, MAX_ORDER_BY_TERMS } from "./filter";
import { createExperiment } from "./service";
import { withStatementTimeout } from "./statement-timeout";

let t: TestEnv;
let reader: string;
let experimentId: string;
beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  reader = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["runs:read"] })).token;
  experimentId = String((await createExperiment(t.db, t.actors.engineer, { name: "bounds" })).id);
});
afterAll(async () => {
  await t.close();
});

const conditions = (n: number) => Array.from({ length: n }, (_, i) => `metrics.m${i} >= 0`).join(" and ");
const mlflowSearch = (body: unknown) =>
  mlflowRoute.POST(
    new Request("http://portal.test/api/2.0/mlflow/runs/search", {
      method: "POST",
      headers: { authorization: `Bearer ${reader}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ path: ["runs", "search"] }) },
  );
const restSearch = (body: unknown) =>
  searchRoute.POST(
    new Request("http://portal.test/api/v1/runs/search", {
      method: "POST",
      headers: { authorization: `Bearer ${reader}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    {
      params: Promise.resolve({}),
    },
  );

describe("run search bounds", () => {
  it(`refuses 200 conditions (under the character limit) with INVALID_PARAMETER_VALUE naming the limit of ${MAX_FILTER_CONDITIONS}`, async () => {
    const filter = conditions(200);
    expect(filter.length).toBeLessThan(10_000);
    const started = performance.now();
    const res = await mlflowSearch({ experiment_ids: [experimentId], filter });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error_code: string; message: string };
    expect(body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(body.message).toContain(`at most ${MAX_FILTER_CONDITIONS} conditions`);
    expect(performance.now() - started).toBeLessThan(5_000);
    const rest = await restSearch({ experimentIds: [experimentId], filter });
    expect(rest.status).toBe(400);
  });

  it(`allows ${MAX_FILTER_CONDITIONS} conditions`, async () => {
    expect((await mlflowSearch({ experiment_ids: [experimentId], filter: conditions(MAX_FILTER_CONDITIONS) })).status).toBe(200);
  });

  it(`refuses more than ${MAX_ORDER_BY_TERMS} order_by terms with a message naming the limit`, async () => {
    const orderBy = Array.from({ length: MAX_ORDER_BY_TERMS + 1 }, (_, i) => `metrics.m${i} DESC`);
    const res = await mlflowSearch({ experiment_ids: [experimentId], order_by: orderBy });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(`at most ${MAX_ORDER_BY_TERMS}`);
  });

  it("runs the search under a statement timeout that turns into a clear 400", async () => {
    if (testDriver === "postgres") {
      // Each condition scans a long name to its end, for every run: about 20 s of work the 2 s timeout must stop.
      await t.db.execute(sql`insert into runs (run_id, experiment_id, start_time, run_name)
        select md5(g::text), ${Number(experimentId)}, g, repeat('x', 2000) || 'y' from generate_series(1, 50000) g`);
      const started = performance.now();
      const filter = Array.from({ length: MAX_FILTER_CONDITIONS }, () => "attributes.run_name LIKE '%y'").join(" and ");
      // Ordered by a metric the runs lack: every run is filtered and sorted (the default order's index would stop early).
      const res = await restSearch({ experimentIds: [experimentId], filter, orderBy: ["metrics.loss ASC"], maxResults: 1000 });
      const ms = performance.now() - started;
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/longer than 2 s/);
      expect(ms).toBeLessThan(8_000);
    } else {
      // PGlite runs in-process and ignores statement_timeout (measured), so the search skips the timed transaction
      // (three round trips for nothing); inside a caller's transaction the setting is still scoped to it.
      const bare = await withStatementTimeout(t.db, "The search", (tx) => queryRows(tx, sql`select current_setting('statement_timeout') as v`));
      expect(bare[0].v).not.toBe("2s");
      const inside = await t.db.transaction((outer) =>
        withStatementTimeout(outer, "The search", (tx) => queryRows(tx, sql`select current_setting('statement_timeout') as v`)),
      );
      expect(inside[0].v).toBe("2s");
      const after = await queryRows(t.db, sql`select current_setting('statement_timeout') as v`);
      expect(after[0].v).not.toBe("2s");
    }
  });
});
