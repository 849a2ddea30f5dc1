// Two posts of one idempotency key at the same moment (on PostgreSQL the second truly waits on the first's insert).
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { telemetryIdempotencyKeys, telemetrySummaries } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { LATENCY_BUCKETS } from "./histogram";
import type { TSummary } from "./schemas";
import { ingestSummaries, type IngestResult } from "./service";

let t: TestEnv;
const NOW = new Date("2026-03-01T12:00:00Z");

function summary(key: string, requests: number): TSummary {
  const latency = new Array(LATENCY_BUCKETS).fill(0);
  latency[15] = requests;
  return {
    idempotencyKey: key,
    model: "cam",
    version: 1,
    target: "device",
    cohort: "gen3-eu",
    slice: {},
    windowStart: new Date(NOW.getTime() - 600_000).toISOString(),
    windowSeconds: 300,
    requests,
    errors: 0,
    latencyMs: { counts: latency },
    features: {},
    predictions: {},
  } as unknown as TSummary;
}
const ingest = (s: TSummary) => ingestSummaries(t.db, t.actors.engineer, { summaries: [s] }, { now: NOW });

/**
 * Posts `first` and, while its insert is still uncommitted (on PostgreSQL: held open on another
 * connection), `second`, which then checks, finds nothing and waits on the key's primary key.
 */
async function postTogether(first: TSummary, second: TSummary): Promise<PromiseSettledResult<IngestResult>> {
  if (!t.url) {
    await ingest(first);
    return (await Promise.allSettled([ingest(second)]))[0];
  }
  // The first post's row, built by the service itself on a throwaway key, then copied under the raced key.
  const probe = await ingest({ ...first, idempotencyKey: `${first.idempotencyKey}-probe` });
  const [row] = await t.db.select().from(telemetrySummaries).where(eq(telemetrySummaries.id, probe.ids[0]));
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await client.query("begin");
    const { id: _id, ...copy } = row;
    const id = randomUUID();
    const other = drizzle(client, { schema, casing: "snake_case" });
    // As the service stores a post: the key's row (which the second post waits on), then the summary.
    await other
      .insert(telemetryIdempotencyKeys)
      .values({ key: first.idempotencyKey, contentHash: row.contentHash, summaryId: id, windowStart: row.windowStart });
    await other.insert(telemetrySummaries).values({ ...copy, id, idempotencyKey: first.idempotencyKey });
    const racing = Promise.allSettled([ingest(second)]);
    for (;;) {
      const { rows } = await client.query("select count(*)::int as n from pg_locks where not granted");
      if (rows[0].n >= 1) break;
      await new Promise((r) => setImmediate(r));
    }
    await client.query("commit");
    return (await racing)[0];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  t = await setupTestEnv();
  await createModel(t.db, t.actors.engineer, { slug: "cam", name: "Camera", team: "platform", task: "classification" });
  await registerVersion(t.db, new LocalArtifactStore("/tmp/unused-telemetry-store"), t.actors.engineer, "cam", { artifactUri: "s3://bucket/cam.onnx" });
});
afterAll(async () => {
  await t.close();
});

describe("telemetry idempotency under a race", () => {
  it("the same key with different content at the same moment: the loser is a CONFLICT, not a duplicate", async () => {
    const r = await postTogether(summary("race-key-0001", 100), summary("race-key-0001", 999));
    expect(r.status).toBe("rejected");
    expect(r.status === "rejected" && (r.reason as Error).message).toMatch(/already used for a different summary/);
    const rows = await t.db.select().from(telemetrySummaries).where(eq(telemetrySummaries.idempotencyKey, "race-key-0001"));
    expect(rows.map((x) => x.requests)).toEqual([100]);
  });

  it("the same key with the same content at the same moment: the loser is a duplicate with the winner's id", async () => {
    const r = await postTogether(summary("race-key-0002", 100), summary("race-key-0002", 100));
    expect(r.status).toBe("fulfilled");
    const [row] = await t.db.select().from(telemetrySummaries).where(eq(telemetrySummaries.idempotencyKey, "race-key-0002"));
    expect(r.status === "fulfilled" && r.value).toEqual({ accepted: 0, duplicates: 1, ids: [row.id] });
  });
});
