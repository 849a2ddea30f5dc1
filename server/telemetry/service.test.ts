import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { auditLog, telemetrySummaries } from "@/db/schema";
import { createModel, registerVersion } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { LATENCY_BUCKETS } from "./histogram";
import { TELEMETRY_LIMITS, type TSummary } from "./schemas";
import { ingestSummaries, MAX_LATENESS_MS } from "./service";

let t: TestEnv;
const NOW = new Date("2026-03-01T12:00:00Z");
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

function summary(key: string, over: Partial<TSummary> = {}): TSummary {
  const latency = new Array(LATENCY_BUCKETS).fill(0);
  latency[15] = 90;
  latency[20] = 10;
  return {
    idempotencyKey: key,
    model: "cam",
    version: 1,
    target: "device",
    cohort: "gen3-eu",
    slice: { region: "eu", timeOfDay: "day" },
    windowStart: at(10),
    windowSeconds: 300,
    requests: 100,
    errors: 2,
    latencyMs: { counts: latency },
    features: {
      brightness: { kind: "numeric", edges: [0, 0.25, 0.5, 0.75, 1], counts: [5, 40, 45, 10] },
      weather: { kind: "categorical", counts: { dry: 80, rain: 20 } },
    },
    predictions: { class: { kind: "categorical", counts: { ok: 95, too_dark: 5 } } },
    outcomes: { too_dark: { tp: 3, fp: 1, fn: 0 } },
    ...over,
  };
}
const rowCount = async () => (await t.db.select({ n: count() }).from(telemetrySummaries))[0].n;
const ingest = (summaries: unknown[], opts = {}) => ingestSummaries(t.db, t.actors.engineer, { summaries }, { now: NOW, ...opts });

beforeAll(async () => {
  t = await setupTestEnv();
  await createModel(t.db, t.actors.engineer, { slug: "cam", name: "Camera", team: "platform", task: "classification" });
  await registerVersion(t.db, new LocalArtifactStore("/tmp/unused-telemetry-store"), t.actors.engineer, "cam", { artifactUri: "s3://bucket/cam.onnx" });
});
afterAll(async () => {
  await t.close();
});

describe("telemetry ingest", () => {
  it("stores a batch and writes one audit row for it", async () => {
    const r = await ingest([summary("key-0000-0001"), summary("key-0000-0002", { cohort: "gen2-us" })]);
    expect(r).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(r.ids).toHaveLength(2);
    const [row] = await t.db.select().from(telemetrySummaries).where(eq(telemetrySummaries.idempotencyKey, "key-0000-0001"));
    expect(row).toMatchObject({ requests: 100, errors: 2, cohort: "gen3-eu", target: "device", windowSeconds: 300 });
    expect(row.latency).toHaveLength(LATENCY_BUCKETS);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "telemetry.ingest"));
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ accepted: 2, duplicates: 0 });
  });

  it("does not count a retried summary twice", async () => {
    const before = await rowCount();
    const again = await ingest([summary("key-0000-0001"), summary("key-0000-0003")]);
    expect(again).toMatchObject({ accepted: 1, duplicates: 1 });
    const retry = await ingest([summary("key-0000-0001")]);
    expect(retry).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(retry.ids[0]).toBe(again.ids[0]);
    expect(await rowCount()).toBe(before + 1);
    const sum = await t.db.select({ n: count() }).from(telemetrySummaries).where(eq(telemetrySummaries.idempotencyKey, "key-0000-0001"));
    expect(sum[0].n).toBe(1);
  });

  it("refuses a key reused for different numbers, and concurrent retries store once", async () => {
    await expect(ingest([summary("key-0000-0001", { requests: 101 })])).rejects.toMatchObject({ code: "CONFLICT" });
    const results = await Promise.all([0, 1, 2].map(() => ingest([summary("key-0000-race-1")])));
    expect(results.map((r) => r.accepted).reduce((a, b) => a + b)).toBe(1);
    const rows = await t.db.select().from(telemetrySummaries).where(eq(telemetrySummaries.idempotencyKey, "key-0000-race-1"));
    expect(rows).toHaveLength(1);
  });

  it("refuses a key reused for a window in another month (another partition of the summaries)", async () => {
    // key-0000-0001 holds a March window; this one is February's, stored in another partition.
    const february = summary("key-0000-0001", { windowStart: at(13 * 60) });
    expect(String(february.windowStart)).toMatch(/^2026-02-28/);
    await expect(ingest([february], { maxLatenessMs: 2 * 86_400_000 })).rejects.toMatchObject({ code: "CONFLICT" });
    const rows = await t.db.select().from(telemetrySummaries).where(eq(telemetrySummaries.idempotencyKey, "key-0000-0001"));
    expect(rows).toHaveLength(1);
  });

  it("accepts late windows within the limit and refuses later ones with a clear error", async () => {
    const limitMin = MAX_LATENESS_MS / 60_000;
    expect(await ingest([summary("key-0000-late-ok", { windowStart: at(limitMin) })])).toMatchObject({ accepted: 1 });
    const err = await ingest([summary("key-0000-late-no", { windowStart: at(limitMin + 6) })]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "INVALID", details: { code: "TOO_LATE", index: 0 } });
    expect(String((err as Error).message)).toMatch(/lateness limit/);
    await expect(ingest([summary("key-0000-future", { windowStart: at(-30) })])).rejects.toMatchObject({ details: { code: "IN_FUTURE" } });
    // Out of order is fine: an older window after a newer one.
    expect(await ingest([summary("key-0000-older", { windowStart: at(120) })])).toMatchObject({ accepted: 1 });
    // A backfill passes its own limit.
    expect(await ingest([summary("key-0000-backfill", { windowStart: at(3 * 24 * 60) })], { maxLatenessMs: 7 * 24 * 3600_000 })).toMatchObject({ accepted: 1 });
  });

  it("refuses bad input and changes nothing: the whole batch is refused", async () => {
    const before = await rowCount();
    const auditBefore = (await t.db.select({ n: count() }).from(auditLog))[0].n;
    const lat = (v: number) => ({ counts: Object.assign(new Array(LATENCY_BUCKETS).fill(0), { 3: v }) });
    const bad: [string, Partial<TSummary> | Record<string, unknown>][] = [
      ["negative count", { errors: -1 }],
      ["errors > requests", { errors: 101 }],
      ["non-finite edge", { features: { x: { kind: "numeric", edges: [0, Infinity], counts: [1] } } }],
      ["NaN as string", { requests: "NaN" }],
      ["descending edges", { features: { x: { kind: "numeric", edges: [0, 2, 1], counts: [1, 1] } } }],
      ["counts/edges mismatch", { features: { x: { kind: "numeric", edges: [0, 1, 2], counts: [1] } } }],
      ["too many bins", { features: { x: { kind: "numeric", edges: Array.from({ length: 102 }, (_, i) => i), counts: new Array(101).fill(1) } } }],
      [
        "too many features",
        { features: Object.fromEntries(Array.from({ length: TELEMETRY_LIMITS.features + 1 }, (_, i) => [`f${i}`, { kind: "categorical", counts: { a: 1 } }])) },
      ],
      ["wrong latency bucket count", { latencyMs: { counts: [1, 2, 3] } }],
      ["latency counts more than requests", { latencyMs: lat(500) }],
      ["fractional count", { requests: 1.5 }],
      ["unknown field", { extra: 1 }],
      ["unknown version", { version: 9 }],
      ["unknown model", { model: "nope" }],
      ["bad date", { windowStart: "yesterday" }],
      ["window too short", { windowSeconds: 5 }],
    ];
    for (const [label, over] of bad) {
      const err = await ingest([
        summary(`key-0000-good-${label.replace(/\W+/g, "-")}`),
        { ...summary(`key-0000-bad-${label.replace(/\W+/g, "-")}`), ...over },
      ]).catch((e: unknown) => e);
      expect(err, label).toBeInstanceOf(Error);
    }
    await expect(ingestSummaries(t.db, t.actors.engineer, { summaries: [] })).rejects.toThrow();
    await expect(
      ingestSummaries(t.db, t.actors.engineer, { summaries: new Array(TELEMETRY_LIMITS.summariesPerRequest + 1).fill(summary("key-0000-many")) }),
    ).rejects.toThrow(/At most/);
    expect(await rowCount()).toBe(before);
    expect((await t.db.select({ n: count() }).from(auditLog))[0].n).toBe(auditBefore);
  });
});
