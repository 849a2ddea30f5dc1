// Benchmark of monthly partitioning of metric points on PostgreSQL (PGlite is one process on one disk;
// partitioning matters where the data is large).
//   npx tsx scripts/bench-partitions.ts                     (starts its own throwaway PostgreSQL)
//   DATABASE_URL=postgres://... npx tsx scripts/bench-partitions.ts   (creates and drops its own database there)
// BENCH_POINTS (10000000) points of 100 runs x 10 keys over 12 months of 2025, loaded with generate_series;
// BENCH_REPEAT (25) runs per timed query. Prints figures only.
import os from "node:os";
import pg from "pg";
import { openDatabase } from "@/db/client";
import { createUser } from "@/server/auth/users";
import { createExperiment, createRun } from "@/server/experiments/service";
import { maintainPartitions } from "@/server/partitions/service";
import { startThrowawayPostgres } from "./throwaway-postgres";

const POINTS = Number(process.env.BENCH_POINTS ?? 10_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 25);
const RUNS = 100;
const KEYS = 10;
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2026, 0, 1);
/** Rows per INSERT … SELECT generate_series: bounded statements, progress visible. */
const CHUNK = 1_000_000;

const ms = (t0: number) => performance.now() - t0;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
function report(label: string, value: string) {
  console.log(`${label.padEnd(64)} ${value}`);
}

async function main() {
  const own = process.env.DATABASE_URL ? null : await startThrowawayPostgres({ shared_buffers: "256MB", max_wal_size: "4GB" });
  const serverUrl = process.env.DATABASE_URL ?? own!.url;
  const name = `sentinel_bench_partitions_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), pool: { statementTimeoutMs: 600_000 } });
  // One session for the timed statements: no statement timeout, settings under our control.
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const { db } = database;
    const [{ server_version: version }] = (await c.query("show server_version")).rows;
    console.log(`PostgreSQL ${version}; node ${process.version}; ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}; ${new Date().toISOString()}`);
    const user = await createUser(db, null, { email: "bench@example.com", role: "engineer", password: "bench-password-1" });
    const actor = { userId: user.id, email: user.email, role: "engineer" as const, requestId: "bench" };
    const exp = await createExperiment(db, actor, { name: "partition-bench" });
    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i++) runIds.push((await createRun(db, actor, { experimentId: String(exp.id), runName: `r${i}` })).info.runId);
    // The twelve months of 2025, as the maintenance tick creates them ahead.
    await maintainPartitions(db, { now: new Date(FROM), ahead: 11 });

    // Points spread evenly over the year; each run logs every key, steps increasing with time.
    const span = TO - FROM;
    let t0 = performance.now();
    for (let at = 0; at < POINTS; at += CHUNK) {
      const n = Math.min(CHUNK, POINTS - at);
      await c.query(
        `insert into metrics (run_id, key, value, timestamp, step)
         select ($1::text[])[1 + g % ${RUNS}], 'm' || ((g / ${RUNS}) % ${KEYS}), random(), ${FROM} + (g::float8 * ${span} / ${POINTS})::bigint, g / ${RUNS * KEYS}
         from generate_series($2::bigint, $3::bigint) g`,
        [runIds, at, at + n - 1],
      );
      process.stdout.write(`\rloaded ${(at + n).toLocaleString("en")} points`);
    }
    process.stdout.write("\n");
    const loadS = ms(t0) / 1000;
    await c.query("vacuum analyze metrics");
    report(
      `load ${POINTS.toLocaleString("en")} points (generate_series, indexes on)`,
      `${loadS.toFixed(0)} s, ${Math.round(POINTS / loadS).toLocaleString("en")} points/s`,
    );

    // Month-bounded queries: June 2025, for a random run and key (the chart of one run's month), and
    // across all runs (an aggregate over a month). Pruning on reads one partition; off, all thirteen.
    const june = [Date.UTC(2025, 5, 1), Date.UTC(2025, 6, 1)];
    const timed = async (q: string, params: () => unknown[]) => {
      const xs: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        const p = params();
        const t = performance.now();
        await c.query(q, p);
        xs.push(ms(t));
      }
      return p50(xs);
    };
    const pick = () => [runIds[Math.floor(Math.random() * RUNS)], `m${Math.floor(Math.random() * KEYS)}`, june[0], june[1]];
    const history = `select value, timestamp, step from metrics where run_id = $1 and key = $2 and timestamp >= $3 and timestamp < $4 order by step, timestamp, id`;
    const monthAgg = `select count(*), avg(value) from metrics where timestamp >= $1 and timestamp < $2`;
    const plan = async (q: string, p: unknown[]) => {
      const lines = (await c.query(`explain ${q}`, p)).rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
      return new Set([...lines.matchAll(/ on (metrics_(?:p\d{4}_\d{2}|default))\b/g)].map((m) => m[1])).size;
    };
    const results: Record<string, number> = {};
    for (const pruning of ["on", "off"]) {
      await c.query(`set enable_partition_pruning = ${pruning}`);
      // Warm the cache the same way for both.
      await timed(history, pick);
      results[`history_${pruning}`] = await timed(history, pick);
      results[`agg_${pruning}`] = await timed(monthAgg, () => june);
      report(`partitions scanned, pruning ${pruning} (history / month aggregate)`, `${await plan(history, pick())} / ${await plan(monthAgg, june)}`);
    }
    await c.query("reset enable_partition_pruning");
    report(
      `one run's metric over a month, p50 of ${REPEAT}: pruning on / off`,
      `${fmt(results.history_on)} ms / ${fmt(results.history_off)} ms (${(results.history_off / results.history_on).toFixed(1)}x)`,
    );
    report(
      `month aggregate over all runs, p50 of ${REPEAT}: pruning on / off`,
      `${fmt(results.agg_on)} ms / ${fmt(results.agg_off)} ms (${(results.agg_off / results.agg_on).toFixed(1)}x)`,
    );

    // Retention: dropping January's partition against deleting February's rows (a month each).
    const [{ n: janRows }] = (await c.query("select count(*)::int as n from metrics_p2025_01")).rows;
    t0 = performance.now();
    await c.query("drop table metrics_p2025_01");
    const dropMs = ms(t0);
    t0 = performance.now();
    const del = await c.query("delete from metrics where timestamp >= $1 and timestamp < $2", [Date.UTC(2025, 1, 1), Date.UTC(2025, 2, 1)]);
    const deleteMs = ms(t0);
    report(`retention of one month: DROP partition (${janRows.toLocaleString("en")} rows)`, `${fmt(dropMs)} ms`);
    report(
      `retention of one month: DELETE (${del.rowCount?.toLocaleString("en")} rows, before vacuum)`,
      `${fmt(deleteMs)} ms (${(deleteMs / dropMs).toFixed(0)}x)`,
    );
    // Two months kept on 15 June: February (emptied above) and March go, each audited.
    t0 = performance.now();
    const tick = await maintainPartitions(db, { now: new Date(Date.UTC(2025, 5, 15)), ahead: 0, retention: { metrics: 2 } });
    report(
      `maintenance tick with retention: ${tick.dropped.map((d) => `${d.partition} (${d.rows.toLocaleString("en")} rows)`).join(", ")}`,
      `${fmt(ms(t0))} ms`,
    );
  } finally {
    await c.end();
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    own?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
