// Monitoring services: drift monitors and their scheduled evaluation, SLO status, freshness, and the
// data behind the overview and model pages (merged from summaries, downsampled on the server).
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { driftEvaluations, driftMonitors, modelAliases, models, modelVersions, slos, telemetrySummaries, type FeatureSummary } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Invalid, NotFound } from "@/server/errors";
import { alignSummaries, detectDrift, isPValueMethod, modelDrift, type DriftMethod } from "@/server/drift/detect";
import { budgetBurnDown, countsFromSlots, errorBudget, evaluateBurnRules, freshnessSlots, type Counts, type Slot } from "@/server/slo/burn";
import { LATENCY_BOUNDS_MS, latencyQuantile, mergeSummaries, summaryTotal } from "@/server/telemetry/histogram";
import { applyAlertSteps, listAlerts, openAlertCounts, type AlertStep } from "./alerts";
import { ZCreateMonitor, ZCreateSlo, ZEvaluateModel, ZModelMonitoring, ZOverviewFilters, type TCreateMonitor, type TCreateSlo } from "./schemas";
import { evaluateThresholdRules, listThresholdRules } from "./thresholds";
import { chooseStep, downsampleMax, overlayRows, resolveRange, withGaps } from "./series";
import { driftAlertTitle, driftVerdictWords, formatSliceParam, parseSliceParam, scopeWords, seriesHeading, seriesHref, seriesName, seriesQuery, type DriftSeries } from "./evidence";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Telemetry older than this (when no freshness SLO says otherwise) makes a model or cohort stale. */
export const DEFAULT_MAX_AGE_MINUTES = 30;
/** A cohort silent for longer than this is considered retired rather than stale. */
const RETIRED_AFTER_MS = 7 * DAY;

export type MonitorRow = typeof driftMonitors.$inferSelect;
export type SloRow = typeof slos.$inferSelect;

async function modelBySlug(db: Db, slug: string) {
  const [m] = await db.select().from(models).where(eq(models.slug, slug));
  if (!m) throw new NotFound(`Model ${slug}`);
  return m;
}

/** Versions behind the production alias, by model. */
async function productionVersions(db: Db, modelIds?: string[]) {
  const rows = await db
    .select({ modelId: modelAliases.modelId, version: modelVersions.number })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.alias, "production"), modelIds ? inArray(modelAliases.modelId, modelIds) : undefined));
  return new Map(rows.map((r) => [r.modelId, r.version]));
}

function distributionColumn(source: string, name: string) {
  return source === "prediction" ? sql<FeatureSummary | null>`${telemetrySummaries.predictions} -> ${name}` : sql<FeatureSummary | null>`${telemetrySummaries.features} -> ${name}`;
}

/** One feature's (or prediction's) distribution merged over a time window. */
export async function mergedDistribution(db: Db, q: { modelId: string; version: number; source: string; name: string; from: Date; to: Date; cohort?: string | null; slice?: Record<string, string>; edges?: number[] }) {
  const rows = await db
    .select({ dist: distributionColumn(q.source, q.name) })
    .from(telemetrySummaries)
    .where(
      and(
        eq(telemetrySummaries.modelId, q.modelId),
        eq(telemetrySummaries.version, q.version),
        gte(telemetrySummaries.windowStart, q.from),
        lt(telemetrySummaries.windowStart, q.to),
        q.cohort ? eq(telemetrySummaries.cohort, q.cohort) : undefined,
        q.slice && Object.keys(q.slice).length ? sql`${telemetrySummaries.slice} @> ${JSON.stringify(q.slice)}::jsonb` : undefined,
      ),
    );
  return mergeSummaries(rows.map((r) => r.dist).filter((d): d is FeatureSummary => d !== null), q.edges);
}

export async function createMonitor(db: Db, actor: Actor, input: TCreateMonitor | unknown) {
  const m = ZCreateMonitor.parse(input);
  const model = await modelBySlug(db, m.model);
  const [v] = await db.select({ id: modelVersions.id }).from(modelVersions).where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, m.version)));
  if (!v) throw new NotFound(`Version ${m.version} of ${m.model}`);
  const reference = await mergedDistribution(db, { modelId: model.id, version: m.version, source: m.source, name: m.name, from: m.referenceFrom, to: m.referenceTo, cohort: m.cohort, slice: m.slice });
  if (!reference || summaryTotal(reference) <= 0) throw new Invalid(`No telemetry for ${m.source} ${m.name} of ${seriesName({ model: m.model, version: m.version, cohort: m.cohort ?? null, slice: m.slice })} between ${m.referenceFrom.toISOString()} and ${m.referenceTo.toISOString()}; pick a reference window with data`);
  if (reference.kind === "categorical" && (m.method === "ks" || m.method === "wasserstein")) throw new Invalid(`${m.method} needs a numeric feature; ${m.name} is categorical`);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(driftMonitors)
      .values({
        modelId: model.id,
        version: m.version,
        source: m.source,
        name: m.name,
        method: m.method,
        threshold: m.threshold ?? null,
        windowMinutes: m.windowMinutes,
        cohort: m.cohort ?? null,
        slice: m.slice,
        severity: m.severity,
        referenceFrom: m.referenceFrom,
        referenceTo: m.referenceTo,
        reference,
        referenceCount: Math.round(summaryTotal(reference)),
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`A monitor for ${m.source} ${m.name} of ${seriesName({ model: m.model, version: m.version, cohort: m.cohort ?? null, slice: m.slice })} already exists`);
    const { reference: _r, ...audited } = row;
    await writeAudit(tx, actor, { action: "monitor.create", entityType: "drift_monitor", entityId: row.id, after: { ...audited, model: m.model } });
    return row;
  });
}

export async function createSlo(db: Db, actor: Actor, input: TCreateSlo | unknown) {
  const s = ZCreateSlo.parse(input);
  if (s.kind === "latency" && !s.latencyThresholdMs) throw new Invalid("A latency SLO needs latencyThresholdMs");
  if (s.kind === "freshness" && !s.maxAgeMinutes) throw new Invalid("A freshness SLO needs maxAgeMinutes");
  const model = await modelBySlug(db, s.model);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(slos)
      .values({ modelId: model.id, target: s.target, kind: s.kind, objective: s.objective, windowDays: s.windowDays, latencyThresholdMs: s.latencyThresholdMs ?? null, maxAgeMinutes: s.maxAgeMinutes ?? null, createdBy: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`${s.model} already has a ${s.kind} SLO on ${s.target}`);
    await writeAudit(tx, actor, { action: "slo.create", entityType: "slo", entityId: row.id, after: { ...row, model: s.model } });
    return row;
  });
}

// ---- Evaluation ----

type WindowRow = { windowStart: Date; cohort: string; slice: Record<string, string>; features: Record<string, FeatureSummary>; predictions: Record<string, FeatureSummary> };

const alignDown = (t: number, step: number) => Math.floor(t / step) * step;

/** A summary belongs to a monitor's slice when it carries every key of it with the same value. */
const sliceContains = (have: Record<string, string> | null, want: Record<string, string>) => Object.entries(want).every(([k, v]) => have?.[k] === v);

/** The series a monitor watches, in the terms alerts and links use. */
export function monitorSeries(m: MonitorRow, slug: string): DriftSeries {
  return { model: slug, version: m.version, cohort: m.cohort, slice: m.slice, source: m.source === "prediction" ? "prediction" : "feature", feature: m.name, windowMinutes: m.windowMinutes };
}

export type EvaluationSummary = { monitors: number; evaluations: number; slos: number; alertsTouched: number; ms: number };

/**
 * Evaluates every enabled monitor on its complete windows in [from, now) (default: the last two, so
 * late windows are folded in), stores each evaluation with both distributions, and moves the
 * monitor's alert through its lifecycle in time order.
 */
export async function evaluateMonitors(db: Db, opts: { now?: Date; from?: Date; modelId?: string } = {}): Promise<{ monitors: number; evaluations: number }> {
  const now = (opts.now ?? new Date()).getTime();
  const monitors = await db
    .select({ monitor: driftMonitors, slug: models.slug })
    .from(driftMonitors)
    .innerJoin(models, eq(models.id, driftMonitors.modelId))
    .where(and(eq(driftMonitors.enabled, true), opts.modelId ? eq(driftMonitors.modelId, opts.modelId) : undefined));
  const groups = new Map<string, { slug: string; list: MonitorRow[] }>();
  for (const { monitor, slug } of monitors) {
    const key = `${monitor.modelId}/${monitor.version}`;
    const g = groups.get(key) ?? { slug, list: [] };
    g.list.push(monitor);
    groups.set(key, g);
  }
  let evaluations = 0;
  for (const { slug, list } of groups.values()) {
    const windowsOf = (m: MonitorRow) => {
      const w = m.windowMinutes * MIN;
      const last = alignDown(now, w) - w; // start of the last complete window
      const first = opts.from ? alignDown(opts.from.getTime(), w) : last - w;
      const starts: number[] = [];
      for (let s = first; s <= last; s += w) starts.push(s);
      return { w, starts };
    };
    const spans = list.map(windowsOf);
    const from = Math.min(...spans.map((s) => s.starts[0] ?? now));
    const rows: WindowRow[] = await db
      .select({ windowStart: telemetrySummaries.windowStart, cohort: telemetrySummaries.cohort, slice: telemetrySummaries.slice, features: telemetrySummaries.features, predictions: telemetrySummaries.predictions })
      .from(telemetrySummaries)
      .where(and(eq(telemetrySummaries.modelId, list[0].modelId), eq(telemetrySummaries.version, list[0].version), gte(telemetrySummaries.windowStart, new Date(from)), lt(telemetrySummaries.windowStart, new Date(now))));
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      const { w, starts } = spans[i];
      const values: (typeof driftEvaluations.$inferInsert)[] = [];
      const steps: AlertStep[] = [];
      const series = monitorSeries(m, slug);
      for (const s of starts) {
        const inWindow = rows.filter((r) => r.windowStart.getTime() >= s && r.windowStart.getTime() < s + w && (!m.cohort || r.cohort === m.cohort) && sliceContains(r.slice, m.slice));
        const dists = inWindow.map((r) => (m.source === "prediction" ? r.predictions : r.features)[m.name]).filter((d): d is FeatureSummary => Boolean(d));
        const current = mergeSummaries(dists, m.reference.kind === "numeric" ? m.reference.edges : undefined);
        if (!current || summaryTotal(current) <= 0) continue;
        const r = detectDrift(m.reference, current, { method: m.method as DriftMethod | "auto", threshold: m.threshold });
        const windowStart = new Date(s);
        const windowEnd = new Date(s + w);
        values.push({ monitorId: m.id, windowStart, windowEnd, method: r.method, statistic: r.statistic, pValue: r.pValue, threshold: r.threshold, drifted: r.drifted, psi: r.psi, referenceCount: Math.round(r.referenceCount), currentCount: Math.round(r.currentCount), reference: m.reference, current, evaluatedAt: new Date(now) });
        steps.push({
          at: windowEnd,
          condition: r.drifted,
          // The series that fired travels with the numbers, so the alert links to exactly it (server/monitoring/evidence.ts).
          evidence: {
            windowStart,
            windowEnd,
            method: r.method,
            statistic: r.statistic,
            pValue: r.pValue,
            threshold: r.threshold,
            psi: r.psi,
            referenceCount: Math.round(r.referenceCount),
            currentCount: Math.round(r.currentCount),
            monitorId: m.id,
            version: m.version,
            cohort: m.cohort,
            slice: m.slice,
            source: m.source,
            feature: m.name,
            windowMinutes: m.windowMinutes,
            reference: m.reference,
            current,
          },
        });
      }
      for (let c = 0; c < values.length; c += 100) {
        await db
          .insert(driftEvaluations)
          .values(values.slice(c, c + 100))
          .onConflictDoUpdate({
            target: [driftEvaluations.monitorId, driftEvaluations.windowStart],
            set: {
              method: sql`excluded.method`,
              statistic: sql`excluded.statistic`,
              pValue: sql`excluded.p_value`,
              threshold: sql`excluded.threshold`,
              drifted: sql`excluded.drifted`,
              psi: sql`excluded.psi`,
              currentCount: sql`excluded.current_count`,
              current: sql`excluded.current`,
              evaluatedAt: sql`excluded.evaluated_at`,
            },
          });
      }
      evaluations += values.length;
      const sliceKey = formatSliceParam(m.slice);
      const subject = `${slug}/v${m.version}/${m.source === "prediction" ? "prediction:" : ""}${m.name}${m.cohort ? `@${m.cohort}` : ""}${sliceKey ? `[${sliceKey}]` : ""}`;
      await applyAlertSteps(db, { ruleKey: `drift:${m.id}`, subject, kind: "drift", severity: m.severity, modelId: m.modelId, title: driftAlertTitle(series), forMs: m.windowMinutes * MIN }, steps);
    }
  }
  return { monitors: monitors.length, evaluations };
}

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
  return rows.map((r) => ({ start: Number(r.start), seconds: Number(r.seconds), requests: Number(r.requests), errors: Number(r.errors), fast: Number(r.fast), latencyTotal: Number(r.latency_total), hasOutcomes: Boolean(r.has_outcomes) }));
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
    const good = slo.kind === "availability" ? (r: SliRow) => ({ good: r.requests - r.errors, total: r.requests }) : (r: SliRow) => ({ good: r.fast, total: r.latencyTotal });
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
    rules: rules.map((r) => ({ name: r.rule.name, severity: r.rule.severity, factor: r.rule.factor, longBurn: r.longBurn, shortBurn: r.shortBurn, firing: r.firing })),
    burnDown: budgetBurnDown(slots, slo.objective, windowTotal),
    newestDataAt: newestEnd ? new Date(newestEnd) : null,
  };
}

/** Evaluates every SLO and moves its alert (page or ticket) through the lifecycle. */
export async function evaluateSlos(db: Db, now = new Date()): Promise<number> {
  const rows = await db.select({ slo: slos, slug: models.slug }).from(slos).innerJoin(models, eq(models.id, slos.modelId));
  for (const { slo, slug } of rows) {
    const s = await sloStatus(db, slo, now);
    const worst = s.rules.filter((r) => r.firing).sort((a, b) => b.factor - a.factor)[0];
    await applyAlertSteps(
      db,
      { ruleKey: `slo:${slo.id}`, subject: `${slug}/${slo.target}/${slo.kind}`, kind: "slo", severity: s.severity ?? "ticket", modelId: slo.modelId, title: `${slug} ${slo.kind} SLO burning`, forMs: 0 },
      [
        {
          at: now,
          condition: s.severity !== null,
          severity: s.severity ?? undefined,
          title: worst ? `${slug} ${slo.kind} SLO burning ${worst.longBurn.toFixed(1)}x (${worst.name})` : undefined,
          evidence: { objective: s.objective, budgetRemaining: s.budget.remaining, sli: s.budget.sli, rules: s.rules, target: slo.target },
        },
      ],
    );
  }
  return rows.length;
}

/** Freshness per model and cohort: the newest telemetry window and labelled outcomes, against the maximum age. */
export async function freshness(db: Db, modelIds: string[], now = new Date()) {
  if (!modelIds.length) return new Map<string, { cohort: string; newestEnd: Date; newestOutcomes: Date | null; ageMs: number; stale: boolean; maxAgeMinutes: number }[]>();
  const maxAges = await db.select({ modelId: slos.modelId, maxAge: slos.maxAgeMinutes }).from(slos).where(and(inArray(slos.modelId, modelIds), eq(slos.kind, "freshness")));
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
    list.push({ cohort: String(r.cohort), newestEnd, newestOutcomes: r.newest_outcomes ? new Date(r.newest_outcomes as string) : null, ageMs, stale: ageMs > maxAgeMinutes * MIN, maxAgeMinutes });
    out.set(modelId, list);
  }
  return out;
}

/** Raises a freshness alert per model whose cohorts went silent (any cohort stale counts). */
async function evaluateFreshness(db: Db, now: Date): Promise<number> {
  const prod = await productionVersions(db);
  const ids = [...prod.keys()];
  const fresh = await freshness(db, ids, now);
  const slugs = ids.length ? await db.select({ id: models.id, slug: models.slug }).from(models).where(inArray(models.id, ids)) : [];
  for (const { id, slug } of slugs) {
    const cohorts = fresh.get(id);
    if (!cohorts) continue;
    const stale = cohorts.filter((c) => c.stale);
    await applyAlertSteps(db, { ruleKey: `freshness:${id}`, subject: slug, kind: "freshness", severity: "ticket", modelId: id, title: `Telemetry from ${slug} is stale`, forMs: 0 }, [
      {
        at: now,
        condition: stale.length > 0,
        title: stale.length ? `Telemetry from ${slug} is stale: ${stale.map((c) => c.cohort).join(", ")} silent` : undefined,
        evidence: { cohorts: cohorts.map((c) => ({ cohort: c.cohort, newestEnd: c.newestEnd, ageMinutes: Math.round(c.ageMs / MIN), stale: c.stale })), maxAgeMinutes: cohorts[0].maxAgeMinutes },
      },
    ]);
  }
  return slugs.length;
}

/** One scheduler tick: drift monitors, SLOs, freshness. */
export async function evaluateAll(db: Db, now = new Date()): Promise<EvaluationSummary> {
  const started = performance.now();
  const before = (await queryRows(db, sql`select count(*)::int as n from alerts`))[0].n;
  const { monitors, evaluations } = await evaluateMonitors(db, { now });
  const sloCount = await evaluateSlos(db, now);
  await evaluateFreshness(db, now);
  await evaluateThresholdRules(db, now);
  const after = (await queryRows(db, sql`select count(*)::int as n from alerts`))[0].n;
  return { monitors, evaluations, slos: sloCount, alertsTouched: Number(after) - Number(before), ms: Math.round(performance.now() - started) };
}

/** An engineer's "evaluate now" on everything: one scheduler tick, audited. */
export async function evaluateAllNow(db: Db, actor: Actor) {
  const result = await evaluateAll(db);
  await writeAudit(db, actor, { action: "monitoring.evaluate", entityType: "monitoring", entityId: "all", after: result });
  return result;
}

/**
 * An engineer's "evaluate now" on one model: its monitors over the last day (so a new monitor gets a
 * history at once, not after the next ticks), the SLOs and its threshold rules; audited with what it did.
 */
export async function evaluateModelNow(db: Db, actor: Actor, input: unknown, now = new Date()) {
  const { model: slug } = ZEvaluateModel.parse(input);
  const model = await modelBySlug(db, slug);
  const started = performance.now();
  const { monitors, evaluations } = await evaluateMonitors(db, { now, modelId: model.id, from: new Date(now.getTime() - DAY) });
  const sloCount = await evaluateSlos(db, now);
  const thresholds = await evaluateThresholdRules(db, now, model.id);
  const result = { monitors, evaluations, slos: sloCount, thresholds, ms: Math.round(performance.now() - started) };
  await writeAudit(db, actor, { action: "monitoring.evaluate", entityType: "model", entityId: model.id, after: { model: slug, ...result } });
  return result;
}

// ---- Pages ----

async function latestEvaluations(db: Db, monitorIds: string[]) {
  if (!monitorIds.length) return [];
  return db
    .selectDistinctOn([driftEvaluations.monitorId], {
      monitorId: driftEvaluations.monitorId,
      windowStart: driftEvaluations.windowStart,
      windowEnd: driftEvaluations.windowEnd,
      method: driftEvaluations.method,
      statistic: driftEvaluations.statistic,
      pValue: driftEvaluations.pValue,
      threshold: driftEvaluations.threshold,
      drifted: driftEvaluations.drifted,
      psi: driftEvaluations.psi,
    })
    .from(driftEvaluations)
    .where(inArray(driftEvaluations.monitorId, monitorIds))
    .orderBy(driftEvaluations.monitorId, desc(driftEvaluations.windowStart));
}

export type OverviewRow = Awaited<ReturnType<typeof monitoringOverview>>["items"][number];

type LatestEvaluation = Awaited<ReturnType<typeof latestEvaluations>>[number];

/**
 * One entry per newer version and cohort ("v3 canary"), worst monitor first: drifting when any of its monitors'
 * newest evaluation drifted, with that evaluation's number, slice and a link to the series.
 */
export function candidateDrift(slug: string, monitors: readonly MonitorRow[], latest: ReadonlyMap<string, LatestEvaluation>) {
  const groups = new Map<string, { version: number; cohort: string | null; evals: { m: MonitorRow; e: LatestEvaluation }[] }>();
  for (const m of monitors) {
    const e = latest.get(m.id);
    if (!e) continue;
    const key = `${m.version}/${m.cohort ?? ""}`;
    const g = groups.get(key) ?? { version: m.version, cohort: m.cohort, evals: [] };
    g.evals.push({ m, e });
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => b.version - a.version || (a.cohort ?? "").localeCompare(b.cohort ?? ""))
    .map((g) => {
      // The drifting monitor with the largest distance (or smallest p-value) speaks for the group.
      const worst = [...g.evals].sort((a, b) => Number(b.e.drifted) - Number(a.e.drifted) || (a.e.pValue ?? -a.e.statistic) - (b.e.pValue ?? -b.e.statistic))[0];
      const series = { ...monitorSeries(worst.m, slug), windowStart: worst.e.windowStart, windowEnd: worst.e.windowEnd };
      return {
        version: g.version,
        cohort: g.cohort,
        label: `v${g.version} ${g.cohort ?? "all devices"}`,
        drifted: g.evals.some((x) => x.e.drifted),
        driftedCount: g.evals.filter((x) => x.e.drifted).length,
        total: g.evals.length,
        feature: worst.m.name,
        slice: worst.m.slice,
        method: worst.e.method,
        statistic: worst.e.statistic,
        pValue: worst.e.pValue,
        threshold: worst.e.threshold,
        windowEnd: worst.e.windowEnd,
        /** "drifting (brightness PSI 0.31 at night)" */
        verdict: driftVerdictWords({ drifted: worst.e.drifted, method: worst.e.method, statistic: worst.e.statistic, pValue: worst.e.pValue, feature: worst.m.name, slice: worst.m.slice }),
        href: seriesHref(series),
      };
    });
}

/** Every production model with drift, SLO budget, freshness and open alerts, worst first. */
export async function monitoringOverview(db: Db, input: unknown = {}, now = new Date()) {
  const f = ZOverviewFilters.parse(input);
  const prod = await productionVersions(db);
  const where: SQL[] = [inArray(models.id, [...prod.keys(), "00000000-0000-0000-0000-000000000000"])];
  if (f.team) where.push(eq(models.team, f.team));
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, "\\$&")}%`;
    where.push(sql`(${models.slug} ilike ${like} or ${models.name} ilike ${like})`);
  }
  const list = await db.select({ id: models.id, slug: models.slug, name: models.name, team: models.team }).from(models).where(and(...where)).orderBy(asc(models.slug));
  const ids = list.map((m) => m.id);
  const monitors = ids.length ? await db.select().from(driftMonitors).where(and(inArray(driftMonitors.modelId, ids), eq(driftMonitors.enabled, true))) : [];
  const latest = new Map((await latestEvaluations(db, monitors.map((m) => m.id))).map((e) => [e.monitorId, e]));
  const [fresh, alertCounts, sloRows] = await Promise.all([freshness(db, ids, now), openAlertCounts(db, ids, now), ids.length ? db.select().from(slos).where(inArray(slos.modelId, ids)) : Promise.resolve([])]);
  const statuses = await Promise.all(sloRows.map((s) => sloStatus(db, s, now)));
  const teams = [...new Set((await db.selectDistinct({ team: models.team }).from(models).where(inArray(models.id, [...prod.keys(), "00000000-0000-0000-0000-000000000000"]))).map((t) => t.team))].sort();
  const items = list.map((m) => {
    const version = prod.get(m.id)!;
    const candidates = candidateDrift(
      m.slug,
      monitors.filter((x) => x.modelId === m.id && x.version > version),
      latest,
    );
    const mons = monitors.filter((x) => x.modelId === m.id && x.version === version);
    const evals = mons.map((x) => ({ monitor: x, e: latest.get(x.id) })).filter((x) => x.e);
    const drift = modelDrift(evals.map((x) => x.e!.drifted));
    const driftedFeatures = evals.filter((x) => x.e!.drifted).map((x) => x.monitor.name);
    const cohorts = fresh.get(m.id) ?? [];
    const newest = cohorts.reduce<Date | null>((a, c) => (!a || c.newestEnd > a ? c.newestEnd : a), null);
    const stale = !newest || cohorts.some((c) => c.stale);
    const mySlos = statuses.filter((s, i) => sloRows[i].modelId === m.id);
    const worstSlo = mySlos.reduce<(typeof mySlos)[number] | null>((a, s) => (!a || s.budget.remaining < a.budget.remaining ? s : a), null);
    const alerts = alertCounts.get(m.id) ?? { firing: 0, pending: 0, silenced: 0 };
    const burning = mySlos.some((s) => s.severity !== null);
    // Worst first: firing alerts, then burning budgets, drift, staleness.
    const candidateDrifting = candidates.some((c) => c.drifted);
    const score = alerts.firing * 100 + (burning ? 60 : 0) + (drift.drifted ? 50 : drift.driftedCount * 10) + (candidateDrifting ? 30 : 0) + (stale ? 40 : 0) + alerts.pending * 5 + (worstSlo && worstSlo.budget.remaining < 0.25 ? 20 : 0);
    return {
      slug: m.slug,
      name: m.name,
      team: m.team,
      version,
      drift: { ...drift, features: driftedFeatures, monitored: mons.length },
      /** Drift of newer versions' cohorts (a canary's candidate), one line each, beside the stable version's. */
      candidateDrift: candidates,
      slo: worstSlo ? { kind: worstSlo.kind, target: worstSlo.target, objective: worstSlo.objective, remaining: worstSlo.budget.remaining, severity: worstSlo.severity } : null,
      sloBurning: burning,
      freshness: { newestEnd: newest, stale, staleCohorts: cohorts.filter((c) => c.stale).map((c) => c.cohort), cohorts: cohorts.length },
      alerts,
      score,
    };
  });
  const filtered = items.filter((i) =>
    f.health === "drifting" ? i.drift.driftedCount > 0 || i.candidateDrift.some((c) => c.drifted) : f.health === "alerting" ? i.alerts.firing + i.alerts.pending > 0 : f.health === "stale" ? i.freshness.stale : f.health === "burning" ? i.sloBurning : true,
  );
  filtered.sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
  return { items: filtered, teams, generatedAt: now };
}

/** Everything the model monitoring page draws, for a time range, downsampled on the server. */
export async function modelMonitoring(db: Db, input: unknown, now = new Date()) {
  const q = ZModelMonitoring.parse(input);
  const model = await modelBySlug(db, q.slug);
  const prod = await productionVersions(db, [model.id]);
  const production = prod.get(model.id) ?? null;
  // A link from an alert names its version (a canary's candidate); otherwise the page shows production.
  const version = q.version ?? production ?? (await db.select({ n: sql<number>`max(${telemetrySummaries.version})` }).from(telemetrySummaries).where(eq(telemetrySummaries.modelId, model.id)))[0]?.n ?? null;
  const wantSlice = parseSliceParam(q.slice);
  const { from, to, stepMs } = resolveRange(q.range, q.to, now);
  const monitors = version ? await db.select().from(driftMonitors).where(and(eq(driftMonitors.modelId, model.id), eq(driftMonitors.version, version))).orderBy(asc(driftMonitors.source), asc(driftMonitors.name)) : [];
  // The newest evaluation inside the range, with both distributions, per monitor.
  const newestInRange = monitors.length
    ? await db
        .selectDistinctOn([driftEvaluations.monitorId])
        .from(driftEvaluations)
        .where(and(inArray(driftEvaluations.monitorId, monitors.map((m) => m.id)), lt(driftEvaluations.windowStart, to)))
        .orderBy(driftEvaluations.monitorId, desc(driftEvaluations.windowStart))
    : [];
  const latestBy = new Map(newestInRange.map((e) => [e.monitorId, e]));
  const monitorViews = monitors.map((m) => {
    const latest = latestBy.get(m.id) ?? null;
    const series = monitorSeries(m, model.slug);
    return {
      id: m.id,
      source: m.source,
      name: m.name,
      method: m.method,
      windowMinutes: m.windowMinutes,
      cohort: m.cohort,
      slice: m.slice,
      /** Who the monitor watches, in words ("v3, canary devices at night"), and the link that selects it. */
      series: seriesName(series),
      scope: scopeWords(series),
      href: seriesHref(series),
      /** The page parameters that select this monitor (kept with the range when switching). */
      query: seriesQuery(series),
      referenceFrom: m.referenceFrom,
      referenceTo: m.referenceTo,
      referenceCount: m.referenceCount,
      latest: latest && { windowStart: latest.windowStart, windowEnd: latest.windowEnd, method: latest.method, statistic: latest.statistic, pValue: latest.pValue, threshold: latest.threshold, drifted: latest.drifted, psi: latest.psi, referenceCount: latest.referenceCount, currentCount: latest.currentCount },
    };
  });
  // The exact series when the link names one (feature, source, cohort, slice), else the feature, else the first drifting monitor.
  const exact = (m: (typeof monitorViews)[number]) =>
    m.name === q.feature && (!q.source || m.source === q.source) && (m.cohort ?? undefined) === q.cohort && wantSlice !== null && formatSliceParam(m.slice) === formatSliceParam(wantSlice);
  const selected = monitorViews.find(exact) ?? monitorViews.find((m) => m.name === q.feature && (!q.source || m.source === q.source)) ?? monitorViews.find((m) => m.latest?.drifted) ?? monitorViews[0] ?? null;
  const selectedRow = selected ? monitors.find((m) => m.id === selected.id)! : null;
  const selectedLatest = selected ? (latestBy.get(selected.id) ?? null) : null;
  // Only the selected monitor is drawn over time: one monitor's evaluations, not every monitor's,
  // keeps a 30-day page of a 50-feature model fast (scripts/bench-monitoring.ts).
  const detail = selected ? await monitorDetail(db, selected.id, selectedLatest, from, to, selected.windowMinutes * MIN) : null;
  const slices = selectedRow && version ? await sliceBreakdown(db, selectedRow, selectedLatest) : [];
  const serving = await servingSeries(db, model.id, from, to, stepMs);
  const sloRows = await db.select().from(slos).where(eq(slos.modelId, model.id)).orderBy(asc(slos.kind));
  const sloStatuses = await Promise.all(sloRows.map((s) => sloStatus(db, s, now)));
  const fresh = (await freshness(db, [model.id], now)).get(model.id) ?? [];
  const alertList = await listAlerts(db, { state: "all", model: model.slug, limit: 50 }, now);
  const features = version ? await reportedDistributions(db, model.id, version) : [];
  const thresholds = await listThresholdRules(db, model.id, now);
  return {
    model: { slug: model.slug, name: model.name, team: model.team },
    version,
    /** "production", "candidate" (newer than production: a canary's), or "other". */
    versionRole: version === null ? null : version === production ? "production" : production !== null && version > production ? "candidate" : "other",
    productionVersion: production,
    range: { preset: q.range, from, to, stepMs },
    monitors: monitorViews,
    selected: selected?.name ?? null,
    selectedId: selected?.id ?? null,
    /** The selected series in words: the drift charts' heading, with the window its newest evaluation covers. */
    heading: selectedRow ? seriesHeading({ ...monitorSeries(selectedRow, model.slug), windowStart: selectedLatest?.windowStart ?? null, windowEnd: selectedLatest?.windowEnd ?? null }) : null,
    detail,
    modelDrift: modelDrift(monitorViews.filter((m) => m.latest).map((m) => m.latest!.drifted)),
    slices,
    features,
    thresholds,
    serving,
    slos: sloStatuses.map((s) => ({ ...s, burnDown: downsampleMax(s.burnDown.map((p) => ({ t: p.t, value: p.remaining }))).map((p) => ({ t: p.t, remaining: p.value })) })),
    freshness: fresh,
    alerts: alertList.filter((a) => a.state !== "resolved" || (a.resolvedAt && a.resolvedAt >= from)),
  };
}

/** The selected monitor's statistic over the range (downsampled) and its latest histograms overlaid. */
async function monitorDetail(db: Db, monitorId: string, latest: { method: string; reference: FeatureSummary; current: FeatureSummary } | null, from: Date, to: Date, windowMs: number) {
  const series = await db
    .select({ t: driftEvaluations.windowStart, statistic: driftEvaluations.statistic, pValue: driftEvaluations.pValue, threshold: driftEvaluations.threshold, drifted: driftEvaluations.drifted })
    .from(driftEvaluations)
    .where(and(eq(driftEvaluations.monitorId, monitorId), gte(driftEvaluations.windowStart, from), lt(driftEvaluations.windowStart, to)))
    .orderBy(asc(driftEvaluations.windowStart));
  // Plot what the verdict uses: the p-value for tests (lower is worse), the distance otherwise.
  const points = downsampleMax(series.map((e) => ({ t: e.t.getTime(), value: e.pValue !== null ? 1 - e.pValue : e.statistic, shown: e.pValue ?? e.statistic, drifted: e.drifted, threshold: e.threshold })));
  let overlay: { label: string; reference: number; current: number }[] = [];
  if (latest) {
    const a = alignSummaries(latest.reference, latest.current);
    overlay = overlayRows(a.centres ? a.centres.map((c) => formatEdge(c)) : a.labels, a.ref, a.cur);
  }
  return {
    pValueMethod: latest ? isPValueMethod(latest.method as DriftMethod) : false,
    series: withGaps(
      points.map((p): { t: number; value: number | null; drifted: boolean | null; threshold: number | null } => ({ t: p.t, value: p.shown, drifted: p.drifted, threshold: p.threshold })),
      windowMs,
      (t) => ({ t, value: null, drifted: null, threshold: null }),
    ),
    overlay,
  };
}

/** What the newest summary of a version reports, so a monitor can be added for any of it. */
async function reportedDistributions(db: Db, modelId: string, version: number) {
  const [row] = await db
    .select({ features: telemetrySummaries.features, predictions: telemetrySummaries.predictions })
    .from(telemetrySummaries)
    .where(and(eq(telemetrySummaries.modelId, modelId), eq(telemetrySummaries.version, version)))
    .orderBy(desc(telemetrySummaries.windowStart))
    .limit(1);
  if (!row) return [];
  const list = (source: "feature" | "prediction", dists: Record<string, FeatureSummary>) => Object.entries(dists).map(([name, d]) => ({ source, name, kind: d.kind }));
  return [...list("feature", row.features), ...list("prediction", row.predictions)];
}

function formatEdge(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

/**
 * Which slice drifts: the selected monitor's latest window split by cohort and by every slice key the
 * summaries carry (camera model, region, time of day, ...), each part tested against the same reference.
 */
async function sliceBreakdown(db: Db, monitor: MonitorRow, latest: { windowStart: Date; windowEnd: Date } | null) {
  if (!latest) return [];
  const rows = await db
    .select({ cohort: telemetrySummaries.cohort, slice: telemetrySummaries.slice, dist: distributionColumn(monitor.source, monitor.name) })
    .from(telemetrySummaries)
    .where(
      and(
        eq(telemetrySummaries.modelId, monitor.modelId),
        eq(telemetrySummaries.version, monitor.version),
        gte(telemetrySummaries.windowStart, latest.windowStart),
        lt(telemetrySummaries.windowStart, latest.windowEnd),
        // Within the monitor's own cohort and slice: the breakdown explains its verdict, not another series'.
        monitor.cohort ? eq(telemetrySummaries.cohort, monitor.cohort) : undefined,
        Object.keys(monitor.slice).length ? sql`${telemetrySummaries.slice} @> ${JSON.stringify(monitor.slice)}::jsonb` : undefined,
      ),
    );
  const groups = new Map<string, { dimension: string; value: string; dists: FeatureSummary[] }>();
  const add = (dimension: string, value: string, dist: FeatureSummary) => {
    const key = `${dimension}\u0000${value}`;
    const g = groups.get(key) ?? { dimension, value, dists: [] };
    g.dists.push(dist);
    groups.set(key, g);
  };
  for (const r of rows) {
    if (!r.dist) continue;
    add("cohort", r.cohort, r.dist);
    for (const [k, v] of Object.entries(r.slice ?? {})) add(k, v, r.dist);
  }
  return [...groups.values()]
    .map(({ dimension, value, dists }) => {
      const current = mergeSummaries(dists, monitor.reference.kind === "numeric" ? monitor.reference.edges : undefined)!;
      const r = detectDrift(monitor.reference, current, { method: monitor.method as DriftMethod | "auto", threshold: monitor.threshold });
      return { dimension, value, method: r.method, statistic: r.statistic, pValue: r.pValue, threshold: r.threshold, drifted: r.drifted, count: r.currentCount };
    })
    .sort((a, b) => dimensionOrder(a.dimension, b.dimension) || Number(b.drifted) - Number(a.drifted) || a.value.localeCompare(b.value));
}

/** Cohort first, then slice keys alphabetically. */
function dimensionOrder(a: string, b: string): number {
  return Number(b === "cohort") - Number(a === "cohort") || a.localeCompare(b);
}

/** Requests, error rate and latency percentiles per time step, merged from summaries in SQL. */
export async function servingSeries(db: Db, modelId: string, from: Date, to: Date, stepMs: number, only: { target?: string | null; cohort?: string | null } = {}) {
  const bucket = sql`floor(extract(epoch from window_start) * 1000 / ${stepMs})::bigint`;
  const where = sql`model_id = ${modelId} and window_start >= ${from} and window_start < ${to}${only.target ? sql` and target = ${only.target}` : sql``}${only.cohort ? sql` and cohort = ${only.cohort}` : sql``}`;
  const [scalars, hist] = await Promise.all([
    queryRows(db, sql`select ${bucket} as b, sum(requests)::float8 as requests, sum(errors)::float8 as errors from ${telemetrySummaries} where ${where} group by 1 order by 1`),
    queryRows(db, sql`select ${bucket} as b, (e.idx - 1)::int as i, sum(e.v::float8) as c from ${telemetrySummaries}, jsonb_array_elements_text(latency) with ordinality as e(v, idx) where ${where} group by 1, 2`),
  ]);
  const latency = new Map<number, number[]>();
  for (const r of hist) {
    const b = Number(r.b);
    const arr = latency.get(b) ?? new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
    arr[Number(r.i)] = Number(r.c);
    latency.set(b, arr);
  }
  return scalars.map((r) => {
    const b = Number(r.b);
    const counts = latency.get(b) ?? [];
    const requests = Number(r.requests);
    return { t: b * stepMs, requests, errorRate: requests > 0 ? Number(r.errors) / requests : 0, p50: latencyQuantile(counts, 0.5), p95: latencyQuantile(counts, 0.95), p99: latencyQuantile(counts, 0.99) };
  });
}
