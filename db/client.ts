// Database handle: PGlite persisted under DATA_DIR by default, node-postgres when DATABASE_URL is set.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { maintainEmbedded, startEmbeddedMaintenance } from "./embedded-maintenance";
import { queryPrepared } from "./pglite-prepared.mjs";
import { PgliteThread } from "./pglite-thread";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Driver = "pglite" | "postgres";

export type Database = { db: Db; driver: Driver; close: () => Promise<void> };

const migrationsFolder = path.join(/*turbopackIgnore: true*/ process.cwd(), "db/migrations");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** This process's identity in the DATA_DIR lock: a pid alone is not enough, containers reuse pids. */
const BOOT_ID = randomUUID();

type LockOwner = { pid: number; bootId: string | null; procStart: string | null };

/** Start time of a process (Linux: /proc/<pid>/stat field 22, clock ticks since boot); null where unknown. */
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function readOwner(lockPath: string): LockOwner {
  const text = fs.readFileSync(lockPath, "utf8").trim();
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o === "object" && o && typeof o.pid === "number") return { pid: o.pid, bootId: o.bootId ?? null, procStart: o.procStart ?? null };
  } catch {
    // an older lock file: just the pid
  }
  return { pid: Number(text), bootId: null, procStart: null };
}

/** The owner still runs: its pid is alive AND (where the start time is known) it is the same process. */
function ownerAlive(o: LockOwner): boolean {
  if (!(o.pid > 0) || !isAlive(o.pid)) return false;
  if (!o.procStart) return true;
  const now = processStart(o.pid);
  return now === null || now === o.procStart;
}

/**
 * PGlite takes no lock of its own and two processes on one data dir corrupt it, so we hold an
 * exclusive lock file naming our pid, our boot id and our process start time. A stale lock is taken
 * over: its pid is dead, or it was reused by another process (a different start time).
 */
export function acquireDataDirLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, "sentinel.lock");
  const me: LockOwner = { pid: process.pid, bootId: BOOT_ID, procStart: processStart(process.pid) };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, JSON.stringify(me));
      fs.closeSync(fd);
      return () => {
        try {
          const o = readOwner(lockPath);
          if (o.pid === me.pid && o.bootId === me.bootId) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = readOwner(lockPath);
      if (owner.pid === process.pid && owner.bootId === BOOT_ID) return () => {};
      if (ownerAlive(owner) && !(owner.pid === process.pid && owner.bootId !== BOOT_ID)) {
        throw new Error(
          `The data directory ${dir} is in use by another Sentinel process (pid ${owner.pid}). ` +
            `Stop that process, or start this one with a different DATA_DIR.`,
        );
      }
      fs.unlinkSync(lockPath);
    }
  }
  throw new Error(`Could not lock the data directory ${dir}`);
}

/** Advisory lock key held by the replica that migrates and seeds; any fixed bigint shared by all replicas. */
export const STARTUP_LOCK_KEY = 7_316_400_151;

export type OpenOptions = {
  url?: string;
  pgliteDir?: string;
  /** Persisted PGlite only: run it on its own thread (the default), so requests and the database use two cores. */
  pgliteThread?: boolean;
  /** In-memory PGlite only: start from this data directory dump (a tarball from `dumpDataDir`). */
  pgliteLoad?: Blob;
  /** Runs after the migrations, under the same start-up lock (the demo seed). */
  prepare?: (db: Db) => Promise<void>;
  /** PostgreSQL only. Without timeouts a database that hangs hangs every request with it. */
  pool?: { max?: number; connectTimeoutMs?: number; statementTimeoutMs?: number };
};

/** How often the persisted embedded database checks for tables to analyze or vacuum. */
const EMBEDDED_MAINTENANCE_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Replicas starting together on one PostgreSQL take turns: migrations and the seed run under a
 * session advisory lock, so the second waits and then finds the work done (both are idempotent once
 * done; they are not safe to run twice at the same moment).
 */
async function underStartupLock(pool: pg.Pool, work: () => Promise<void>): Promise<void> {
  const holder = await pool.connect();
  try {
    // Polled with the non-blocking form: a blocking wait would hit the statement timeout while the
    // other replica seeds (that can take a minute).
    while (!(await holder.query<{ ok: boolean }>("select pg_try_advisory_lock($1) as ok", [STARTUP_LOCK_KEY])).rows[0].ok) await sleep(250);
    try {
      await work();
    } finally {
      await holder.query("select pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]);
    }
  } finally {
    holder.release();
  }
}

/** Opens and migrates a database. `pgliteDir` undefined means in-memory (tests). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const statementTimeoutMs = opts.pool?.statementTimeoutMs ?? 30_000;
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.pool?.max ?? 10,
      // Waiting for a connection (new or from a full pool) gives up after this.
      connectionTimeoutMillis: opts.pool?.connectTimeoutMs ?? 5_000,
      // Server side: a statement running too long is cancelled by PostgreSQL itself.
      statement_timeout: statementTimeoutMs,
      // Client side: a server that stops answering (partition, SIGSTOP) cannot cancel anything, so the
      // client gives up a little after the server would have.
      query_timeout: statementTimeoutMs + 2_000,
      keepAlive: true,
    });
    // An idle connection the server closes (restart, failover, admin) must not crash the process;
    // the pool replaces it on the next query.
    pool.on("error", (err) => console.warn(`PostgreSQL dropped an idle connection: ${err.message}`));
    const db = drizzleNodePg(pool, { schema, casing: "snake_case" });
    try {
      await underStartupLock(pool, async () => {
        await migrateNodePg(db, { migrationsFolder });
        if (opts.prepare) await opts.prepare(db);
      });
    } catch (e) {
      await pool.end();
      throw e;
    }
    return { db, driver: "postgres", close: () => pool.end() };
  }
  const release = opts.pgliteDir ? acquireDataDirLock(opts.pgliteDir) : () => {};
  try {
    const dataDir = opts.pgliteDir && path.join(opts.pgliteDir, "pgdata");
    const client: PGlite | PgliteThread = !dataDir
      ? await PGlite.create(opts.pgliteLoad ? { loadDataDir: opts.pgliteLoad } : {})
      : opts.pgliteThread === false
        ? await PGlite.create(dataDir)
        : await PgliteThread.create(dataDir);
    // The embedded database's pages are in memory or the OS cache, so a random read costs about what a sequential one
    // does; with PostgreSQL's default (4, for spinning disks) the planner sorted a whole experiment for a runs/search
    // page instead of walking the indexes (13 ms instead of 5 at 2,100 runs). The common setting for SSDs and RAM.
    await client.exec("set random_page_cost = 1.1");
    // The thread answers the calls drizzle's pglite session makes (query, transaction); see db/pglite-thread.ts.
    const db = drizzlePglite(client as PGlite, { schema, casing: "snake_case" });
    await migratePglite(db, { migrationsFolder });
    if (opts.prepare) await opts.prepare(db);
    // A persisted database lives on: it gets autovacuum's work (statistics, dead rows), first right after the seed.
    let stopMaintenance = async () => {};
    if (dataDir) {
      await maintainEmbedded(client);
      const warn = (e: unknown) => console.warn(`Embedded database maintenance failed: ${String(e)}`);
      const lastActivity = client instanceof PgliteThread ? () => client.lastActivity : undefined;
      stopMaintenance = startEmbeddedMaintenance(client, EMBEDDED_MAINTENANCE_MS, warn, lastActivity);
    }
    return {
      db,
      driver: "pglite",
      close: async () => {
        await stopMaintenance();
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** The embedded database on its own thread. Checked by its tag: Next bundles PgliteThread into several chunks. */
const isPgliteThread = (client: unknown): client is PgliteThread => (client as { kind?: unknown } | undefined)?.kind === "pglite-thread";

/** The embedded database (in this thread or its own): no statement timeouts, one statement at a time. */
export function isEmbedded(db: Db): boolean {
  const client = (db as { $client?: unknown }).$client;
  return client instanceof PGlite || isPgliteThread(client);
}

const dialect = new PgDialect({ casing: "snake_case" });

/** The types drizzle's PGlite driver keeps as text in raw results (its own list, not exported): as db.execute returns them. */
const RAW_TEXT_OIDS = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];
const RAW_TEXT = { rowMode: "object" as const, parsers: Object.fromEntries(RAW_TEXT_OIDS.map((oid) => [oid, (v: string) => v])) };

/**
 * Raw SQL rows, the same shape from both drivers (both answer `{ rows }`).
 * `prepared` names a hot statement of a fixed shape (run creation, log-batch): each connection (on the embedded
 * database, its one session) then parses and plans it once instead of on every call, about half of those statements'
 * time. The name carries a hash of the text, so a statement with a few variants gets one prepared statement per
 * variant. Never for SQL whose text follows user input (a search filter): every distinct text would stay prepared.
 * Only for statements whose best plan does not depend on table sizes (writes, key lookups): after five calls
 * PostgreSQL may keep one generic plan, made for the tables as they were, until they are analyzed again.
 * Inside a transaction on the embedded database the statement runs unprepared.
 */
export async function queryRows(db: Db, query: SQL, opts: { prepared?: string } = {}): Promise<Record<string, unknown>[]> {
  let result: unknown;
  const client = (db as { $client?: unknown }).$client;
  if (opts.prepared) {
    const q = dialect.sqlToQuery(query);
    const name = `${opts.prepared}_${createHash("sha1").update(q.sql).digest("hex").slice(0, 12)}`;
    if (isPgliteThread(client)) result = await client.queryPrepared(name, q.sql, q.params, RAW_TEXT);
    else if (client instanceof PGlite) result = await queryPrepared(client, name, q.sql, q.params, RAW_TEXT, false);
    else result = await db._.session.prepareQuery(q, undefined, name, false).execute();
  } else result = await db.execute(query);
  if (result && typeof result === "object" && "rows" in result && Array.isArray(result.rows)) return result.rows;
  throw new Error("The database driver returned an unexpected result shape");
}
