// The partitioning migration (0028_partition_by_month) on a database that holds the demo seed's
// experiments and monitoring: migrated to the migration before, seeded, then migrated on. Every row stays.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { queryRows, type Db } from "./client";
import * as schema from "./schema";
import { seedExperiments } from "./seed/experiments";
import { seedIdentity } from "./seed/identity";
import { seedMonitoring } from "./seed/monitoring";
import { seedRegistry } from "./seed/registry";
import { SEED_HOOK_MS } from "./test-db";

const MIGRATIONS = path.join(process.cwd(), "db/migrations");
const TAG = "0028_partition_by_month";
const TABLES = ["metrics", "telemetry_summaries", "drift_evaluations", "audit_log"];
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-partition-migration-"));

/** A copy of the migrations folder that stops just before the partitioning migration. */
function migrationsBefore(tag: string): string {
  const dir = path.join(root, "migrations");
  fs.cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { tag: string; idx: number }[] };
  const cut = journal.entries.find((e) => e.tag === tag)!.idx;
  journal.entries = journal.entries.filter((e) => e.idx < cut);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

let db: Db;
let migrate: (folder: string) => Promise<void>;
let close: () => Promise<void>;

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `sentinel_partmig_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: u.toString(), max: 4 });
    const nodeDb = drizzleNodePg(pool, { schema, casing: "snake_case" });
    db = nodeDb;
    migrate = (folder) => migrateNodePg(nodeDb, { migrationsFolder: folder });
    close = async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    const client = await PGlite.create();
    const liteDb = drizzlePglite(client, { schema, casing: "snake_case" });
    db = liteDb;
    migrate = (folder) => migratePglite(liteDb, { migrationsFolder: folder });
    close = () => client.close();
  }
  await migrate(migrationsBefore(TAG));
  // Today's seed code claims telemetry keys in the table this migration adds: give it one for the
  // seeding, then drop it, so the database is exactly what the previous migrations made, plus data.
  await db.execute(
    sql`create table telemetry_idempotency_keys (key text primary key, content_hash text not null, summary_id uuid not null, window_start timestamptz not null)`,
  );
  // The parts of the demo seed that fill the partitioned tables (the rest only adds minutes).
  await seedIdentity(db, "sentinel-demo");
  await seedRegistry(db, new LocalArtifactStore(path.join(root, "store")));
  await seedExperiments(db);
  await seedMonitoring(db);
  await db.execute(sql`drop table telemetry_idempotency_keys`);
}, SEED_HOOK_MS);
afterAll(async () => {
  await close?.();
  fs.rmSync(root, { recursive: true, force: true });
});

const count = async (table: string) => Number((await queryRows(db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0].n);

describe("partitioning a seeded database", () => {
  it("keeps every row, puts each in its month's partition, and keeps ids and keys going", async () => {
    const before: Record<string, number> = {};
    for (const table of TABLES) before[table] = await count(table);
    const checksum = async () =>
      (
        await queryRows(
          db,
          sql`select (select sum(id) from audit_log)::text as a, (select sum(id) from metrics)::text as m, (select sum(statistic) from drift_evaluations)::text as d, (select sum(requests) from telemetry_summaries)::text as t`,
        )
      )[0];
    const sums = await checksum();
    expect(before.metrics).toBeGreaterThan(1000);
    expect(before.telemetry_summaries).toBeGreaterThan(100);
    expect(before.drift_evaluations).toBeGreaterThan(10);
    expect(before.audit_log).toBeGreaterThan(50);

    await migrate(MIGRATIONS);

    for (const table of TABLES) expect(await count(table), table).toBe(before[table]);
    expect(await checksum()).toEqual(sums);
    const kinds = await queryRows(
      db,
      sql`select relname, relkind from pg_class where relname in ('metrics', 'telemetry_summaries', 'drift_evaluations', 'audit_log')`,
    );
    expect(kinds.map((k) => k.relkind)).toEqual(["p", "p", "p", "p"]);
    // Every seeded row found its month: the default partitions are empty.
    for (const table of TABLES) expect(await count(`${table}_default`), `${table}_default`).toBe(0);
    // Each stored summary's key moved to the key table.
    expect(await count("telemetry_idempotency_keys")).toBe(before.telemetry_summaries);
    // The id sequences survived the swap: a new row gets the next id.
    const [{ max }] = await queryRows(db, sql`select max(id)::bigint as max from audit_log`);
    await db.insert(schema.auditLog).values({ actorLabel: "system", action: "test.after", entityType: "test", entityId: "1" });
    const [{ id }] = await queryRows(db, sql`select id from audit_log where action = 'test.after'`);
    expect(Number(id)).toBeGreaterThan(Number(max));
  });
});
