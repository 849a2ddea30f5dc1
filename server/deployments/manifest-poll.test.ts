// A device's manifest poll through the REST door as a fleet does it all day: the answer carries an ETag and the
// caching rule for an HTTP cache in front, an unchanged desired state is a 304 that writes nothing to the database,
// and a rollout step made elsewhere (another replica) reaches the next poll.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as credentialsRoute from "@/app/api/v1/devices/[id]/credentials/route";
import * as manifestRoute from "@/app/api/v1/devices/[id]/manifest/route";
import { apiTokens, deployments, deploymentTargets, devices, environments, modelVersions } from "@/db/schema";
import { artifactStore } from "@/server/artifacts";
import { provideDatabase } from "@/server/db";
import { createModel, registerVersion } from "@/server/registry/service";
import { testDriver } from "@/db/test-db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";

let t: TestEnv;
let device = "";
let deploymentId = "";
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const poll = (token: string, headers: Record<string, string> = {}) =>
  manifestRoute.GET(
    new Request(`http://portal.test/api/v1/devices/cam-1/manifest`, { headers: { authorization: `Bearer ${token}`, ...headers } }),
    ctx({ id: "cam-1" }),
  );
/**
 * Whether anything was written to the test database since `mark()`. PGlite: its write-ahead log position moved
 * (nothing else runs there). PostgreSQL, shared with other test files: a row of this database was inserted or
 * updated by a transaction that started after the mark (row xmin at or past the mark's snapshot xmax).
 */
async function writeMark(): Promise<() => Promise<boolean>> {
  const one = async (q: ReturnType<typeof sql>) => ((await t.db.execute(q)) as unknown as { rows: Record<string, string>[] }).rows[0];
  if (testDriver === "pglite") {
    const before = (await one(sql`select pg_current_wal_insert_lsn()::text as v`)).v;
    return async () => (await one(sql`select pg_current_wal_insert_lsn()::text as v`)).v !== before;
  }
  const xmax = Number((await one(sql`select (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text as v`)).v);
  return async () => {
    const tables = (await t.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    )) as unknown as { rows: { table_name: string }[] };
    for (const { table_name } of tables.rows) {
      const row = await one(sql`select count(*)::text as v from ${sql.identifier(table_name)} where xmin::text::bigint >= ${xmax}`);
      if (row.v !== "0") return true;
    }
    return false;
  };
}

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const eng = t.actors.engineer;
  await createModel(t.db, eng, { slug: "poll-model", name: "Poll model", team: "perception", task: "classification" });
  for (const n of [1, 2]) await registerVersion(t.db, artifactStore, eng, "poll-model", { status: "approved", artifactUri: `s3://bucket/poll/${n}.onnx` });
  await t.db.insert(environments).values({ key: "staging", name: "Staging", rank: 1, protected: false });
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "poll-fleet", name: "Poll fleet", kind: "edge-fleet", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  await t.db.insert(devices).values({ id: "cam-1", targetId: fleet.id, hardwareClass: "dashcam-gen3", firmware: "3.4.1", region: "eu", bucket: 0 });
  const [v1] = await t.db.select().from(modelVersions).where(eq(modelVersions.number, 1));
  [{ id: deploymentId }] = await t.db.insert(deployments).values({ targetId: fleet.id, modelId: v1.modelId, stableVersionId: v1.id }).returning();
  const tool = (await createToken(t.db, eng, { name: "fleet-tool", scopes: ["deploy:read", "devices:write"] })).token;
  const res = await credentialsRoute.POST(
    new Request("http://portal.test/api/v1/devices/cam-1/credentials", { method: "POST", headers: { authorization: `Bearer ${tool}` } }),
    ctx({ id: "cam-1" }),
  );
  expect(res.status).toBe(201);
  device = ((await res.json()) as { token: string }).token;
});
afterAll(async () => {
  await t.close();
});

describe("manifest polls", () => {
  it("answers with an ETag and private, revalidate-every-time caching; the 304 carries the same headers and no body", async () => {
    const first = await poll(device);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    // Per device and behind a credential: a shared cache must not hand it to another device, and the device's own
    // cache must ask again each time (If-None-Match) so a rollout step is seen on the next poll.
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    const again = await poll(device, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("private, no-cache");
    expect(await again.text()).toBe("");
  });

  it("writes nothing to the database on a 304, even when the device's last poll was minutes ago", async () => {
    const etag = (await poll(device)).headers.get("etag")!;
    // The device polled 5 minutes ago, as a fleet on its normal cadence does; the token cache has long expired.
    await t.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(Date.now() - 300_000) })
      .where(sql`${apiTokens.name} = 'device cam-1'`);
    await new Promise((r) => setTimeout(r, 2_100));
    const wrote = await writeMark();
    expect((await poll(device, { "if-none-match": etag })).status).toBe(304);
    expect(await wrote()).toBe(false);
  });

  it("sees a rollout step made by another replica on the next poll", async () => {
    const etag = (await poll(device)).headers.get("etag")!;
    const [v2] = await t.db.select().from(modelVersions).where(eq(modelVersions.number, 2));
    // Another replica's canary start: the row changes under this process, which holds a cached answer for the fleet.
    await t.db
      .update(deployments)
      .set({ state: "canary", step: 0, candidateVersionId: v2.id, revision: sql`${deployments.revision} + 1` })
      .where(eq(deployments.id, deploymentId));
    const res = await poll(device, { "if-none-match": etag });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { models: { version: number; channel: string }[] };
    expect(body.models[0]).toMatchObject({ version: 2, channel: "candidate" });
  });
});
