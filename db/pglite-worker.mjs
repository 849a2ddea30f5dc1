// The embedded database's own thread: PGlite (PostgreSQL compiled to WebAssembly) runs here, so the server's main
// thread handles HTTP, validation and rendering while the database works on the second core.
// Plain JavaScript outside the Next bundle: started by db/pglite-thread.ts with new Worker(path).
// Messages in: { id, op: "open" | "query" | "prepared" | "exec" | "begin" | "end" | "close", tx?, ... }; out: { id, ok, result | error }.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { queryPrepared } from "./pglite-prepared.mjs";

/** @type {PGlite} */
let pg;
let nextTx = 1;
/** Open transactions: each has an inbox its statements wait on (PGlite holds its lock until the callback returns). */
const txs = new Map();

const identity = (v) => v;
/** Parsers by their OID list: drizzle asks for the raw text of dates, timestamps and intervals (it parses them itself). */
const parserSets = new Map();
function parsersFor(rawOids) {
  if (!rawOids?.length) return undefined;
  const key = rawOids.join(",");
  let set = parserSets.get(key);
  if (!set) parserSets.set(key, (set = Object.fromEntries(rawOids.map((oid) => [oid, identity]))));
  return set;
}

/** An error as plain data: PostgreSQL's fields (code, table, column, constraint, detail…) cross the thread with it. */
function plainError(e) {
  const props = {};
  if (e && typeof e === "object") {
    for (const [k, v] of Object.entries(e)) {
      if (v === null || ["string", "number", "boolean", "bigint"].includes(typeof v)) props[k] = v;
    }
  }
  return { name: e?.name ?? "Error", message: e?.message ?? String(e), stack: e?.stack, props };
}

const reply = (id, ok, payload) => parentPort.postMessage(ok ? { id, ok, result: payload } : { id, ok, error: plainError(payload) });

function run(on, msg) {
  if (msg.op === "exec") return on.exec(msg.sql);
  const opts = { rowMode: msg.rowMode ?? "object" };
  const parsers = parsersFor(msg.rawOids);
  if (parsers) opts.parsers = parsers;
  if (msg.op === "prepared") return queryPrepared(pg, msg.name, msg.sql, msg.params ?? [], opts, on !== pg);
  return on.query(msg.sql, msg.params ?? [], opts);
}

function inbox() {
  const queue = [];
  let wake = null;
  return {
    push(msg) {
      if (wake) {
        const w = wake;
        wake = null;
        w(msg);
      } else queue.push(msg);
    },
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => (wake = r))),
  };
}

class Rollback extends Error {}

function begin(id) {
  const txId = nextTx++;
  const box = inbox();
  txs.set(txId, box);
  let started = false;
  let end = null;
  pg.transaction(async (tx) => {
    started = true;
    reply(id, true, txId);
    for (;;) {
      const msg = await box.next();
      if (msg.op === "end") {
        end = msg;
        if (!msg.commit) throw new Rollback();
        return;
      }
      try {
        reply(msg.id, true, await run(tx, msg));
      } catch (e) {
        reply(msg.id, false, e);
      }
    }
  }).then(
    () => {
      txs.delete(txId);
      reply(end.id, true, null);
    },
    (e) => {
      txs.delete(txId);
      if (!started) reply(id, false, e);
      else if (e instanceof Rollback) reply(end.id, true, null);
      else if (end) reply(end.id, false, e); // COMMIT failed
    },
  );
}

parentPort.on("message", (msg) => {
  if (msg.tx !== undefined) {
    const box = txs.get(msg.tx);
    if (box) box.push(msg);
    else reply(msg.id, false, new Error(`Transaction ${msg.tx} is closed`));
    return;
  }
  switch (msg.op) {
    case "open":
      PGlite.create(workerData.dataDir).then(
        (db) => {
          pg = db;
          reply(msg.id, true, null);
        },
        (e) => reply(msg.id, false, e),
      );
      return;
    case "begin":
      return begin(msg.id);
    case "close":
      pg.close().then(
        () => reply(msg.id, true, null),
        (e) => reply(msg.id, false, e),
      );
      return;
    default:
      run(pg, msg).then(
        (r) => reply(msg.id, true, r),
        (e) => reply(msg.id, false, e),
      );
  }
});
