// Test databases: PGlite in memory, or a fresh database on the PostgreSQL at TEST_DATABASE_URL.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { openDatabase, type Database } from "./client";

/** A hook that seeds the whole demo: a minute or two on a quiet 2-core machine, five or more on a loaded one. */
export const SEED_HOOK_MS = 600_000;

export const testDriver = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";

/**
 * `url` is set on PostgreSQL, for code under test that opens its own connections (the job queue). `template` copies an
 * existing database (PostgreSQL only), which must have no open connections.
 */
export async function createTestDatabase(template?: string): Promise<Database & { url?: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({});
  const name = `sentinel_test_${randomBytes(6).toString("hex")}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(url, `create database ${name}${template ? ` template ${template}` : ""}`);
      break;
    } catch (e) {
      // 55006: another copy from the same template is being made at this moment.
      if ((e as { code?: string }).code !== "55006" || attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
  const database = await openDatabase({ url: withDatabase(url, name) });
  return {
    ...database,
    url: withDatabase(url, name),
    close: async () => {
      await database.close();
      await adminQuery(url, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A database holding the whole demo seed. The seed is made once per test run (the first caller makes it under a lock
 * file, the others wait) and each caller gets its own copy: PGlite loads a dump of the seeded data directory, PostgreSQL
 * creates the database from the seeded one as a template. Seeding takes minutes; a copy takes seconds. `storeRoot` is
 * the artifact store the seed wrote to, shared by every copy: files are content-addressed and written atomically, and a
 * caller must not delete it.
 */
export async function createSeededTestDatabase(): Promise<Database & { url?: string; storeRoot: string }> {
  // The vitest config gives each run its own DATA_DIR (shared by its workers); outside it, no snapshot is kept.
  const runDir = process.env.DATA_DIR;
  if (!runDir) {
    const { seedDemo } = await import("./seed");
    const storeRoot = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-seed-"));
    const database = await createTestDatabase();
    await seedDemo(database.db, new LocalArtifactStore(storeRoot), { password: DEMO_PASSWORD });
    return { ...database, storeRoot };
  }
  const dir = path.join(runDir, `seed-snapshot-${testDriver}`);
  const storeRoot = path.join(dir, "store");
  const snapshot = await underFileLock(dir, async (): Promise<Snapshot> => {
    const ready = path.join(dir, "ready.json");
    if (fs.existsSync(ready)) return JSON.parse(fs.readFileSync(ready, "utf8")) as Snapshot;
    const made = await makeSnapshot(dir, storeRoot);
    fs.writeFileSync(ready, JSON.stringify(made));
    return made;
  });
  if (snapshot.template) return { ...(await createTestDatabase(snapshot.template)), storeRoot };
  const dump = fs.readFileSync(path.join(dir, "pgdata.tar"));
  return { ...(await openDatabase({ pgliteLoad: new Blob([dump]) })), storeRoot };
}

const DEMO_PASSWORD = "sentinel-demo";
type Snapshot = { template?: string };

async function makeSnapshot(dir: string, storeRoot: string): Promise<Snapshot> {
  // Imported here: every test file imports this module, few need the seed's generators.
  const { seedDemo } = await import("./seed");
  const store = new LocalArtifactStore(storeRoot);
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    // Left in the cluster until the run's teardown (db/test-global.ts) drops it: copies are made from it all run long.
    const template = `sentinel_seed_${randomBytes(6).toString("hex")}`;
    await adminQuery(url, `create database ${template}`);
    const database = await openDatabase({ url: withDatabase(url, template) });
    try {
      await seedDemo(database.db, store, { password: DEMO_PASSWORD });
    } finally {
      await database.close();
    }
    return { template };
  }
  const database = await openDatabase({});
  try {
    await seedDemo(database.db, store, { password: DEMO_PASSWORD });
    const client = (database.db as unknown as { $client: PGlite }).$client;
    fs.writeFileSync(path.join(dir, "pgdata.tar"), Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
  } finally {
    await database.close();
  }
  return {};
}

/** Runs `work` holding `dir/lock` across processes (vitest's workers); a lock left by a dead process is taken over. */
async function underFileLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, "lock");
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number(fs.readFileSync(lock, "utf8"));
      if (holder > 0 && !processAlive(holder)) fs.rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Drops the run's seeded template database, if one was made (vitest's global teardown). */
export async function dropSeedSnapshot(runDir: string): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  const ready = path.join(runDir, "seed-snapshot-postgres", "ready.json");
  if (!url || !fs.existsSync(ready)) return;
  const { template } = JSON.parse(fs.readFileSync(ready, "utf8")) as Snapshot;
  if (template && /^sentinel_seed_[0-9a-f]+$/.test(template)) await adminQuery(url, `drop database if exists ${template} with (force)`);
}
