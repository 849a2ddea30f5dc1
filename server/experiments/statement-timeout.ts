// A statement timeout for user-driven queries: one search cannot hold the database for long.
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { env } from "@/server/env";
import { Invalid } from "@/server/errors";

/** PostgreSQL's query_canceled, raised when statement_timeout fires (drizzle may wrap it in `cause`). */
function isStatementTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "57014") return true;
  }
  return false;
}

/**
 * Runs `fn` in a read transaction whose statements are cancelled by the database after
 * SEARCH_STATEMENT_TIMEOUT_MS (SET LOCAL: the limit ends with the transaction, other queries on
 * the pooled connection keep theirs). A cancelled query becomes a 400 that says what to do.
 * PGlite ignores statement_timeout; the bound holds on PostgreSQL, where several users share one server.
 */
export async function withStatementTimeout<T>(db: Db, what: string, fn: (tx: Db) => Promise<T>, ms: number = env.SEARCH_STATEMENT_TIMEOUT_MS): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(ms))}`));
      return fn(tx);
    });
  } catch (err) {
    if (isStatementTimeout(err)) {
      throw new Invalid(`${what} ran longer than ${ms / 1000} s and was stopped: use fewer or more selective conditions, fewer order_by keys, or fewer experiments`);
    }
    throw err;
  }
}
