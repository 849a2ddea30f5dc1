// The serving series of a model (requests, error rate, latency percentiles per time step), merged
// from the telemetry summaries in SQL; drawn on the model page and measured by threshold rules.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { telemetrySummaries } from "@/db/schema";
import { LATENCY_BOUNDS_MS, latencyQuantile } from "@/server/telemetry/histogram";

/** Requests, error rate and latency percentiles per time step, merged from summaries in SQL. */
export async function servingSeries(
  db: Db,
  modelId: string,
  from: Date,
  to: Date,
  stepMs: number,
  only: { target?: string | null; cohort?: string | null } = {},
) {
  const bucket = sql`floor(extract(epoch from window_start) * 1000 / ${stepMs})::bigint`;
  const where = sql`model_id = ${modelId} and window_start >= ${from} and window_start < ${to}${only.target ? sql` and target = ${only.target}` : sql``}${only.cohort ? sql` and cohort = ${only.cohort}` : sql``}`;
  const [scalars, hist] = await Promise.all([
    queryRows(
      db,
      sql`select ${bucket} as b, sum(requests)::float8 as requests, sum(errors)::float8 as errors from ${telemetrySummaries} where ${where} group by 1 order by 1`,
    ),
    queryRows(
      db,
      sql`select ${bucket} as b, (e.idx - 1)::int as i, sum(e.v::float8) as c from ${telemetrySummaries}, jsonb_array_elements_text(latency) with ordinality as e(v, idx) where ${where} group by 1, 2`,
    ),
  ]);
  const latency = new Map<number, number[]>();
  for (const r of hist) {
    const b = Number(r.b);
    const arr = latency.get(b) ?? new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
    arr[Number(r.i)] = Number(r.c);
    latency.set(b, arr);
  }
  return scalars.map((r) => {
    const b = Number(r.b);
    const counts = latency.get(b) ?? [];
    const requests = Number(r.requests);
    return {
      t: b * stepMs,
      requests,
      errorRate: requests > 0 ? Number(r.errors) / requests : 0,
      p50: latencyQuantile(counts, 0.5),
      p95: latencyQuantile(counts, 0.95),
      p99: latencyQuantile(counts, 0.99),
    };
  });
}
