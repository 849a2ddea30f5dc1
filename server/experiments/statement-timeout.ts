// A statement timeout for user-driven queries, and cancellation when the client goes away: one search cannot hold
// the database for long, nor keep running for nobody.
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { isEmbedded, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { env } from "@/server/env";
import { Invalid } from "@/server/errors";

/** PostgreSQL's query_canceled, raised when statement_timeout fires or the backend is cancelled (drizzle may wrap it in `cause`). */
function isQueryCanceled(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "57014") return true;
  }
  return false;
}

const cancelled = (what: string) => new Invalid(`${what} was cancelled: the request was aborted before it finished`);

async function inTimedTransaction<T>(db: Db, ms: number, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(ms))}`));
    return fn(tx);
  });
}

/**
 * On PostgreSQL with a signal: the search runs on a connection of its own taken from the pool, whose backend pid is
 * read first; an abort while the search is in flight sends pg_cancel_backend(pid) over another connection. The flag
 * is cleared before the connection goes back, and a connection that was sent a cancel is destroyed rather than
 * released: a cancel that lands after the search ended could otherwise stop the next request's query on it.
 */
async function onOwnConnection<T>(pool: pg.Pool, signal: AbortSignal, ms: number, fn: (tx: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let inFlight = false;
  let cancel: Promise<unknown> | null = null;
  const onAbort = () => {
    if (!inFlight || cancel) return;
    cancel = pool.query("select pg_cancel_backend($1)", [pid]).catch(() => null);
  };
  let pid = 0;
  // A cancel reaches only a statement that is running; one sent between statements (after BEGIN, say) is lost. So
  // every statement also checks the signal before it is sent.
  const query = client.query.bind(client);
  const guarded = (...args: unknown[]) =>
    signal.aborted ? Promise.reject(Object.assign(new Error("The request was aborted"), { code: "57014" })) : (query as (...a: unknown[]) => unknown)(...args);
  Object.defineProperty(client, "query", { value: guarded, configurable: true, writable: true });
  try {
    pid = Number((await query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid);
    const own = drizzleNodePg(client, { schema, casing: "snake_case" }) as unknown as Db;
    inFlight = true;
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    return await inTimedTransaction(own, ms, fn);
  } finally {
    inFlight = false;
    signal.removeEventListener("abort", onAbort);
    // Back to the prototype's query before the connection leaves.
    delete (client as { query?: unknown }).query;
    if (cancel || signal.aborted) {
      // Cancelled (or left mid-transaction by a refused statement): destroyed, never handed to another request.
      await cancel;
      client.release(true);
    } else client.release();
  }
}

/**
 * Runs `fn` in a read transaction whose statements are cancelled by the database after
 * SEARCH_STATEMENT_TIMEOUT_MS (SET LOCAL: the limit ends with the transaction, other queries on
 * the pooled connection keep theirs). A cancelled query becomes a 400 that says what to do.
 * With `signal` (the request's), a client that goes away stops the search: before it starts on both drivers, and
 * while it runs on PostgreSQL (see onOwnConnection). PGlite runs in this process, ignores statement_timeout and
 * cannot cancel a running statement, so there a search runs to its end; the bounds hold on PostgreSQL, where several
 * users share one server.
 */
export async function withStatementTimeout<T>(
  db: Db,
  what: string,
  fn: (tx: Db) => Promise<T>,
  ms: number = env.SEARCH_STATEMENT_TIMEOUT_MS,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) throw cancelled(what);
  // PGlite ignores statement_timeout (see above): there the transaction would only add three round trips (BEGIN,
  // SET, COMMIT) to each search, on a database that runs one statement at a time.
  if (isEmbedded(db)) return fn(db);
  const pool = (db as { $client?: unknown }).$client;
  try {
    if (signal && pool instanceof pg.Pool) return await onOwnConnection(pool, signal, ms, fn);
    return await inTimedTransaction(db, ms, fn);
  } catch (err) {
    if (isQueryCanceled(err)) {
      if (signal?.aborted) throw cancelled(what);
      throw new Invalid(
        `${what} ran longer than ${ms / 1000} s and was stopped: use fewer or more selective conditions, fewer order_by keys, or fewer experiments`,
      );
    }
    throw err;
  }
}
