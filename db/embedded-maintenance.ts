// PGlite has no autovacuum worker: without this its planner never gets statistics (runs/search read 100 runs with a
// sequential scan and took 19 ms instead of 6) and updated rows (latest metric values, leases) are never reclaimed.
// A pass does what autovacuum would, with PostgreSQL's default thresholds, one table per statement so requests
// interleave between them.

/** The part of a PGlite client (in this thread or its own) that a pass needs. */
export type Queryable = { query: (sql: string, params?: unknown[]) => Promise<unknown> };

/** autovacuum_{analyze,vacuum}_threshold and _scale_factor, PostgreSQL's defaults. */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;
const STATISTICS_TARGET = 10;

export type PassResult = { analyzed: string[]; vacuumed: string[] };

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * One pass: VACUUM (ANALYZE) the tables whose dead rows passed the threshold, ANALYZE those whose changes did, and
 * those without statistics that may hold rows (change counters start at zero after a restart; statistics persist).
 * With `missingOnly`, only the last kind: a table without statistics gets bad plans (runs/search read 100 runs with a
 * sequential scan and took 19 ms instead of 6), and analyzing a small new table takes milliseconds.
 */
export async function maintainEmbedded(db: Queryable, opts: { missingOnly?: boolean } = {}): Promise<PassResult> {
  // Counters reach the shared statistics at most once a second, at the end of some later statement: flush now.
  await db.query(`select pg_stat_force_next_flush()`);
  const res = (await db.query(
    `select s.relname as name, s.n_dead_tup::float8 as dead, s.n_mod_since_analyze::float8 as changed, c.reltuples::float8 as tuples,
            exists (select 1 from pg_statistic st where st.starelid = c.oid) as has_stats
       from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname = 'public' and c.relkind = 'r'`,
  )) as { rows: { name: string; dead: number; changed: number; tuples: number; has_stats: boolean }[] };
  const result: PassResult = { analyzed: [], vacuumed: [] };
  const work = res.rows.flatMap((t) => {
    const size = Math.max(t.tuples, 0);
    const vacuum = !opts.missingOnly && t.dead > VACUUM_BASE + VACUUM_SCALE * size;
    // No statistics and not known to be empty (reltuples -1: never analyzed; change counters restart at zero).
    const analyze = (!t.has_stats && t.tuples !== 0) || (!opts.missingOnly && t.changed > ANALYZE_BASE + ANALYZE_SCALE * size);
    return vacuum || analyze ? [{ name: t.name, vacuum }] : [];
  });
  if (!work.length) return result;
  // A tenth of PostgreSQL's default sample: the largest ANALYZE here holds every request for ~50 ms instead of ~250.
  await db.query(`set default_statistics_target = ${STATISTICS_TARGET}`);
  try {
    for (const t of work) {
      await db.query(t.vacuum ? `vacuum (analyze) ${quoteIdent(t.name)}` : `analyze ${quoteIdent(t.name)}`);
      (t.vacuum ? result.vacuumed : result.analyzed).push(t.name);
    }
  } finally {
    await db.query(`reset default_statistics_target`);
  }
  return result;
}

/** How long the database must have been quiet before a full pass, and how long a busy one waits for it at most. */
const QUIET_MS = 2_000;
const FULL_PASS_AT_LEAST_EVERY_MS = 10 * 60_000;

/**
 * Runs a pass every `everyMs` (never two at once, never keeping the process alive); returns the stop function.
 * PGlite runs one statement at a time, so an ANALYZE of a large table holds every request behind it: the full pass
 * waits until the database has been quiet for a moment (or has waited ten minutes); a busy one gets only the
 * missing statistics. `lastActivity` says when the database last answered a request (unknown: always quiet).
 */
export function startEmbeddedMaintenance(db: Queryable, everyMs: number, onError: (e: unknown) => void, lastActivity?: () => number): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  let lastFull = Date.now();
  const timer = setInterval(() => {
    if (running) return;
    const now = Date.now();
    const full = !lastActivity || now - lastActivity() >= QUIET_MS || now - lastFull >= FULL_PASS_AT_LEAST_EVERY_MS;
    if (full) lastFull = now;
    running = maintainEmbedded(db, { missingOnly: !full })
      .catch(onError)
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
