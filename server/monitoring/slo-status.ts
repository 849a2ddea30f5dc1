// SLO status (error budget, burn rates, burn-down) and telemetry freshness per model and cohort:
// read by the pages and by the evaluation that raises their alerts.
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { slos, telemetrySummaries } from "@/db/schema";
import { budgetBurnDown, countsFromSlots, errorBudget, evaluateBurnRules, freshnessSlots, type Counts, type Slot } from "@/server/slo/burn";
import { LATENCY_BOUNDS_MS } from "@/server/telemetry/histogram";
import type { SloRow } from "./queries";
import { alignDown, chooseStep } from "./series";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Telemetry older than this (when no freshness SLO says otherwise) makes a model or cohort stale. */
export const DEFAULT_MAX_AGE_MINUTES = 30;
/** A cohort silent for longer than this is considered retired rather than stale. */
const RETIRED_AFTER_MS = 7 * DAY;

type SliRow = { start: number; seconds: number; requests: number; errors: number; fast: number; latencyTotal: number; hasOutcomes: boolean };

/** Per-summary counts for an SLO's model and target since `from`; `fastBuckets` latency buckets count as fast. */
async function sliRows(db: Db, modelId: string, target: string, from: Date, to: Date, fastBuckets: number): Promise<SliRow[]> {
  const rows = await queryRows(
    db,
    sql`select extract(epoch from window_start) * 1000 as start, window_seconds as seconds, requests, errors,
      (select coalesce(sum(v::float8), 0) from jsonb_array_elements_text(latency) with ordinality as e(v, idx) where idx <= ${fastBuckets}) as fast,
      (select coalesce(sum(v::float8), 0) from jsonb_array_elements_text(latency) as e(v)) as latency_total,
      outcomes is not null as has_outcomes
      from ${telemetrySummaries} where model_id = ${modelId} and target = ${target} and window_start >= ${from} and window_start < ${to}`,
  );
  return rows.map((r) => ({
    start: Number(r.start),
    seconds: Number(r.seconds),
    requests: Number(r.requests),
    errors: Number(r.errors),
    fast: Number(r.fast),
    latencyTotal: Number(r.latency_total),
    hasOutcomes: Boolean(r.has_outcomes),
  }));
}

/** Counts of an SLI in [from, to), each window weighted by its overlap (windows can be longer than the short alert windows). */
function overlapCounts(rows: readonly SliRow[], good: (r: SliRow) => Counts, from: number, to: number): Counts {
  let g = 0;
  let t = 0;
  for (const r of rows) {
    const end = r.start + r.seconds * 1000;
    const overlap = Math.min(end, to) - Math.max(r.start, from);
    if (overlap <= 0) continue;
    const f = overlap / (r.seconds * 1000);
    const c = good(r);
    g += c.good * f;
    t += c.total * f;
  }
  return { good: g, total: t };
}

export type SloStatus = Awaited<ReturnType<typeof sloStatus>>;

/** Budget, burn rates and the burn-down for one SLO, evaluated at the newest data (not the wall clock, so the 5-minute window is never empty by construction). */
export async function sloStatus(db: Db, slo: SloRow, now = new Date()) {
  const windowMs = slo.windowDays * DAY;
  const from = new Date(now.getTime() - windowMs);
  const fastBuckets = slo.latencyThresholdMs ? LATENCY_BOUNDS_MS.filter((b) => b <= slo.latencyThresholdMs!).length : 0;
  const rows = await sliRows(db, slo.modelId, slo.target, from, now, fastBuckets);
  const newestEnd = rows.reduce((m, r) => Math.max(m, r.start + r.seconds * 1000), 0);
  const burnStep = chooseStep(windowMs, 300, HOUR);
  let rules: ReturnType<typeof evaluateBurnRules>["rules"];
  let severity: "page" | "ticket" | null;
  let budget: ReturnType<typeof errorBudget>;
  let slots: Slot[];
  if (slo.kind === "freshness") {
    const maxAge = (slo.maxAgeMinutes ?? DEFAULT_MAX_AGE_MINUTES) * MIN;
    const ends = rows.map((r) => r.start + r.seconds * 1000);
    const step = 5 * MIN;
    // Time before the first telemetry is not a breach: the model was not reporting yet.
    const firstEnd = ends.length ? Math.min(...ends) : now.getTime();
    const fine = freshnessSlots(ends, alignDown(Math.max(from.getTime(), firstEnd), step), now.getTime(), step, maxAge);
    ({ rules, severity } = evaluateBurnRules((ms) => countsFromSlots(fine, now.getTime(), ms), slo.objective));
    budget = errorBudget(countsFromSlots(fine, now.getTime(), windowMs), slo.objective);
    slots = [];
    for (const s of fine) {
      const t = alignDown(s.t, burnStep);
      const last = slots[slots.length - 1];
      if (last && last.t === t) {
        last.good += s.good;
        last.total += s.total;
      } else slots.push({ t, good: s.good, total: s.total });
    }
  } else {
    const good =
      slo.kind === "availability"
        ? (r: SliRow) => ({ good: r.requests - r.errors, total: r.requests })
        : (r: SliRow) => ({ good: r.fast, total: r.latencyTotal });
    const asOf = newestEnd || now.getTime();
    ({ rules, severity } = evaluateBurnRules((ms) => overlapCounts(rows, good, asOf - ms, asOf), slo.objective));
    budget = errorBudget(overlapCounts(rows, good, from.getTime(), now.getTime()), slo.objective);
    const bySlot = new Map<number, Slot>();
    for (const r of rows) {
      const t = alignDown(r.start, burnStep);
      const c = good(r);
      const s = bySlot.get(t) ?? { t, good: 0, total: 0 };
      s.good += c.good;
      s.total += c.total;
      bySlot.set(t, s);
    }
    slots = [...bySlot.values()];
  }
  const windowTotal = slots.reduce((a, s) => a + s.total, 0);
  return {
    id: slo.id,
    kind: slo.kind,
    target: slo.target,
    objective: slo.objective,
    windowDays: slo.windowDays,
    latencyThresholdMs: slo.latencyThresholdMs,
    maxAgeMinutes: slo.maxAgeMinutes,
    budget,
    severity,
    rules: rules.map((r) => ({
      name: r.rule.name,
      severity: r.rule.severity,
      factor: r.rule.factor,
      longBurn: r.longBurn,
      shortBurn: r.shortBurn,
      firing: r.firing,
    })),
    burnDown: budgetBurnDown(slots, slo.objective, windowTotal),
    newestDataAt: newestEnd ? new Date(newestEnd) : null,
  };
}

/** Freshness per model and cohort: the newest telemetry window and labelled outcomes, against the maximum age. */
export async function freshness(db: Db, modelIds: string[], now = new Date()) {
  if (!modelIds.length)
    return new Map<string, { cohort: string; newestEnd: Date; newestOutcomes: Date | null; ageMs: number; stale: boolean; maxAgeMinutes: number }[]>();
  const maxAges = await db
    .select({ modelId: slos.modelId, maxAge: slos.maxAgeMinutes })
    .from(slos)
    .where(and(inArray(slos.modelId, modelIds), eq(slos.kind, "freshness")));
  const maxAgeOf = new Map(maxAges.map((m) => [m.modelId, m.maxAge ?? DEFAULT_MAX_AGE_MINUTES]));
  const rows = await queryRows(
    db,
    sql`select model_id, cohort, max(window_start + make_interval(secs => window_seconds)) as newest_end,
      max(case when outcomes is not null then window_start + make_interval(secs => window_seconds) end) as newest_outcomes
      from ${telemetrySummaries} where model_id in ${modelIds} and window_start > ${new Date(now.getTime() - RETIRED_AFTER_MS)} group by model_id, cohort order by cohort`,
  );
  const out = new Map<string, { cohort: string; newestEnd: Date; newestOutcomes: Date | null; ageMs: number; stale: boolean; maxAgeMinutes: number }[]>();
  for (const r of rows) {
    const modelId = String(r.model_id);
    const newestEnd = new Date(r.newest_end as string);
    const maxAgeMinutes = maxAgeOf.get(modelId) ?? DEFAULT_MAX_AGE_MINUTES;
    const ageMs = now.getTime() - newestEnd.getTime();
    const list = out.get(modelId) ?? [];
    list.push({
      cohort: String(r.cohort),
      newestEnd,
      newestOutcomes: r.newest_outcomes ? new Date(r.newest_outcomes as string) : null,
      ageMs,
      stale: ageMs > maxAgeMinutes * MIN,
      maxAgeMinutes,
    });
    out.set(modelId, list);
  }
  return out;
}
