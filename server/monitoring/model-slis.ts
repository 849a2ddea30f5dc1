// Per-model SLIs for Prometheus (/api/metrics), read from the stored telemetry at scrape time: every replica
// shares one database, so each answers the same numbers, and nothing lives in one process's memory.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { logger } from "@/server/log";
import { LATENCY_BOUNDS_MS } from "@/server/telemetry/histogram";

/** Series seen in this many days are exported; older model versions drop out of the scrape. */
export const ACTIVE_DAYS = 7;
/** Cardinality guard: at most this many (model, version) series per scrape. */
export const MAX_SERIES = 500;
const CACHE_MS = 10_000;

/**
 * Exported bucket bounds (seconds): every second stored bound (5 per decade, 1 ms to 100 s). Stored
 * bounds are a superset, so the cumulative counts at these bounds are exact, not interpolated.
 */
const EXPORT_BOUND_INDEXES = LATENCY_BOUNDS_MS.map((_, i) => i).filter((i) => i % 2 === 0);

export type ModelSeries = {
  model: string;
  version: number;
  cohort: "canary" | "stable";
  requests: number;
  errors: number;
  /** Counts per stored latency bucket (LATENCY_BOUNDS_MS, overflow last), summed over all windows. */
  latency: number[];
  /** Worst latest drift statistic over its threshold across the version's monitors (1 = at threshold); null without monitors. */
  driftScore: number | null;
};

/**
 * Totals since the first window of every (model, version) with telemetry in the last ACTIVE_DAYS:
 * counters must never go down, so they cannot be windowed. Drift is a gauge: the latest
 * evaluation per monitor in the same period.
 */
export async function modelSeries(db: Db, now = new Date()): Promise<ModelSeries[]> {
  const since = new Date(now.getTime() - ACTIVE_DAYS * 86_400_000);
  const active = sql`select distinct model_id, version from telemetry_summaries where window_start >= ${since.toISOString()}::timestamptz order by model_id, version limit ${MAX_SERIES}`;
  // A version that is some deployment's candidate is the canary; everything else serves as stable.
  const canary = sql`exists (select 1 from deployments d join model_versions mv on mv.id = d.candidate_version_id where d.model_id = a.model_id and mv.number = a.version)`;
  const totals = await queryRows(
    db,
    sql`with a as (${active})
        select m.slug as model, a.version, ${canary} as canary, sum(t.requests)::float8 as requests, sum(t.errors)::float8 as errors
        from a join models m on m.id = a.model_id
        join telemetry_summaries t on t.model_id = a.model_id and t.version = a.version
        group by m.slug, a.model_id, a.version`,
  );
  const buckets = await queryRows(
    db,
    sql`with a as (${active})
        select m.slug as model, a.version, (b.ord - 1)::int as idx, sum(b.c::float8)::float8 as n
        from a join models m on m.id = a.model_id
        join telemetry_summaries t on t.model_id = a.model_id and t.version = a.version
        cross join lateral jsonb_array_elements_text(t.latency) with ordinality as b(c, ord)
        group by m.slug, a.version, b.ord`,
  );
  const drift = await queryRows(
    db,
    sql`select m.slug as model, latest.version, max(latest.statistic / nullif(latest.threshold, 0))::float8 as score
        from (
          select distinct on (e.monitor_id) dm.model_id, dm.version, e.statistic, e.threshold
          from drift_evaluations e join drift_monitors dm on dm.id = e.monitor_id
          where dm.enabled and e.window_start >= ${since.toISOString()}::timestamptz
          order by e.monitor_id, e.window_start desc
        ) latest join models m on m.id = latest.model_id
        group by m.slug, latest.version`,
  );
  const key = (model: unknown, version: unknown) => `${String(model)}\u0000${Number(version)}`;
  const byKey = new Map<string, ModelSeries>();
  for (const r of totals) {
    byKey.set(key(r.model, r.version), {
      model: String(r.model),
      version: Number(r.version),
      cohort: r.canary === true || r.canary === "t" ? "canary" : "stable",
      requests: Number(r.requests),
      errors: Number(r.errors),
      latency: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0),
      driftScore: null,
    });
  }
  for (const b of buckets) {
    const s = byKey.get(key(b.model, b.version));
    const i = Number(b.idx);
    if (s && i >= 0 && i < s.latency.length) s.latency[i] += Number(b.n);
  }
  for (const d of drift) {
    const s = byKey.get(key(d.model, d.version));
    if (s && d.score !== null) s.driftScore = Number(d.score);
  }
  return [...byKey.values()].sort((a, b) => a.model.localeCompare(b.model) || a.version - b.version);
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labelsOf = (s: ModelSeries, extra = "") => `{model="${escapeLabel(s.model)}",version="${s.version}",cohort="${s.cohort}"${extra}}`;
const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : "NaN");

/** Prometheus text exposition (format 0.0.4) of the series. */
export function modelSliText(series: readonly ModelSeries[]): string {
  const out: string[] = [];
  out.push("# HELP sentinel_model_requests_total Inferences reported in telemetry, by model, version and cohort (canary: a deployment's candidate)");
  out.push("# TYPE sentinel_model_requests_total counter");
  for (const s of series) out.push(`sentinel_model_requests_total${labelsOf(s)} ${num(s.requests)}`);
  out.push("# HELP sentinel_model_errors_total Failed inferences reported in telemetry");
  out.push("# TYPE sentinel_model_errors_total counter");
  for (const s of series) out.push(`sentinel_model_errors_total${labelsOf(s)} ${num(s.errors)}`);
  out.push("# HELP sentinel_model_latency_seconds Inference latency from the merged telemetry histograms (_sum estimated from bucket midpoints)");
  out.push("# TYPE sentinel_model_latency_seconds histogram");
  for (const s of series) {
    let cumulative = 0;
    let next = 0;
    let sumMs = 0;
    s.latency.forEach((c, i) => {
      const upper = LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)];
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
      // Geometric middle of a log-spaced bucket; half the first bucket; the last bound for the overflow.
      sumMs += c * (i === 0 ? upper / 2 : i >= LATENCY_BOUNDS_MS.length ? upper : Math.sqrt(lower * upper));
    });
    for (const bi of EXPORT_BOUND_INDEXES) {
      while (next <= bi) cumulative += s.latency[next++];
      out.push(`sentinel_model_latency_seconds_bucket${labelsOf(s, `,le="${LATENCY_BOUNDS_MS[bi] / 1000}"`)} ${num(cumulative)}`);
    }
    const count = s.latency.reduce((a, b) => a + b, 0);
    out.push(`sentinel_model_latency_seconds_bucket${labelsOf(s, ',le="+Inf"')} ${num(count)}`);
    out.push(`sentinel_model_latency_seconds_sum${labelsOf(s)} ${num(sumMs / 1000)}`);
    out.push(`sentinel_model_latency_seconds_count${labelsOf(s)} ${num(count)}`);
  }
  out.push("# HELP sentinel_model_drift_score Worst latest drift statistic over its threshold across the version's monitors (1 or more: drifted)");
  out.push("# TYPE sentinel_model_drift_score gauge");
  for (const s of series) if (s.driftScore !== null) out.push(`sentinel_model_drift_score${labelsOf(s)} ${num(s.driftScore)}`);
  return `${out.join("\n")}\n`;
}

const g = globalThis as { __sentinelModelSlis?: { at: number; text: Promise<string> } };

/**
 * The SLI text, cached a few seconds per process so several scrapers (or a scrape storm) cost one
 * set of queries. A failing read answers `sentinel_model_slis_up 0` instead of failing the scrape.
 */
export function modelSliMetrics(db: Db, now = Date.now()): Promise<string> {
  const cached = g.__sentinelModelSlis;
  if (cached && now - cached.at < CACHE_MS) return cached.text;
  const text = modelSeries(db, new Date(now)).then(
    (series) =>
      `# HELP sentinel_model_slis_up Whether the per-model SLIs could be read from the database\n# TYPE sentinel_model_slis_up gauge\nsentinel_model_slis_up 1\n${modelSliText(series)}`,
    (err: unknown) => {
      logger.warn({ err }, "per-model SLIs could not be read for /api/metrics");
      // Do not keep a failure for the whole cache period: the next scrape tries again.
      g.__sentinelModelSlis = undefined;
      return "# HELP sentinel_model_slis_up Whether the per-model SLIs could be read from the database\n# TYPE sentinel_model_slis_up gauge\nsentinel_model_slis_up 0\n";
    },
  );
  g.__sentinelModelSlis = { at: now, text };
  return text;
}

/** Tests start from an empty cache. */
export function clearModelSliCache(): void {
  g.__sentinelModelSlis = undefined;
}
