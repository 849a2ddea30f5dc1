// The evaluation engine: one scheduler tick runs drift monitors, SLO burn rules, freshness and
// threshold rules, and moves each rule's alert through its lifecycle.
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { driftEvaluations, driftMonitors, models, slos, telemetrySummaries, type FeatureSummary } from "@/db/schema";
import { modelBySlug } from "@/server/registry/lookup";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { detectDrift, type DriftMethod } from "@/server/drift/detect";
import { mergeSummaries, summaryTotal } from "@/server/telemetry/histogram";
import { applyAlertSteps, type AlertStep, type AlertTally } from "./alerts";
import { driftAlertTitle, formatSliceParam } from "./evidence";
import { monitorSeries, productionVersions, type MonitorRow } from "./queries";
import { ZEvaluateModel } from "./schemas";
import { alignDown } from "./series";
import { freshness, sloStatus } from "./slo-status";
import { evaluateThresholdRules } from "./thresholds";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

type WindowRow = {
  windowStart: Date;
  cohort: string;
  slice: Record<string, string>;
  features: Record<string, FeatureSummary>;
  predictions: Record<string, FeatureSummary>;
};

/** A summary belongs to a monitor's slice when it carries every key of it with the same value. */
const sliceContains = (have: Record<string, string> | null, want: Record<string, string>) => Object.entries(want).every(([k, v]) => have?.[k] === v);

export type EvaluationSummary = { monitors: number; evaluations: number; slos: number; alertsTouched: number; ms: number };

/**
 * Evaluates every enabled monitor on its complete windows in [from, now) (default: the last two, so
 * late windows are folded in), stores each evaluation with both distributions, and moves the
 * monitor's alert through its lifecycle in time order.
 */
export async function evaluateMonitors(
  db: Db,
  opts: { now?: Date; from?: Date; modelId?: string; tally?: AlertTally } = {},
): Promise<{ monitors: number; evaluations: number }> {
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
      .select({
        windowStart: telemetrySummaries.windowStart,
        cohort: telemetrySummaries.cohort,
        slice: telemetrySummaries.slice,
        features: telemetrySummaries.features,
        predictions: telemetrySummaries.predictions,
      })
      .from(telemetrySummaries)
      .where(
        and(
          eq(telemetrySummaries.modelId, list[0].modelId),
          eq(telemetrySummaries.version, list[0].version),
          gte(telemetrySummaries.windowStart, new Date(from)),
          lt(telemetrySummaries.windowStart, new Date(now)),
        ),
      );
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      const { w, starts } = spans[i];
      const values: (typeof driftEvaluations.$inferInsert)[] = [];
      const steps: AlertStep[] = [];
      const series = monitorSeries(m, slug);
      for (const s of starts) {
        const inWindow = rows.filter(
          (r) => r.windowStart.getTime() >= s && r.windowStart.getTime() < s + w && (!m.cohort || r.cohort === m.cohort) && sliceContains(r.slice, m.slice),
        );
        const dists = inWindow.map((r) => (m.source === "prediction" ? r.predictions : r.features)[m.name]).filter((d): d is FeatureSummary => Boolean(d));
        const current = mergeSummaries(dists, m.reference.kind === "numeric" ? m.reference.edges : undefined);
        if (!current || summaryTotal(current) <= 0) continue;
        const r = detectDrift(m.reference, current, { method: m.method as DriftMethod | "auto", threshold: m.threshold });
        const windowStart = new Date(s);
        const windowEnd = new Date(s + w);
        values.push({
          monitorId: m.id,
          windowStart,
          windowEnd,
          method: r.method,
          statistic: r.statistic,
          pValue: r.pValue,
          threshold: r.threshold,
          drifted: r.drifted,
          psi: r.psi,
          referenceCount: Math.round(r.referenceCount),
          currentCount: Math.round(r.currentCount),
          reference: m.reference,
          current,
          evaluatedAt: new Date(now),
        });
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
      const touched = await applyAlertSteps(
        db,
        {
          ruleKey: `drift:${m.id}`,
          subject,
          kind: "drift",
          severity: m.severity,
          modelId: m.modelId,
          title: driftAlertTitle(series),
          forMs: m.windowMinutes * MIN,
        },
        steps,
      );
      if (opts.tally) opts.tally.alertsTouched += touched;
    }
  }
  return { monitors: monitors.length, evaluations };
}

/** Evaluates every SLO (or one model's) and moves its alert (page or ticket) through the lifecycle. */
export async function evaluateSlos(db: Db, now = new Date(), opts: { modelId?: string; tally?: AlertTally } = {}): Promise<number> {
  const rows = await db
    .select({ slo: slos, slug: models.slug })
    .from(slos)
    .innerJoin(models, eq(models.id, slos.modelId))
    .where(opts.modelId ? eq(slos.modelId, opts.modelId) : undefined);
  for (const { slo, slug } of rows) {
    const s = await sloStatus(db, slo, now);
    const worst = s.rules.filter((r) => r.firing).sort((a, b) => b.factor - a.factor)[0];
    const touched = await applyAlertSteps(
      db,
      {
        ruleKey: `slo:${slo.id}`,
        subject: `${slug}/${slo.target}/${slo.kind}`,
        kind: "slo",
        severity: s.severity ?? "ticket",
        modelId: slo.modelId,
        title: `${slug} ${slo.kind} SLO burning`,
        forMs: 0,
      },
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
    if (opts.tally) opts.tally.alertsTouched += touched;
  }
  return rows.length;
}

/** Raises a freshness alert per model whose cohorts went silent (any cohort stale counts). */
async function evaluateFreshness(db: Db, now: Date, tally: AlertTally): Promise<number> {
  const prod = await productionVersions(db);
  const ids = [...prod.keys()];
  const fresh = await freshness(db, ids, now);
  const slugs = ids.length ? await db.select({ id: models.id, slug: models.slug }).from(models).where(inArray(models.id, ids)) : [];
  for (const { id, slug } of slugs) {
    const cohorts = fresh.get(id);
    if (!cohorts) continue;
    const stale = cohorts.filter((c) => c.stale);
    tally.alertsTouched += await applyAlertSteps(
      db,
      { ruleKey: `freshness:${id}`, subject: slug, kind: "freshness", severity: "ticket", modelId: id, title: `Telemetry from ${slug} is stale`, forMs: 0 },
      [
        {
          at: now,
          condition: stale.length > 0,
          title: stale.length ? `Telemetry from ${slug} is stale: ${stale.map((c) => c.cohort).join(", ")} silent` : undefined,
          evidence: {
            cohorts: cohorts.map((c) => ({ cohort: c.cohort, newestEnd: c.newestEnd, ageMinutes: Math.round(c.ageMs / MIN), stale: c.stale })),
            maxAgeMinutes: cohorts[0].maxAgeMinutes,
          },
        },
      ],
    );
  }
  return slugs.length;
}

/** One scheduler tick: drift monitors, SLOs, freshness, threshold rules. */
export async function evaluateAll(db: Db, now = new Date()): Promise<EvaluationSummary> {
  const started = performance.now();
  // Touched: every alert row the tick wrote, a new alert or an open one updated (state, evidence, last evaluated).
  const tally: AlertTally = { alertsTouched: 0 };
  const { monitors, evaluations } = await evaluateMonitors(db, { now, tally });
  const sloCount = await evaluateSlos(db, now, { tally });
  await evaluateFreshness(db, now, tally);
  await evaluateThresholdRules(db, now, undefined, tally);
  return { monitors, evaluations, slos: sloCount, alertsTouched: tally.alertsTouched, ms: Math.round(performance.now() - started) };
}

/** An engineer's "evaluate now" on everything: one scheduler tick, audited. */
export async function evaluateAllNow(db: Db, actor: Actor) {
  const result = await evaluateAll(db);
  await writeAudit(db, actor, { action: "monitoring.evaluate", entityType: "monitoring", entityId: "all", after: result });
  return result;
}

/**
 * An engineer's "evaluate now" on one model: its monitors over the last day (so a new monitor gets a
 * history at once, not after the next ticks), its SLOs and its threshold rules; audited with what it did.
 */
export async function evaluateModelNow(db: Db, actor: Actor, input: unknown, now = new Date()) {
  const { model: slug } = ZEvaluateModel.parse(input);
  const model = await modelBySlug(db, slug);
  const started = performance.now();
  const { monitors, evaluations } = await evaluateMonitors(db, { now, modelId: model.id, from: new Date(now.getTime() - DAY) });
  const sloCount = await evaluateSlos(db, now, { modelId: model.id });
  const thresholds = await evaluateThresholdRules(db, now, model.id);
  const result = { monitors, evaluations, slos: sloCount, thresholds, ms: Math.round(performance.now() - started) };
  await writeAudit(db, actor, { action: "monitoring.evaluate", entityType: "model", entityId: model.id, after: { model: slug, ...result } });
  return result;
}
