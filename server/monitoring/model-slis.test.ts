// Per-model SLIs on /api/metrics, from telemetry stored in the real database, through the route handler.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/api/metrics/route";
import { deployments, deploymentTargets, driftEvaluations, driftMonitors, environments, modelVersions, telemetrySummaries } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { provideDatabase } from "@/server/db";
import { createModel, registerVersion } from "@/server/registry/service";
import { latencyHistogram } from "@/server/telemetry/histogram";
import { PEER_HEADER } from "@/server/http/client-address";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { clearModelSliCache, modelSeries, modelSliText } from "./model-slis";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-slis-"));
const now = new Date();

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const store = new LocalArtifactStore(root);
  const eng = t.actors.engineer;
  const model = await createModel(t.db, eng, { slug: "fcw", name: "Forward collision warning", team: "perception", task: "detection" });
  for (const n of [1, 2]) await registerVersion(t.db, store, eng, "fcw", { status: "approved", artifactUri: `s3://bucket/fcw/${n}.onnx` });
  const vs = await t.db.select().from(modelVersions).orderBy(modelVersions.number);
  await t.db.insert(environments).values({ key: "production", name: "Production", rank: 2, protected: true });
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "eu-fleet", name: "EU-fleet", kind: "edge-fleet", environment: "production", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  // v1 stable, v2 the canary.
  await t.db.insert(deployments).values({ targetId: fleet.id, modelId: model.id, stableVersionId: vs[0].id, candidateVersionId: vs[1].id, state: "canary" });
  const window = (version: number, minutesAgo: number, requests: number, errors: number, latenciesMs: number[], key: string) => ({
    idempotencyKey: key,
    contentHash: key,
    modelId: model.id,
    version,
    target: "device",
    cohort: "fleet-a",
    windowStart: new Date(now.getTime() - minutesAgo * 60_000),
    windowSeconds: 900,
    requests,
    errors,
    latency: latencyHistogram(latenciesMs),
  });
  await t.db.insert(telemetrySummaries).values([
    window(1, 30, 100, 1, [5, 5, 20, 20], "w1"),
    window(1, 15, 50, 0, [5, 300], "w2"),
    // Old windows still count toward the totals: counters never go down.
    window(1, 60 * 24 * 20, 1000, 10, [10], "w-old"),
    window(2, 15, 40, 4, [50, 70, 2000], "w3"),
  ]);
  const ref = { kind: "categorical" as const, counts: {} };
  const [mon] = await t.db
    .insert(driftMonitors)
    .values({
      modelId: model.id,
      version: 2,
      source: "feature",
      name: "brightness",
      referenceFrom: new Date(0),
      referenceTo: new Date(1),
      reference: ref,
      referenceCount: 1,
    })
    .returning();
  for (const [minsAgo, statistic] of [
    [45, 0.05],
    [15, 0.5],
  ] as const) {
    const ws = new Date(now.getTime() - minsAgo * 60_000);
    await t.db.insert(driftEvaluations).values({
      monitorId: mon.id,
      windowStart: ws,
      windowEnd: ws,
      method: "psi",
      statistic,
      threshold: 0.2,
      drifted: statistic > 0.2,
      referenceCount: 1,
      currentCount: 1,
      reference: ref,
      current: ref,
    });
  }
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Sample value of one exposition line, by metric name and exact label set. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}} `));
  if (!line) throw new Error(`no ${name}{${labels}} in\n${text}`);
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("per-model SLIs", () => {
  it("totals requests, errors and latency per model, version and cohort, with the canary named", async () => {
    const series = await modelSeries(t.db, now);
    expect(series.map((s) => [s.model, s.version, s.cohort, s.requests, s.errors])).toEqual([
      ["fcw", 1, "stable", 1150, 11],
      ["fcw", 2, "canary", 40, 4],
    ]);
    expect(series[1].driftScore).toBeCloseTo(2.5);
    expect(series[0].driftScore).toBeNull();
  });

  it("serves them on /api/metrics in Prometheus text, with a cumulative histogram", async () => {
    clearModelSliCache();
    const res = await metricsRoute.GET(new Request("http://127.0.0.1/api/metrics", { headers: { [PEER_HEADER]: "127.0.0.1" } }));
    expect(res.status).toBe(200);
    const text = await res.text();
    const v1 = 'model="fcw",version="1",cohort="stable"';
    const v2 = 'model="fcw",version="2",cohort="canary"';
    expect(sample(text, "sentinel_model_requests_total", v1)).toBe(1150);
    expect(sample(text, "sentinel_model_errors_total", v2)).toBe(4);
    expect(sample(text, "sentinel_model_drift_score", v2)).toBeCloseTo(2.5);
    expect(text).toContain("# TYPE sentinel_model_latency_seconds histogram");
    // v2: 50 ms and 70 ms under 0.1 s, 2 s over it; the +Inf bucket and _count hold all three.
    expect(sample(text, "sentinel_model_latency_seconds_bucket", `${v2},le="0.1"`)).toBe(2);
    expect(sample(text, "sentinel_model_latency_seconds_bucket", `${v2},le="0.0398107"`)).toBe(0);
    expect(sample(text, "sentinel_model_latency_seconds_bucket", `${v2},le="+Inf"`)).toBe(3);
    expect(sample(text, "sentinel_model_latency_seconds_count", v2)).toBe(3);
    const v1Buckets = text
      .split("\n")
      .filter((l) => l.startsWith(`sentinel_model_latency_seconds_bucket{${v1}`))
      .map((l) => Number(l.slice(l.lastIndexOf(" ") + 1)));
    expect(v1Buckets.every((c, i) => i === 0 || c >= v1Buckets[i - 1])).toBe(true);
    expect(v1Buckets.at(-1)).toBe(7);
    expect(sample(text, "sentinel_model_latency_seconds_sum", v1)).toBeGreaterThan(0.3);
    expect(text).toContain("sentinel_model_slis_up 1");
  });

  it("refuses a scrape from elsewhere without a token", async () => {
    const res = await metricsRoute.GET(
      new Request("http://portal.example.com/api/metrics", { headers: { [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "127.0.0.1" } }),
    );
    expect(res.status).toBe(401);
  });

  it("backs every metric the Grafana dashboard queries, and the dashboard has a model variable", () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(process.cwd(), "docs/grafana/sentinel-models.json"), "utf8")) as {
      templating: { list: { name: string }[] };
    };
    const used = new Set(JSON.stringify(dashboard).match(/sentinel_model_\w+/g));
    const exported = modelSliText([{ model: "m", version: 1, cohort: "stable", requests: 1, errors: 0, latency: latencyHistogram([5]), driftScore: 0.1 }]);
    for (const name of used) expect(exported, name).toMatch(new RegExp(`^${name}\\{`, "m"));
    expect(dashboard.templating.list.map((v) => v.name)).toContain("model");
  });
});
