// Benchmark of the experiments area at scale, through the service layer, with a deterministic PRNG.
// npx tsx scripts/bench-experiments.ts            (PGlite in a temporary directory)
// DATABASE_URL=postgres://... npx tsx scripts/bench-experiments.ts   (PostgreSQL; writes bench data)
// Sizes: BENCH_RUNS (100000), BENCH_POINTS (1000000), BENCH_BATCH_POINTS (100000). Prints figures only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/db/client";
import { metrics } from "@/db/schema";
import { prng } from "@/db/seed/experiments";
import type { Actor } from "@/server/auth/roles";
import { createUser } from "@/server/auth/users";
import { metricSeries } from "@/server/experiments/charts";
import { createExperiment, createRun, getMetricHistory, importRuns, logBatch, searchRuns, type ImportRun } from "@/server/experiments/service";

const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const BATCH_POINTS = Number(process.env.BENCH_BATCH_POINTS ?? 100_000);

const rows: [string, string][] = [];
function report(label: string, value: string) {
  rows.push([label, value]);
  console.log(`${label.padEnd(58)} ${value}`);
}
const ms = (t0: number) => performance.now() - t0;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const url = process.env.DATABASE_URL;
  const dir = url ? null : fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-bench-"));
  const database: Database = await openDatabase(url ? { url } : { pgliteDir: dir! });
  const { db } = database;
  const suffix = Date.now().toString(36);
  const rng = prng(42);
  try {
    console.log(`driver: ${database.driver}; node ${process.version}; ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}; ${new Date().toISOString()}`);
    const user = await createUser(db, null, { email: `bench-${suffix}@example.com`, role: "engineer", password: "bench-password-1" });
    const actor: Actor = { userId: user.id, email: user.email, role: "engineer", requestId: "bench" };
    const exp = await createExperiment(db, actor, { name: `bench-${suffix}` });
    const expId = String(exp.id);

    // 1. log-batch ingest through the service (1000 points a call, as the client sends), against a
    //    plain multi-row INSERT of the same rows.
    const run = await createRun(db, actor, { experimentId: expId, runName: "ingest" });
    const batches = Math.ceil(BATCH_POINTS / 1000);
    const make = (b: number) =>
      Array.from({ length: 1000 }, (_, i) => ({
        key: `m${i % 4}`,
        value: rng.next(),
        timestamp: 1_700_000_000_000 + b * 1000 + i,
        step: b * 250 + Math.floor(i / 4),
      }));
    let t0 = performance.now();
    for (let b = 0; b < batches; b++) await logBatch(db, actor, { runId: run.info.runId, metrics: make(b) });
    const serviceRate = (batches * 1000) / (ms(t0) / 1000);
    const base = await createRun(db, actor, { experimentId: expId, runName: "baseline" });
    t0 = performance.now();
    for (let b = 0; b < batches; b++) await db.insert(metrics).values(make(b).map((m) => ({ runId: base.info.runId, ...m })));
    const plainRate = (batches * 1000) / (ms(t0) / 1000);
    report(`log-batch ingest, ${batches}x1000 points (service)`, `${Math.round(serviceRate).toLocaleString("en")} points/s`);
    report("plain multi-row INSERT of the same rows", `${Math.round(plainRate).toLocaleString("en")} points/s`);
    report("service / plain INSERT", `${(serviceRate / plainRate).toFixed(2)}x`);

    // 2. One run with POINTS metric points (bulk import), then history pages and chart data.
    const steps = Array.from({ length: POINTS }, (_, i) => i);
    const values = steps.map((s) => 2 * Math.exp(-s / (POINTS / 5)) + 0.05 * rng.normal() + (s === Math.floor(POINTS * 0.61) ? 5 : 0));
    t0 = performance.now();
    const [longId] = await importRuns(db, actor, expId, [
      {
        runName: "long",
        status: "FINISHED",
        startTime: 1_700_000_000_000,
        metrics: [{ key: "loss", steps, values, timestamps: steps.map((s) => 1_700_000_000_000 + s * 100) }],
      },
    ]);
    const importMs = ms(t0);
    report(
      `bulk import of a ${POINTS.toLocaleString("en")}-point series`,
      `${(importMs / 1000).toFixed(1)} s (${Math.round(POINTS / (importMs / 1000)).toLocaleString("en")} points/s)`,
    );
    const pageTimes: number[] = [];
    let token: string | undefined;
    for (let p = 0; p < 5; p++) {
      t0 = performance.now();
      const page = await getMetricHistory(db, { runId: longId, key: "loss", maxResults: 25_000, pageToken: token });
      pageTimes.push(ms(t0));
      token = page.nextPageToken ?? undefined;
    }
    report("get-history page of 25,000 points (p50 of 5 pages)", `${pct(pageTimes, 50).toFixed(0)} ms`);
    const chartTimes: number[] = [];
    let buckets = 0;
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const s = await metricSeries(db, { runIds: [longId], key: "loss", maxPoints: 1000 });
      chartTimes.push(ms(t0));
      buckets = s.series[0].points.length;
    }
    report(`chart data for the ${POINTS.toLocaleString("en")}-point series (${buckets} buckets, p50)`, `${pct(chartTimes, 50).toFixed(0)} ms`);
    t0 = performance.now();
    await metricSeries(db, { runIds: [longId], key: "loss", maxPoints: 1000, range: { from: POINTS * 0.6, to: POINTS * 0.62 } });
    report("chart data, zoomed to 2% of the range", `${ms(t0).toFixed(0)} ms`);

    // 3. An experiment with RUNS runs (params, tags, latest metrics), then runs/search.
    const big = await createExperiment(db, actor, { name: `bench-${suffix}-runs` });
    t0 = performance.now();
    const chunk = 10_000;
    for (let start = 0; start < RUNS; start += chunk) {
      const part: ImportRun[] = Array.from({ length: Math.min(chunk, RUNS - start) }, (_, j) => {
        const i = start + j;
        return {
          runName: `run-${i}`,
          status: i % 25 === 0 ? "FAILED" : "FINISHED",
          startTime: 1_700_000_000_000 + i * 1000,
          params: {
            lr: ["0.1", "0.01", "0.001"][i % 3],
            batch_size: ["16", "32", "64"][i % 3 === 0 ? 0 : (i >> 2) % 3],
            backbone: ["a", "b", "c", "d"][i % 4],
          },
          tags: { sweep: String(i % 10) },
          metrics: [
            { key: "acc", steps: [0], values: [rng.next()], timestamps: [1_700_000_000_000 + i * 1000] },
            { key: "loss", steps: [0], values: [rng.next()], timestamps: [1_700_000_000_000 + i * 1000] },
          ],
        };
      });
      await importRuns(db, actor, String(big.id), part);
    }
    report(`bulk import of ${RUNS.toLocaleString("en")} runs (3 params, 1 tag, 2 metrics each)`, `${(ms(t0) / 1000).toFixed(1)} s`);
    const searches: [string, Parameters<typeof searchRuns>[1]][] = [
      [
        "runs/search, metric filter + param filter, order by metric, 100 rows",
        { experimentIds: [String(big.id)], filter: "metrics.acc > 0.5 and params.lr = '0.01'", orderBy: ["metrics.acc DESC"], maxResults: 100 },
      ],
      ["runs/search, no filter, default order, 1000 rows", { experimentIds: [String(big.id)], maxResults: 1000 }],
      [
        "runs/search, attribute filter, order by param, 100 rows",
        {
          experimentIds: [String(big.id)],
          filter: "attributes.status = 'FINISHED' and run_name LIKE 'run-9%'",
          orderBy: ["params.batch_size ASC"],
          maxResults: 100,
        },
      ],
    ];
    for (const [label, q] of searches) {
      const times: number[] = [];
      for (let i = 0; i < 12; i++) {
        t0 = performance.now();
        await searchRuns(db, q);
        times.push(ms(t0));
      }
      report(`${label} (p50 / p95)`, `${pct(times, 50).toFixed(0)} / ${pct(times, 95).toFixed(0)} ms`);
    }
  } finally {
    await database.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log("\n| measure | result |\n| --- | --- |");
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
