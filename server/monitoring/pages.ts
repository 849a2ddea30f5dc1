// Read models of the monitoring pages: the overview of production models (worst first) and one
// model's page for a time range, downsampled on the server.
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { driftEvaluations, driftMonitors, models, slos, telemetrySummaries, type FeatureSummary } from "@/db/schema";
import { alignSummaries, detectDrift, isPValueMethod, modelDrift, type DriftMethod } from "@/server/drift/detect";
import { modelBySlug } from "@/server/registry/lookup";
import { mergeSummaries } from "@/server/telemetry/histogram";
import { listAlerts, openAlertCounts } from "./alerts";
import { driftVerdictWords, formatSliceParam, parseSliceParam, scopeWords, seriesHeading, seriesHref, seriesName, seriesQuery } from "./evidence";
import { distributionColumn, monitorSeries, productionVersions, summariesOf, type MonitorRow } from "./queries";
import { ZModelMonitoring, ZOverviewFilters } from "./schemas";
import { downsampleMax, overlayRows, resolveRange, withGaps } from "./series";
import { servingSeries } from "./serving";
import { freshness, sloStatus } from "./slo-status";
import { listThresholdRules } from "./thresholds";

const MIN = 60_000;

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
      const worst = [...g.evals].sort(
        (a, b) => Number(b.e.drifted) - Number(a.e.drifted) || (a.e.pValue ?? -a.e.statistic) - (b.e.pValue ?? -b.e.statistic),
      )[0];
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
        verdict: driftVerdictWords({
          drifted: worst.e.drifted,
          method: worst.e.method,
          statistic: worst.e.statistic,
          pValue: worst.e.pValue,
          feature: worst.m.name,
          slice: worst.m.slice,
        }),
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
  const list = await db
    .select({ id: models.id, slug: models.slug, name: models.name, team: models.team })
    .from(models)
    .where(and(...where))
    .orderBy(asc(models.slug));
  const ids = list.map((m) => m.id);
  const monitors = ids.length
    ? await db
        .select()
        .from(driftMonitors)
        .where(and(inArray(driftMonitors.modelId, ids), eq(driftMonitors.enabled, true)))
    : [];
  const latest = new Map(
    (
      await latestEvaluations(
        db,
        monitors.map((m) => m.id),
      )
    ).map((e) => [e.monitorId, e]),
  );
  const [fresh, alertCounts, sloRows] = await Promise.all([
    freshness(db, ids, now),
    openAlertCounts(db, ids, now),
    ids.length ? db.select().from(slos).where(inArray(slos.modelId, ids)) : Promise.resolve([]),
  ]);
  const statuses = await Promise.all(sloRows.map((s) => sloStatus(db, s, now)));
  const teams = [
    ...new Set(
      (
        await db
          .selectDistinct({ team: models.team })
          .from(models)
          .where(inArray(models.id, [...prod.keys(), "00000000-0000-0000-0000-000000000000"]))
      ).map((t) => t.team),
    ),
  ].sort();
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
    const score =
      alerts.firing * 100 +
      (burning ? 60 : 0) +
      (drift.drifted ? 50 : drift.driftedCount * 10) +
      (candidateDrifting ? 30 : 0) +
      (stale ? 40 : 0) +
      alerts.pending * 5 +
      (worstSlo && worstSlo.budget.remaining < 0.25 ? 20 : 0);
    return {
      slug: m.slug,
      name: m.name,
      team: m.team,
      version,
      drift: { ...drift, features: driftedFeatures, monitored: mons.length },
      /** Drift of newer versions' cohorts (a canary's candidate), one line each, beside the stable version's. */
      candidateDrift: candidates,
      slo: worstSlo
        ? { kind: worstSlo.kind, target: worstSlo.target, objective: worstSlo.objective, remaining: worstSlo.budget.remaining, severity: worstSlo.severity }
        : null,
      sloBurning: burning,
      freshness: { newestEnd: newest, stale, staleCohorts: cohorts.filter((c) => c.stale).map((c) => c.cohort), cohorts: cohorts.length },
      alerts,
      score,
    };
  });
  const filtered = items.filter((i) =>
    f.health === "drifting"
      ? i.drift.driftedCount > 0 || i.candidateDrift.some((c) => c.drifted)
      : f.health === "alerting"
        ? i.alerts.firing + i.alerts.pending > 0
        : f.health === "stale"
          ? i.freshness.stale
          : f.health === "burning"
            ? i.sloBurning
            : true,
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
  const version =
    q.version ??
    production ??
    (
      await db
        .select({ n: sql<number>`max(${telemetrySummaries.version})` })
        .from(telemetrySummaries)
        .where(eq(telemetrySummaries.modelId, model.id))
    )[0]?.n ??
    null;
  const wantSlice = parseSliceParam(q.slice);
  const { from, to, stepMs } = resolveRange(q.range, q.to, now);
  const monitors = version
    ? await db
        .select()
        .from(driftMonitors)
        .where(and(eq(driftMonitors.modelId, model.id), eq(driftMonitors.version, version)))
        .orderBy(asc(driftMonitors.source), asc(driftMonitors.name))
    : [];
  // The newest evaluation inside the range, with both distributions, per monitor.
  const newestInRange = monitors.length
    ? await db
        .selectDistinctOn([driftEvaluations.monitorId])
        .from(driftEvaluations)
        .where(
          and(
            inArray(
              driftEvaluations.monitorId,
              monitors.map((m) => m.id),
            ),
            lt(driftEvaluations.windowStart, to),
          ),
        )
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
      latest: latest && {
        windowStart: latest.windowStart,
        windowEnd: latest.windowEnd,
        method: latest.method,
        statistic: latest.statistic,
        pValue: latest.pValue,
        threshold: latest.threshold,
        drifted: latest.drifted,
        psi: latest.psi,
        referenceCount: latest.referenceCount,
        currentCount: latest.currentCount,
      },
    };
  });
  // The exact series when the link names one (feature, source, cohort, slice), else the feature, else the first drifting monitor.
  const exact = (m: (typeof monitorViews)[number]) =>
    m.name === q.feature &&
    (!q.source || m.source === q.source) &&
    (m.cohort ?? undefined) === q.cohort &&
    wantSlice !== null &&
    formatSliceParam(m.slice) === formatSliceParam(wantSlice);
  const selected =
    monitorViews.find(exact) ??
    monitorViews.find((m) => m.name === q.feature && (!q.source || m.source === q.source)) ??
    monitorViews.find((m) => m.latest?.drifted) ??
    monitorViews[0] ??
    null;
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
    heading: selectedRow
      ? seriesHeading({
          ...monitorSeries(selectedRow, model.slug),
          windowStart: selectedLatest?.windowStart ?? null,
          windowEnd: selectedLatest?.windowEnd ?? null,
        })
      : null,
    detail,
    modelDrift: modelDrift(monitorViews.filter((m) => m.latest).map((m) => m.latest!.drifted)),
    slices,
    features,
    thresholds,
    serving,
    slos: sloStatuses.map((s) => ({
      ...s,
      burnDown: downsampleMax(s.burnDown.map((p) => ({ t: p.t, value: p.remaining }))).map((p) => ({ t: p.t, remaining: p.value })),
    })),
    freshness: fresh,
    alerts: alertList.filter((a) => a.state !== "resolved" || (a.resolvedAt && a.resolvedAt >= from)),
  };
}

/** The selected monitor's statistic over the range (downsampled) and its latest histograms overlaid. */
async function monitorDetail(
  db: Db,
  monitorId: string,
  latest: { method: string; reference: FeatureSummary; current: FeatureSummary } | null,
  from: Date,
  to: Date,
  windowMs: number,
) {
  const series = await db
    .select({
      t: driftEvaluations.windowStart,
      statistic: driftEvaluations.statistic,
      pValue: driftEvaluations.pValue,
      threshold: driftEvaluations.threshold,
      drifted: driftEvaluations.drifted,
    })
    .from(driftEvaluations)
    .where(and(eq(driftEvaluations.monitorId, monitorId), gte(driftEvaluations.windowStart, from), lt(driftEvaluations.windowStart, to)))
    .orderBy(asc(driftEvaluations.windowStart));
  // Plot what the verdict uses: the p-value for tests (lower is worse), the distance otherwise.
  const points = downsampleMax(
    series.map((e) => ({
      t: e.t.getTime(),
      value: e.pValue !== null ? 1 - e.pValue : e.statistic,
      shown: e.pValue ?? e.statistic,
      drifted: e.drifted,
      threshold: e.threshold,
    })),
  );
  let overlay: { label: string; reference: number; current: number }[] = [];
  if (latest) {
    const a = alignSummaries(latest.reference, latest.current);
    overlay = overlayRows(a.centres ? a.centres.map((c) => formatEdge(c)) : a.labels, a.ref, a.cur);
  }
  return {
    pValueMethod: latest ? isPValueMethod(latest.method as DriftMethod) : false,
    series: withGaps(
      points.map((p): { t: number; value: number | null; drifted: boolean | null; threshold: number | null } => ({
        t: p.t,
        value: p.shown,
        drifted: p.drifted,
        threshold: p.threshold,
      })),
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
  const list = (source: "feature" | "prediction", dists: Record<string, FeatureSummary>) =>
    Object.entries(dists).map(([name, d]) => ({ source, name, kind: d.kind }));
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
    // Within the monitor's own cohort and slice: the breakdown explains its verdict, not another series'.
    .where(
      summariesOf({
        modelId: monitor.modelId,
        version: monitor.version,
        from: latest.windowStart,
        to: latest.windowEnd,
        cohort: monitor.cohort,
        slice: monitor.slice,
      }),
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
      return {
        dimension,
        value,
        method: r.method,
        statistic: r.statistic,
        pValue: r.pValue,
        threshold: r.threshold,
        drifted: r.drifted,
        count: r.currentCount,
      };
    })
    .sort((a, b) => dimensionOrder(a.dimension, b.dimension) || Number(b.drifted) - Number(a.drifted) || a.value.localeCompare(b.value));
}

/** Cohort first, then slice keys alphabetically. */
function dimensionOrder(a: string, b: string): number {
  return Number(b === "cohort") - Number(a === "cohort") || a.localeCompare(b);
}
