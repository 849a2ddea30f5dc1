// A run search stops when its client goes away: on PostgreSQL the door's abort signal cancels the search's own backend
// (pg_cancel_backend), and the connection that was cancelled is never handed to another request. PGlite runs in the
// process and cannot cancel a statement; there only a request that is already gone is refused before it starts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";

vi.hoisted(() => {
  // Long, so only the cancellation (not the statement timeout) can stop the search below within a second.
  process.env.SEARCH_STATEMENT_TIMEOUT_MS = "60000";
});

import * as searchRoute from "@/app/api/v1/runs/search/route";
import { queryRows } from "@/db/client";
import { testDriver } from "@/db/test-db";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { MAX_FILTER_CONDITIONS } from "./filter";
import { createExperiment } from "./service";

let t: TestEnv;
let reader: string;
let experimentId: string;
beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  reader = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["runs:read"] })).token;
  experimentId = String((await createExperiment(t.db, t.actors.engineer, { name: "cancel" })).id);
});
afterAll(async () => {
  await t.close();
});

const search = (body: unknown, signal: AbortSignal) =>
  searchRoute.POST(
    new Request("http://portal.test/api/v1/runs/search", {
      method: "POST",
      signal,
      headers: { authorization: `Bearer ${reader}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    {
      params: Promise.resolve({}),
    },
  );
// Each condition scans a long name to its end for every run: far more than 20 s of work unless it is stopped.
const slowFilter = Array.from({ length: MAX_FILTER_CONDITIONS }, () => "attributes.run_name LIKE '%y'").join(" and ");

describe("run search cancellation", () => {
  it("refuses a search whose client is already gone, before it touches the database", async () => {
    const gone = new AbortController();
    gone.abort();
    const res = await search({ experimentIds: [experimentId] }, gone.signal);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/cancelled/);
  });

  it("on PostgreSQL, stops a long search within about a second of the abort and never cancels a reused connection", async () => {
    if (testDriver !== "postgres") {
      // PGlite ignores cancellation (one in-process backend, no pg_cancel_backend): nothing more to check here.
      expect(testDriver).toBe("pglite");
      return;
    }
    await t.db.execute(sql`insert into runs (run_id, experiment_id, start_time, run_name)
      select md5(g::text), ${Number(experimentId)}, g, repeat('x', 2000) || 'y' from generate_series(1, 50000) g`);
    const ac = new AbortController();
    const started = performance.now();
    // Ordered by a metric the runs lack: every run is filtered and sorted (the default order's index would stop early).
    const pending = search({ experimentIds: [experimentId], filter: slowFilter, orderBy: ["metrics.loss ASC"], maxResults: 1000 }, ac.signal);
    // Let the query reach the database, then go away.
    for (let i = 0; i < 100; i++) {
      const running = await queryRows(
        t.db,
        sql`select count(*)::int as n from pg_stat_activity where state = 'active' and query ilike '%run_name%like%' and pid <> pg_backend_pid()`,
      );
      if (Number(running[0].n) > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const abortedAt = performance.now();
    ac.abort();
    const res = await pending;
    const afterAbort = performance.now() - abortedAt;
    expect(res.status).toBe(400);
    expect(afterAbort).toBeLessThan(1_500);
    expect(performance.now() - started).toBeLessThan(20_000);
    // pg_cancel_backend only signals the backend, which stops at its next interrupt check: give it a moment, far less
    // than the 20 s the search would otherwise run.
    const active = async () =>
      Number(
        (
          await queryRows(
            t.db,
            sql`select count(*)::int as n from pg_stat_activity where state = 'active' and query ilike '%run_name%like%' and pid <> pg_backend_pid()`,
          )
        )[0].n,
      );
    await expect.poll(active, { timeout: 3_000, interval: 100 }).toBe(0);
    // Every pooled connection still answers: none was left with a stray cancel for the next request.
    const after = await Promise.all(Array.from({ length: 10 }, () => queryRows(t.db, sql`select pg_sleep(0.2), 1 as ok`)));
    expect(after.every((r) => Number(r[0].ok) === 1)).toBe(true);
  }, 60_000);

  it("a search that finishes before the abort is answered normally, and the abort afterwards cancels nothing", async () => {
    const ac = new AbortController();
    const res = await search({ experimentIds: [experimentId], maxResults: 5 }, ac.signal);
    expect(res.status).toBe(200);
    ac.abort();
    expect(Number((await queryRows(t.db, sql`select 1 as ok`))[0].ok)).toBe(1);
  });
});
