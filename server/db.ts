// The process-wide database: opened lazily once (never during `next build`), migrated, seeded in demo mode.
import "server-only";
import { openDatabase, type Database, type Db } from "@/db/client";
import { artifactStore } from "@/server/artifacts";
import { dataDir, demoEnabled, env } from "@/server/env";
import { logger } from "@/server/log";

type Holder = { promise?: Promise<Database> };
// On globalThis so that the instrumentation hook, route bundles and dev reloads share one instance.
const holder: Holder = ((globalThis as { __sentinelDb?: Holder }).__sentinelDb ??= {});

export function getDatabase(): Promise<Database> {
  holder.promise ??= (async () => {
    const started = Date.now();
    // Loaded only when demo mode seeds, so ordinary routes do not bundle the generators (pureimage, sharp, the ONNX builder).
    const prepare = demoEnabled
      ? async (db: Db) => {
          const { seedDemo } = await import("@/db/seed");
          await seedDemo(db, artifactStore, { password: env.DEMO_PASSWORD });
        }
      : undefined;
    const pool = { max: env.DB_POOL_MAX, connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS };
    const database = await openDatabase(
      env.DATABASE_URL ? { url: env.DATABASE_URL, prepare, pool } : { pgliteDir: dataDir, pgliteThread: env.EMBEDDED_DB_THREAD === "1", prepare },
    );
    logger.info({ driver: database.driver, ms: Date.now() - started, seeded: demoEnabled }, "database open, migrated and seeded");
    return database;
  })();
  holder.promise.catch(() => {
    holder.promise = undefined;
  });
  return holder.promise;
}

/** Tests hand the process an already-open database (or one being opened) instead of opening DATA_DIR. */
export function provideDatabase(database: Database | Promise<Database>): void {
  holder.promise = Promise.resolve(database);
  holder.promise.catch(() => {});
}

export async function getDb() {
  return (await getDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
  const p = holder.promise;
  holder.promise = undefined;
  if (p) await (await p).close();
}
