// Benchmark of the monitoring area through the service layer, with deterministic data.
// npx tsx scripts/bench-monitoring.ts                                 (PGlite in a temporary directory)
// DATABASE_URL=postgres://... npx tsx scripts/bench-monitoring.ts    (PostgreSQL; writes bench models)
// Sizes: BENCH_DEVICES (1000), BENCH_WINDOWS (6 five-minute windows per device), BENCH_DAYS (30),
// BENCH_FEATURES (50; monitors are two per feature: all cohorts and one cohort). Prints figures only.
//  1. ingest of device summaries (validation, idempotency check, content hash, batch of 200 as the
//     simulator posts) against a plain INSERT of the same rows;
//  2. drift evaluation of the monitors over every hourly window of BENCH_DAYS days (each evaluation
//     stored with both distributions) against a plain INSERT of the same evaluation rows;
//  3. the model monitoring page's data for a 30-day range (p50 of 5).
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { driftEvaluations, driftMonitors, telemetrySummaries, type FeatureSummary } from "@/db/schema";
import { mulberry32 } from "@/lib/prng";
import { LocalArtifactStore } from "@/server/artifacts/local";
import type { Actor } from "@/server/auth/roles";
import { createUser } from "@/server/auth/users";
import { evaluateMonitors } from "@/server/monitoring/evaluate";
import { createMonitor } from "@/server/monitoring/monitors";
import { modelMonitoring } from "@/server/monitoring/pages";
import { createModel, registerVersion, setAlias } from "@/server/registry/service";
import { LATENCY_BUCKETS } from "@/server/telemetry/histogram";
import { ingestSummaries } from "@/server/telemetry/service";
import type { TSummary } from "@/server/telemetry/schemas";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 6);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const FEATURES = Number(process.env.BENCH_FEATURES ?? 50);
const BATCH = 200;
const MIN = 60_000;
const HOUR = 60 * MIN;
const EDGES = Array.from({ length: 11 }, (_, i) => i / 10);

const ms = (t0: number) => performance.now() - t0;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString("en");
function report(label: string, value: string) {
  console.log(`${label.padEnd(66)} ${value}`);
}

/** A 10-bin histogram of `n` values around `mu` (shares of a discretised bell, rounded). */
function histogram(rand: () => number, mu: number, n: number): FeatureSummary {
  const weights = EDGES.slice(0, -1).map((lo) => Math.exp(-(((lo + 0.05 - mu) / 0.15) ** 2)) * (0.9 + 0.2 * rand()));
  const total = weights.reduce((a, b) => a + b, 0);
  return { kind: "numeric", edges: EDGES, counts: weights.map((w) => Math.round((w / total) * n)) };
}

function latency(rand: () => number, requests: number): number[] {
  const counts = new Array<number>(LATENCY_BUCKETS).fill(0);
  for (let i = 0; i < 4; i++) counts[10 + Math.floor(rand() * 6)] += Math.floor(requests / 4);
  return counts;
}

async function main() {
  const url = process.env.DATABASE_URL;
  const dir = url ? null : fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-bench-"));
  const database: Database = await openDatabase(url ? { url } : { pgliteDir: dir! });
  const { db } = database;
  const suffix = Date.now().toString(36);
  const rand = mulberry32(7);
  const store = new LocalArtifactStore(fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-bench-store-")));
  try {
    console.log(`driver: ${database.driver}; node ${process.version}; ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}; ${new Date().toISOString()}`);
    const user = await createUser(db, null, { email: `bench-${suffix}@example.com`, role: "engineer", password: "bench-password-1" });
    const actor: Actor = { userId: user.id, email: user.email, role: "engineer", requestId: "bench" };
    const model = async (slug: string) => {
      const m = await createModel(db, actor, { slug, name: slug, team: "bench", task: "classification" });
      await registerVersion(db, store, actor, slug, { artifactUri: `s3://bench/${slug}.onnx` });
      await setAlias(db, actor, slug, "production", 1);
      return m.id;
    };

    // 1. Ingest: DEVICES devices x WINDOWS five-minute windows, four features each.
    const ingestSlug = `bench-ingest-${suffix}`;
    const baseSlug = `bench-plain-${suffix}`;
    await model(ingestSlug);
    const baseId = await model(baseSlug);
    const now = new Date();
    const first = Math.floor(now.getTime() / (5 * MIN)) * 5 * MIN - WINDOWS * 5 * MIN;
    const summaries: TSummary[] = [];
    for (let w = 0; w < WINDOWS; w++)
      for (let d = 0; d < DEVICES; d++) {
        const requests = 200 + Math.floor(rand() * 100);
        summaries.push({
          idempotencyKey: `bench-${suffix}-${d}-${w}`,
          model: ingestSlug,
          version: 1,
          target: "device",
          cohort: `gen${d % 4}`,
          slice: { region: d % 3 ? "eu" : "us", timeOfDay: "day" },
          windowStart: new Date(first + w * 5 * MIN),
          windowSeconds: 300,
          requests,
          errors: Math.floor(rand() * 3),
          latencyMs: { counts: latency(rand, requests) },
          features: {
            brightness: histogram(rand, 0.55, requests),
            contrast: histogram(rand, 0.5, requests),
            blur: histogram(rand, 0.3, requests),
            speed: histogram(rand, 0.6, requests),
          },
          predictions: { class: { kind: "categorical", counts: { ok: requests - 10, too_dark: 10 } } },
        });
      }
    let t0 = performance.now();
    for (let i = 0; i < summaries.length; i += BATCH) await ingestSummaries(db, actor, { summaries: summaries.slice(i, i + BATCH) });
    const serviceRate = summaries.length / (ms(t0) / 1000);
    const plainRows = summaries.map((s) => ({
      idempotencyKey: `plain-${s.idempotencyKey}`,
      contentHash: createHash("sha256").update(s.idempotencyKey).digest("hex"),
      modelId: baseId,
      version: 1,
      target: s.target,
      cohort: s.cohort ?? "all",
      slice: s.slice ?? {},
      windowStart: s.windowStart as Date,
      windowSeconds: s.windowSeconds ?? 300,
      requests: s.requests,
      errors: s.errors,
      latency: s.latencyMs.counts,
      features: s.features ?? {},
      predictions: s.predictions ?? {},
    }));
    t0 = performance.now();
    for (let i = 0; i < plainRows.length; i += BATCH) await db.insert(telemetrySummaries).values(plainRows.slice(i, i + BATCH));
    const plainRate = plainRows.length / (ms(t0) / 1000);
    report(`ingest, ${fmt(DEVICES)} devices x ${WINDOWS} windows, batches of ${BATCH} (service)`, `${fmt(serviceRate)} windows/s`);
    report("plain INSERT of the same rows", `${fmt(plainRate)} windows/s`);
    report("service / plain INSERT", `${(serviceRate / plainRate).toFixed(2)}x`);
    t0 = performance.now();
    const retry = await ingestSummaries(db, actor, { summaries: summaries.slice(0, BATCH) });
    report(`a retried batch of ${BATCH} (all duplicates: ${retry.duplicates})`, `${ms(t0).toFixed(0)} ms`);

    // 2. Drift: FEATURES features, two cohorts, one summary per cohort and hour for DAYS days; the
    //    last quarter drifts. Two monitors per feature (all cohorts, and cohort eu).
    const driftSlug = `bench-drift-${suffix}`;
    const driftId = await model(driftSlug);
    const hours = DAYS * 24;
    const end = Math.floor(now.getTime() / HOUR) * HOUR;
    const start = end - hours * HOUR;
    const names = Array.from({ length: FEATURES }, (_, i) => `f${String(i).padStart(2, "0")}`);
    const hourly: TSummary[] = [];
    for (let h = 0; h < hours; h++)
      for (const cohort of ["eu", "us"]) {
        const drifting = h >= hours * 0.75;
        hourly.push({
          idempotencyKey: `bench-${suffix}-drift-${cohort}-${h}`,
          model: driftSlug,
          version: 1,
          target: "cloud-online",
          cohort,
          windowStart: new Date(start + h * HOUR),
          windowSeconds: 3600,
          requests: 5000,
          errors: 5,
          latencyMs: { counts: latency(rand, 5000) },
          features: Object.fromEntries(names.map((n, i) => [n, histogram(rand, drifting && i % 2 === 0 ? 0.35 : 0.55, 5000)])),
        });
      }
    t0 = performance.now();
    for (let i = 0; i < hourly.length; i += BATCH)
      await ingestSummaries(db, actor, { summaries: hourly.slice(i, i + BATCH) }, { now, maxLatenessMs: (DAYS + 1) * 24 * HOUR });
    report(`loading ${fmt(hourly.length)} hourly summaries with ${FEATURES} features each`, `${(ms(t0) / 1000).toFixed(1)} s`);
    const refTo = new Date(start + 7 * 24 * HOUR);
    for (const name of names)
      for (const cohort of [null, "eu"])
        await createMonitor(db, actor, {
          model: driftSlug,
          version: 1,
          source: "feature",
          name,
          cohort,
          windowMinutes: 60,
          referenceFrom: new Date(start),
          referenceTo: refTo,
        });
    t0 = performance.now();
    const evald = await evaluateMonitors(db, { now: new Date(end), from: new Date(start), modelId: driftId });
    const evalMs = ms(t0);
    const monitorIds = (await db.select({ id: driftMonitors.id }).from(driftMonitors).where(eq(driftMonitors.modelId, driftId))).map((m) => m.id);
    const stored = await db.select().from(driftEvaluations).where(inArray(driftEvaluations.monitorId, monitorIds));
    await db.delete(driftEvaluations).where(inArray(driftEvaluations.monitorId, monitorIds));
    t0 = performance.now();
    for (let i = 0; i < stored.length; i += 100) await db.insert(driftEvaluations).values(stored.slice(i, i + 100));
    const plainEvalMs = ms(t0);
    report(
      `drift: ${evald.monitors} monitors x ${hours} hourly windows = ${fmt(evald.evaluations)} evaluations`,
      `${(evalMs / 1000).toFixed(1)} s (${fmt(evald.evaluations / (evalMs / 1000))} evaluations/s)`,
    );
    report("plain INSERT of the same evaluation rows", `${(plainEvalMs / 1000).toFixed(1)} s`);
    report("evaluation / plain INSERT", `${(evalMs / plainEvalMs).toFixed(2)}x`);
    t0 = performance.now();
    await evaluateMonitors(db, { now: new Date(end), modelId: driftId });
    report(`one scheduler tick for these monitors (last two windows each)`, `${ms(t0).toFixed(0)} ms`);
    await evaluateMonitors(db, { now: new Date(end), from: new Date(start), modelId: driftId });

    // 3. The model page for 30 days: every monitor's downsampled series, the selected feature's
    //    histograms and slices, serving percentiles from merged histograms, SLOs, freshness.
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const page = await modelMonitoring(db, { slug: driftSlug, range: "30d", to: new Date(end) }, new Date(end));
      times.push(ms(t0));
      points = (page.detail?.series.length ?? 0) + page.serving.length;
    }
    report(`model page, ${FEATURES} features (${evald.monitors} monitors), 30 days (p50 of 5)`, `${p50(times).toFixed(0)} ms (${fmt(points)} points drawn)`);
  } finally {
    await database.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(store.root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
