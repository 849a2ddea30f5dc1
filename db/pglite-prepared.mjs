// Named prepared statements on PGlite. Its query() sends every statement as the unnamed one, so PostgreSQL parses,
// analyzes and plans it on each call: for run creation and log-batch (fixed-shape CTEs) that was half their time on
// the embedded database (1.4 -> 0.75 ms and 1.8 -> 1.0 ms). Here a statement is parsed and described once per name;
// later calls send only Bind, Describe, Execute and Sync, in one protocol message, and the values are serialized by
// the parameter types PostgreSQL reported, with PGlite's own serializers, as its query() does.
// Plain JavaScript: used by db/pglite-worker.mjs (outside the Next bundle) and by db/client.ts (in-process PGlite).
import { parse, protocol } from "@electric-sql/pglite";

const { serialize } = protocol;

/** Per PGlite instance (one backend session each): the statements it has prepared, by name, with their parameter types. */
const prepared = new WeakMap();

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Runs `text` as the prepared statement `name` and answers like PGlite's query(). The name must stand for this text
 * only (callers put a hash of the text in it). `inTransaction`: the caller already holds PGlite's transaction lock
 * (a statement of an open transaction); otherwise this takes it, so the statement cannot run inside someone else's.
 */
export function queryPrepared(pg, name, text, params, options, inTransaction) {
  const run = async () => {
    let known = prepared.get(pg);
    if (!known) prepared.set(pg, (known = new Map()));
    let types = known.get(name);
    if (!types) {
      // A Parse that fails creates nothing, so the next call simply tries again.
      const { messages } = await pg.execProtocol(
        concat([serialize.parse({ name, text, types: [] }), serialize.describe({ type: "S", name }), serialize.sync()]),
        {
          syncToFs: false,
        },
      );
      types = parse.parseDescribeStatementResults(messages);
      known.set(name, types);
    }
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serializer = options?.serializers?.[types[i]] ?? pg.serializers[types[i]];
      return serializer ? serializer(v) : v.toString();
    });
    const { messages } = await pg.execProtocol(
      concat([serialize.bind({ statement: name, values }), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()]),
      { syncToFs: false },
    );
    if (!inTransaction) await pg.syncToFs();
    return parse.parseResults(messages, pg.parsers, options)[0];
  };
  return inTransaction ? pg._runExclusiveQuery(run) : pg._runExclusiveTransaction(() => pg._runExclusiveQuery(run));
}
