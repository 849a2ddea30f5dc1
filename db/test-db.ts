// Test databases: PGlite in memory, or a fresh database on the PostgreSQL at TEST_DATABASE_URL.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "./client";

/** A hook that seeds the whole demo: a minute or two on a quiet 2-core machine, five or more on a loaded one. */
export const SEED_HOOK_MS = 600_000;

export const testDriver = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";

/** `url` is set on PostgreSQL, for code under test that opens its own connections (the job queue). */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({});
  const name = `sentinel_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString() });
  return {
    ...database,
    url: u.toString(),
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
