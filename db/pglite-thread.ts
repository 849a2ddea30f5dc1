// The embedded database on its own thread: PGlite runs in db/pglite-worker.mjs, and this class gives drizzle the part
// of PGlite's client it uses (query, exec, transaction, close). On one thread PGlite's WebAssembly took half of every
// request's time while HTTP, validation and rendering waited; on two they overlap (README, "Speed").
import path from "node:path";
import { Worker } from "node:worker_threads";

type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string; props: Record<string, unknown> } };
type QueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, unknown> };
type Request = { op: string; tx?: number; name?: string; sql?: string; params?: unknown[]; rowMode?: string; rawOids?: number[]; commit?: boolean };

/** The client surface a transaction callback gets (drizzle's pglite session calls query; exec for completeness). */
export type ThreadTransaction = {
  query: (sql: string, params?: unknown[], opts?: QueryOptions) => Promise<unknown>;
  exec: (sql: string) => Promise<unknown>;
  rollback: () => Promise<void>;
  readonly closed: boolean;
};

const workerPath = path.join(/*turbopackIgnore: true*/ process.cwd(), "db/pglite-worker.mjs");

/** A query as a message. drizzle passes parser functions only to keep some types as text: the OIDs cross, not the functions. */
function queryRequest(sql: string, params: unknown[] | undefined, opts: QueryOptions | undefined, tx?: number): Request {
  return { op: "query", tx, sql, params: params ?? [], rowMode: opts?.rowMode, rawOids: opts?.parsers ? Object.keys(opts.parsers).map(Number) : undefined };
}

export class PgliteThread {
  /** Checked instead of instanceof: Next bundles this module into several chunks, each with its own class. */
  readonly kind = "pglite-thread";
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stopped: Error | null = null;
  private closing = false;
  /** When the database last answered (Date.now()), for maintenance that waits for a quiet moment. */
  lastActivity = 0;

  private constructor(dataDir: string) {
    this.worker = new Worker(workerPath, { workerData: { dataDir } });
    this.worker.unref();
    this.worker.on("message", (m: Reply) => this.settle(m));
    const fail = (e: Error) => {
      // Every later call fails with this message (and /api/health answers 503); say it once where operators look.
      if (!this.stopped && !this.closing) console.error(e.message);
      this.stopped ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on("error", (e) => fail(new Error(`The embedded database thread failed: ${e.message}. Restart Sentinel.`, { cause: e })));
    this.worker.on("exit", (code) => fail(new Error(`The embedded database thread stopped (exit code ${code}). Restart Sentinel.`)));
  }

  static async create(dataDir: string): Promise<PgliteThread> {
    const thread = new PgliteThread(dataDir);
    try {
      await thread.call({ op: "open" });
    } catch (e) {
      await thread.worker.terminate();
      throw e;
    }
    return thread;
  }

  private settle(m: Reply) {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.lastActivity = Date.now();
    // The worker stays referenced only while an answer is awaited, so an idle script can exit.
    if (this.pending.size === 0) this.worker.unref();
    if (m.ok) return p.resolve(m.result);
    // Rebuilt with PostgreSQL's fields (code, table, column…), which callers read to tell one failure from another.
    const err = Object.assign(new Error(m.error.message), m.error.props);
    err.name = m.error.name;
    err.stack = `${err.name}: ${err.message}\n    (in the database thread) ${m.error.stack?.split("\n").slice(1, 3).join(" ").trim() ?? ""}`;
    p.reject(err);
  }

  private call(req: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  query(sql: string, params?: unknown[], opts?: QueryOptions) {
    return this.call(queryRequest(sql, params, opts));
  }

  /** query() as the named prepared statement `name` (see db/pglite-prepared.mjs): parsed and planned once per name. */
  queryPrepared(name: string, sql: string, params?: unknown[], opts?: QueryOptions) {
    return this.call({ ...queryRequest(sql, params, opts), op: "prepared", name });
  }

  exec(sql: string) {
    return this.call({ op: "exec", sql });
  }

  /** Statements inside run in order on the worker while PGlite holds its lock; commit when `fn` returns, roll back when it throws. */
  async transaction<T>(fn: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const txId = (await this.call({ op: "begin" })) as number;
    let closed = false;
    const open = () => {
      if (closed) throw new Error("Transaction is closed");
    };
    const end = async (commit: boolean) => {
      if (closed) return;
      closed = true;
      await this.call({ op: "end", tx: txId, commit });
    };
    const tx: ThreadTransaction = {
      query: async (sql, params, opts) => (open(), this.call(queryRequest(sql, params, opts, txId))),
      exec: async (sql) => (open(), this.call({ op: "exec", tx: txId, sql })),
      rollback: async () => (open(), end(false)),
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (e) {
      await end(false).catch(() => {});
      throw e;
    }
    await end(true);
    return result;
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.closing = true;
    try {
      await this.call({ op: "close" });
    } finally {
      await this.worker.terminate();
    }
  }
}
