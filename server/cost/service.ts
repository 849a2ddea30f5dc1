// Cost services: ingest (REST records, FOCUS CSV with preview, all-or-nothing), budgets, overview and model pages.
import { and, asc, between, desc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import {
  artifacts,
  budgets,
  costImports,
  costRecords,
  deploymentTargets,
  deployments,
  devices,
  models,
  modelVersions,
  telemetrySummaries,
  usageCounts,
} from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Invalid, NotFound } from "@/server/errors";
import { ZSlug } from "@/server/registry/schemas";
import { costRowKey, validateFocusCsv, type CostRow, type CsvIssue } from "./focus-csv";
import {
  addDays,
  anomalies,
  backtestForecasts,
  budgetLevel,
  fillDays,
  linearForecast,
  monthBounds,
  monthsBefore,
  toDay,
  weekdayForecast,
  type DailySpend,
} from "./forecast";
import { parseMicros } from "./money";
import { versionRecalls } from "@/server/safety/service";
import { OTA_USD_PER_GB, ZCostQuery, ZIngestCosts, ZModelCostQuery, ZSetBudget, type TCostFilters } from "./schemas";

const sumMicrosSql = sql<number>`coalesce(sum(${costRecords.billedMicros}), 0)::bigint`.mapWith(Number);

async function knownModels(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ id: models.id, slug: models.slug }).from(models);
  return new Map(rows.map((r) => [r.slug, r.id]));
}

async function existingKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000);
    const rows = await db.select({ k: costRecords.rowKey }).from(costRecords).where(inArray(costRecords.rowKey, chunk));
    for (const r of rows) found.add(r.k);
  }
  return found;
}

function issuesError(issues: CsvIssue[]): Invalid {
  const first = issues[0];
  const where = first.line ? `line ${first.line}${first.column ? `, ${first.column}` : ""}: ` : "";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return new Invalid(`${where}${first.message}${more}; nothing was imported`, { issues });
}

/** Validates a FOCUS CSV and says what an import would do, writing nothing. */
/**
 * Inferences per model version over [first, last], day by day: the larger of the telemetry requests
 * and the recorded usage counts (batch jobs, billing exports, demo rows). Both count the same
 * inferences and either can be partial (a cohort that stopped reporting, a missing export), so they
 * are never added. `sources` says which kind of count each day used ("telemetry", "demo", ...).
 */
export async function inferenceCounts(db: Db, first: string, last: string, modelId?: string) {
  const rows = await queryRows(
    db,
    sql`with t as (
        select model_id, version, (window_start at time zone 'UTC')::date as day, sum(requests)::bigint as n
        from ${telemetrySummaries}
        where window_start >= ${first}::date and window_start < ${last}::date + 1 ${modelId ? sql`and model_id = ${modelId}` : sql``}
        group by 1, 2, 3),
      u as (
        select model_id, version, day, sum(inferences)::bigint as n, string_agg(distinct source, ',') as src
        from ${usageCounts}
        where day between ${first}::date and ${last}::date ${modelId ? sql`and model_id = ${modelId}` : sql``}
        group by 1, 2, 3)
      select coalesce(t.model_id, u.model_id) as model_id, coalesce(t.version, u.version) as version,
        sum(greatest(coalesce(t.n, 0), coalesce(u.n, 0)))::bigint as inferences,
        string_agg(distinct case when t.n is not null and t.n >= coalesce(u.n, 0) then 'telemetry' else u.src end, ',') as sources
      from t full outer join u on t.model_id = u.model_id and t.version = u.version and t.day = u.day
      group by 1, 2`,
  );
  return rows.map((r) => ({ modelId: String(r.model_id), version: Number(r.version), inferences: Number(r.inferences), sources: String(r.sources ?? "") }));
}

type VersionCount = Awaited<ReturnType<typeof inferenceCounts>>[number];

/** Per model: the versions' counts summed, their sources merged. */
function countsByModel(rows: VersionCount[]) {
  const out = new Map<string, { modelId: string; inferences: number; sources: string }>();
  for (const r of rows) {
    const m = out.get(r.modelId) ?? { modelId: r.modelId, inferences: 0, sources: "" };
    m.inferences += r.inferences;
    m.sources = [...new Set([...m.sources.split(","), ...r.sources.split(",")].filter(Boolean))].sort().join(",");
    out.set(r.modelId, m);
  }
  return [...out.values()];
}

export async function previewCostCsv(db: Db, text: string) {
  const known = await knownModels(db);
  const { rows, issues } = validateFocusCsv(text, new Set(known.keys()));
  const already = issues.length
    ? new Set<string>()
    : await existingKeys(
        db,
        rows.map((r) => r.rowKey),
      );
  const fresh = rows.filter((r) => !already.has(r.rowKey));
  const days = rows.map((r) => r.day).sort();
  return {
    ok: issues.length === 0,
    issues,
    rowCount: rows.length,
    newRows: fresh.length,
    alreadyImported: rows.length - fresh.length,
    billedMicros: fresh.reduce((a, r) => a + r.billedMicros, 0),
    firstDay: days[0] ?? null,
    lastDay: days.at(-1) ?? null,
    sample: rows.slice(0, 20).map((r) => ({
      line: r.line,
      day: r.day,
      model: r.model,
      version: r.version,
      environment: r.environment,
      resourceKind: r.resourceKind,
      billedMicros: r.billedMicros,
      serviceName: r.serviceName,
      duplicate: already.has(r.rowKey),
    })),
  };
}

async function writeRows(db: Db, actor: Actor | null, rows: CostRow[], source: "csv" | "api" | "demo", fileName: string | null) {
  const known = await knownModels(db);
  return db.transaction(async (tx) => {
    const already = await existingKeys(
      tx,
      rows.map((r) => r.rowKey),
    );
    const fresh = rows.filter((r) => !already.has(r.rowKey));
    const billed = fresh.reduce((a, r) => a + r.billedMicros, 0);
    const [imp] = await tx
      .insert(costImports)
      .values({ source, fileName, rowCount: fresh.length, skippedCount: rows.length - fresh.length, billedMicros: billed, createdBy: actor?.userId ?? null })
      .returning();
    for (let i = 0; i < fresh.length; i += 1000) {
      await tx
        .insert(costRecords)
        .values(
          fresh.slice(i, i + 1000).map((r) => ({
            rowKey: r.rowKey,
            day: r.day,
            modelId: r.model ? (known.get(r.model) ?? null) : null,
            version: r.version,
            environment: r.environment,
            deployment: r.deployment,
            resourceKind: r.resourceKind,
            billedMicros: r.billedMicros,
            effectiveMicros: r.effectiveMicros,
            currency: r.currency,
            serviceName: r.serviceName,
            resourceId: r.resourceId,
            tags: r.tags,
            importId: imp.id,
          })),
        )
        // A concurrent import of the same rows: the unique key keeps one, this one skips.
        .onConflictDoNothing({ target: costRecords.rowKey });
    }
    if (actor) {
      await writeAudit(tx, actor, {
        action: "cost.import",
        entityType: "cost_import",
        entityId: imp.id,
        after: { source, fileName, rows: fresh.length, skipped: rows.length - fresh.length, billedMicros: billed },
      });
    }
    return { importId: imp.id, imported: fresh.length, skipped: rows.length - fresh.length, billedMicros: billed };
  });
}

/** All-or-nothing: any invalid row refuses the whole file; rows imported before are skipped (idempotent). */
export async function importCostCsv(db: Db, actor: Actor, text: string, fileName?: string) {
  const known = await knownModels(db);
  const { rows, issues } = validateFocusCsv(text, new Set(known.keys()));
  if (issues.length) throw issuesError(issues);
  if (!rows.length) throw new Invalid("The file has a header but no rows; nothing was imported");
  return writeRows(db, actor, rows, "csv", fileName ?? null);
}

/** REST ingest of pre-aggregated daily records; same rules and idempotency as the CSV. */
export async function ingestCostRecords(db: Db, actor: Actor | null, input: unknown, source: "api" | "demo" = "api") {
  const { records } = ZIngestCosts.parse(input);
  const known = await knownModels(db);
  const issues: CsvIssue[] = [];
  const seen = new Map<string, number>();
  const rows: CostRow[] = [];
  records.forEach((r, i) => {
    const at = `records.${i}`;
    if (r.model && !known.has(r.model)) issues.push({ line: i, column: `${at}.model`, message: `Unknown model "${r.model}"` });
    const billed = parseMicros(r.billedCost)!;
    const effective = r.effectiveCost === undefined ? billed : parseMicros(r.effectiveCost)!;
    if (billed < 0 && !["credit", "adjustment"].includes((r.tags.charge_category ?? "").toLowerCase())) {
      issues.push({ line: i, column: `${at}.billedCost`, message: "A negative amount needs tags.charge_category credit or adjustment" });
    }
    const tags = {
      ...r.tags,
      ...(r.model ? { model: r.model } : {}),
      ...(r.version ? { version: String(r.version) } : {}),
      environment: r.environment,
      resource_kind: r.resourceKind,
    };
    const rowKey =
      r.rowKey ??
      costRowKey({
        start: `${r.day}T00:00:00.000Z`,
        end: `${addDays(r.day, 1)}T00:00:00.000Z`,
        serviceName: r.serviceName,
        resourceId: r.resourceId,
        tags,
        billedMicros: billed,
        effectiveMicros: effective,
        currency: "USD",
      });
    const dup = seen.get(rowKey);
    if (dup !== undefined) issues.push({ line: i, column: at, message: `Duplicates records.${dup}` });
    seen.set(rowKey, i);
    rows.push({
      line: i,
      rowKey,
      day: r.day,
      model: r.model ?? null,
      version: r.version ?? null,
      environment: r.environment,
      deployment: r.deployment ?? null,
      resourceKind: r.resourceKind,
      billedMicros: billed,
      effectiveMicros: effective,
      currency: "USD",
      serviceName: r.serviceName,
      resourceId: r.resourceId,
      tags,
    });
  });
  if (issues.length) {
    const first = issues[0];
    throw new Invalid(`${first.column}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}; nothing was written`, {
      issues: issues.map(({ column, message }) => ({ path: column, message })),
    });
  }
  return writeRows(db, actor, rows, source, null);
}

export async function setBudget(db: Db, actor: Actor, input: unknown) {
  const b = ZSetBudget.parse(input);
  const amountMicros = parseMicros(b.amount)!;
  return db.transaction(async (tx) => {
    if (b.scope === "model") {
      const [m] = await tx.select({ id: models.id }).from(models).where(eq(models.slug, b.key));
      if (!m) throw new NotFound(`Model ${b.key}`);
    }
    const month = `${b.month}-01`;
    const [before] = await tx
      .select()
      .from(budgets)
      .where(and(eq(budgets.scope, b.scope), eq(budgets.scopeKey, b.key), eq(budgets.month, month)));
    const [after] = await tx
      .insert(budgets)
      .values({ scope: b.scope, scopeKey: b.key, month, amountMicros, updatedBy: actor.userId })
      .onConflictDoUpdate({ target: [budgets.scope, budgets.scopeKey, budgets.month], set: { amountMicros, updatedBy: actor.userId, updatedAt: new Date() } })
      .returning();
    await writeAudit(tx, actor, { action: "budget.set", entityType: "budget", entityId: `${b.scope}:${b.key}:${b.month}`, before: before ?? null, after });
    return after;
  });
}

/** The month shown and the last complete day in it ("as of"): yesterday for the current month. */
export function monthWindow(month: string | undefined, now: Date) {
  const m = month ?? toDay(now).slice(0, 7);
  const { first, last, days } = monthBounds(m);
  const yesterday = addDays(toDay(now), -1);
  const asOf = yesterday < first ? null : yesterday > last ? last : yesterday;
  const elapsed = asOf ? Number(asOf.slice(8, 10)) : 0;
  return { month: m, first, last, days, asOf, elapsed };
}

function spendSummary(filled: DailySpend[], w: ReturnType<typeof monthWindow>, budgetMicros: number | null) {
  // Days before the first record are not history: averaging their zeros in would drag forecasts down.
  const start = filled.findIndex((s) => s.micros !== 0);
  const series = start < 0 ? [] : filled.slice(start);
  const inMonth = series.filter((s) => s.day >= w.first && w.asOf !== null && s.day <= w.asOf);
  const spent = inMonth.reduce((a, s) => a + s.micros, 0);
  const linear = w.asOf ? linearForecast(spent, w.elapsed, w.days) : 0;
  const weekday = w.asOf
    ? weekdayForecast(
        spent,
        series.filter((s) => s.day <= w.asOf!),
        w.asOf,
        w.last,
      )
    : 0;
  return {
    spentMicros: spent,
    linearForecastMicros: linear,
    weekdayForecastMicros: weekday,
    budgetMicros,
    spentLevel: budgetMicros === null ? null : budgetLevel(spent, budgetMicros),
    forecastLevel: budgetMicros === null ? null : budgetLevel(Math.max(linear, weekday), budgetMicros),
  };
}

async function dailySeries(db: Db, from: string, to: string, where = sql`true`): Promise<DailySpend[]> {
  const rows = await db
    .select({ day: costRecords.day, micros: sumMicrosSql })
    .from(costRecords)
    .where(and(between(costRecords.day, from, to), where))
    .groupBy(costRecords.day);
  return rows.map((r) => ({ day: r.day, micros: r.micros }));
}

/** The URL's filters as one condition on cost records; an unknown model is a 404, not an empty page. */
async function recordFilter(db: Db, q: TCostFilters) {
  let modelId: string | null = null;
  if (q.model) {
    const [m] = await db.select({ id: models.id }).from(models).where(eq(models.slug, q.model));
    if (!m) throw new NotFound(`Model ${q.model}`);
    modelId = m.id;
  }
  return {
    active: Boolean(q.model || q.environment || q.kind),
    where:
      and(
        modelId ? eq(costRecords.modelId, modelId) : undefined,
        q.environment ? eq(costRecords.environment, q.environment) : undefined,
        q.kind ? eq(costRecords.resourceKind, q.kind) : undefined,
      ) ?? sql`true`,
  };
}

async function environmentsIn(db: Db, from: string, to: string, where = sql`true`) {
  const rows = await db
    .selectDistinct({ e: costRecords.environment })
    .from(costRecords)
    .where(and(between(costRecords.day, from, to), where))
    .orderBy(asc(costRecords.environment));
  return rows.map((r) => r.e);
}

export async function costOverview(db: Db, input: unknown = {}, now = new Date()) {
  const q = ZCostQuery.parse(input);
  const w = monthWindow(q.month, now);
  const historyFrom = addDays(w.first, -28);
  const seriesEnd = w.asOf ?? w.first;
  const filter = await recordFilter(db, q);
  const f = filter.where;
  const counts = inferenceCounts(db, w.first, w.last);
  // Three past months (and the 28 days before them) to check both forecast methods against what those months came to.
  const pastMonths = monthsBefore(w.month, 3);
  const pastFrom = addDays(monthBounds(pastMonths[pastMonths.length - 1]).first, -28);
  const [daily, byKind, byModel, usage, budgetRows, teamSpend, modelDaily, byVersion, versionUsage, recalls, environments, pastDaily] = await Promise.all([
    dailySeries(db, historyFrom, w.last, f),
    db
      .select({ day: costRecords.day, kind: costRecords.resourceKind, micros: sumMicrosSql })
      .from(costRecords)
      .where(and(between(costRecords.day, w.first, w.last), f))
      .groupBy(costRecords.day, costRecords.resourceKind)
      .orderBy(asc(costRecords.day)),
    db
      .select({ modelId: costRecords.modelId, slug: models.slug, name: models.name, team: models.team, micros: sumMicrosSql })
      .from(costRecords)
      .leftJoin(models, eq(models.id, costRecords.modelId))
      .where(and(between(costRecords.day, w.first, w.last), f))
      .groupBy(costRecords.modelId, models.slug, models.name, models.team)
      .orderBy(desc(sumMicrosSql)),
    counts.then(countsByModel),
    db.select().from(budgets).where(eq(budgets.month, w.first)).orderBy(asc(budgets.scope), asc(budgets.scopeKey)),
    db
      .select({ team: models.team, day: costRecords.day, micros: sumMicrosSql })
      .from(costRecords)
      .innerJoin(models, eq(models.id, costRecords.modelId))
      .where(between(costRecords.day, historyFrom, w.last))
      .groupBy(models.team, costRecords.day),
    db
      .select({ slug: models.slug, day: costRecords.day, micros: sumMicrosSql })
      .from(costRecords)
      .innerJoin(models, eq(models.id, costRecords.modelId))
      .where(and(between(costRecords.day, historyFrom, seriesEnd), f))
      .groupBy(models.slug, costRecords.day),
    db
      .select({ modelId: costRecords.modelId, slug: models.slug, name: models.name, version: costRecords.version, micros: sumMicrosSql })
      .from(costRecords)
      .innerJoin(models, eq(models.id, costRecords.modelId))
      .where(and(between(costRecords.day, w.first, w.last), sql`${costRecords.version} is not null`, f))
      .groupBy(costRecords.modelId, models.slug, models.name, costRecords.version),
    counts,
    versionRecalls(db),
    environmentsIn(db, w.first, w.last),
    dailySeries(db, pastFrom, addDays(w.first, -1), f),
  ]);
  const modelOptions = await db
    .selectDistinct({ slug: models.slug, name: models.name })
    .from(costRecords)
    .innerJoin(models, eq(models.id, costRecords.modelId))
    .where(between(costRecords.day, w.first, w.last))
    .orderBy(asc(models.name));
  const filled = fillDays(daily, historyFrom, seriesEnd);
  const firstDataDay = daily.map((d) => d.day).sort()[0];
  // Days before the first record are not history: judging anomalies on them would see a jump from zero.
  const judged = firstDataDay ? filled.filter((d) => d.day >= firstDataDay) : [];
  const flags = anomalies(judged).filter((a) => a.day >= w.first);
  // Per model too: one model's runaway day can hide inside the fleet-wide weekly swing.
  const modelFlags = [...new Set(modelDaily.map((r) => r.slug))].flatMap((slug) => {
    const mine = modelDaily.filter((r) => r.slug === slug);
    const first = mine.map((r) => r.day).sort()[0];
    return anomalies(fillDays(mine, first, seriesEnd))
      .filter((a) => a.day >= w.first)
      .map((a) => ({ ...a, slug }));
  });
  // Budgets cover all spend; against a filtered total they would read as under budget.
  const totalBudget = filter.active ? 0 : budgetRows.filter((b) => b.scope === "team").reduce((a, b) => a + b.amountMicros, 0);
  const usageByVersion = new Map(versionUsage.map((u) => [`${u.modelId}|${u.version}`, u.inferences]));
  const recallBy = new Map(recalls.map((r) => [`${r.modelId}|${r.version}`, r]));
  // Versions with both a cost per 1k inferences and a recall: the cost-vs-quality trade-off.
  const scatter = byVersion.flatMap((v) => {
    const k = `${v.modelId}|${v.version}`;
    const inferences = usageByVersion.get(k);
    const r = recallBy.get(k)?.recall;
    return inferences && r
      ? [
          {
            slug: v.slug,
            name: v.name,
            version: v.version!,
            micros: v.micros,
            microsPer1k: (v.micros * 1000) / inferences,
            recall: r.value,
            recallLo: r.lo,
            recallHi: r.hi,
            dataset: recallBy.get(k)!.dataset,
          },
        ]
      : [];
  });
  const usageBy = new Map(usage.map((u) => [u.modelId, u]));

  const budgetsView = await Promise.all(
    budgetRows.map(async (b) => {
      const series =
        b.scope === "team"
          ? fillDays(
              teamSpend.filter((t) => t.team === b.scopeKey).map((t) => ({ day: t.day, micros: t.micros })),
              historyFrom,
              seriesEnd,
            )
          : fillDays(
              await dailySeries(
                db,
                historyFrom,
                w.last,
                sql`${costRecords.modelId} = (select ${models.id} from ${models} where ${models.slug} = ${b.scopeKey})`,
              ),
              historyFrom,
              seriesEnd,
            );
      return { scope: b.scope, key: b.scopeKey, ...spendSummary(series, w, b.amountMicros) };
    }),
  );

  return {
    ...w,
    filters: { model: q.model ?? null, environment: q.environment ?? null, kind: q.kind ?? null },
    environments,
    modelOptions,
    scatter,
    total: spendSummary(filled, w, totalBudget || null),
    forecastBacktest: backtestForecasts(fillDays(pastDaily, pastFrom, addDays(w.first, -1)), pastMonths, Math.max(1, w.elapsed)),
    daily: w.asOf
      ? fillDays(
          daily.filter((d) => d.day >= w.first),
          w.first,
          w.asOf,
        )
      : [],
    dailyByKind: byKind,
    anomalies: flags,
    modelAnomalies: modelFlags,
    budgets: budgetsView,
    models: byModel.map((m) => {
      const u = m.modelId ? usageBy.get(m.modelId) : undefined;
      return {
        slug: m.slug,
        name: m.name ?? "Unallocated (no model tag)",
        team: m.team,
        micros: m.micros,
        inferences: u?.inferences ?? null,
        inferenceSource: u?.sources ?? null,
        microsPer1k: u?.inferences ? (m.micros * 1000) / u.inferences : null,
      };
    }),
  };
}

/** Devices running each version of a model on edge fleets: a canary takes its rollout step's share, stable the rest. */
export async function fleetDevicesByVersion(db: Db, modelId: string): Promise<{ devices: Map<number, number>; fleetDevices: number }> {
  const rows = await db
    .select({
      stable: sql<number>`(select ${modelVersions.number} from ${modelVersions} where ${modelVersions.id} = ${deployments.stableVersionId})`.mapWith(Number),
      candidate: sql<number | null>`(select ${modelVersions.number} from ${modelVersions} where ${modelVersions.id} = ${deployments.candidateVersionId})`,
      state: deployments.state,
      plan: deployments.plan,
      step: deployments.step,
      n: sql<number>`(select count(*) from ${devices} where ${devices.targetId} = ${deployments.targetId})`.mapWith(Number),
    })
    .from(deployments)
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
    .where(and(eq(deployments.modelId, modelId), eq(deploymentTargets.kind, "edge-fleet")));
  const out = new Map<number, number>();
  const add = (v: number, n: number) => out.set(v, (out.get(v) ?? 0) + n);
  for (const r of rows) {
    const share = r.candidate !== null && r.state !== "idle" ? Math.round((r.n * (r.plan[r.step] ?? 0)) / 100) : 0;
    if (r.candidate !== null && share) add(Number(r.candidate), share);
    add(r.stable, r.n - share);
  }
  return { devices: out, fleetDevices: rows.reduce((a, r) => a + r.n, 0) };
}

/** OTA download cost of sending `bytes` to `deviceCount` devices at OTA_USD_PER_GB, in integer micro-dollars. */
export function otaMicros(bytes: number, deviceCount: number): number {
  // micros per byte = (USD per GB × 10^6) / 10^9; multiply first to stay in integers as long as possible.
  const perGbMicros = parseMicros(OTA_USD_PER_GB)!;
  return Math.round((bytes * deviceCount * perGbMicros) / 1e9);
}

export async function modelCost(db: Db, input: unknown, now = new Date()) {
  const q = ZModelCostQuery.parse(input);
  const slug = ZSlug.parse(q.slug);
  const [model] = await db.select().from(models).where(eq(models.slug, slug));
  if (!model) throw new NotFound(`Model ${slug}`);
  const w = monthWindow(q.month, now);
  const { where: f } = await recordFilter(db, { environment: q.environment, kind: q.kind });
  const inModel = and(eq(costRecords.modelId, model.id), between(costRecords.day, w.first, w.last), f);
  const [breakdown, byVersion, usage, daily, versions, fleet, environments] = await Promise.all([
    db
      .select({ environment: costRecords.environment, kind: costRecords.resourceKind, micros: sumMicrosSql })
      .from(costRecords)
      .where(inModel)
      .groupBy(costRecords.environment, costRecords.resourceKind)
      .orderBy(asc(costRecords.environment), asc(costRecords.resourceKind)),
    db.select({ version: costRecords.version, micros: sumMicrosSql }).from(costRecords).where(inModel).groupBy(costRecords.version),
    inferenceCounts(db, w.first, w.last, model.id),
    dailySeries(db, w.first, w.last, eq(costRecords.modelId, model.id)),
    db
      .select({ number: modelVersions.number, sizeBytes: artifacts.sizeBytes, uri: modelVersions.artifactUri })
      .from(modelVersions)
      .leftJoin(artifacts, eq(artifacts.sha256, modelVersions.artifactSha256))
      .where(eq(modelVersions.modelId, model.id))
      .orderBy(desc(modelVersions.number)),
    fleetDevicesByVersion(db, model.id),
    environmentsIn(db, w.first, w.last, eq(costRecords.modelId, model.id)),
  ]);
  const usageBy = new Map(usage.map((u) => [u.version, u]));
  // A month so far is scaled to the whole month, so a device-month compares across months.
  const monthScale = w.elapsed > 0 ? w.days / w.elapsed : null;
  const versionRows = byVersion
    .map((v) => {
      const u = v.version === null ? undefined : usageBy.get(v.version);
      const deviceCount = v.version === null ? 0 : (fleet.devices.get(v.version) ?? 0);
      return {
        version: v.version,
        micros: v.micros,
        inferences: u?.inferences ?? null,
        inferenceSource: u?.sources ?? null,
        microsPer1k: u?.inferences ? (v.micros * 1000) / u.inferences : null,
        devices: deviceCount,
        microsPerDeviceMonth: deviceCount && monthScale ? (v.micros * monthScale) / deviceCount : null,
      };
    })
    .sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
  return {
    model: { slug: model.slug, name: model.name, team: model.team },
    ...w,
    totalMicros: breakdown.reduce((a, b) => a + b.micros, 0),
    breakdown,
    versions: versionRows,
    knownVersions: versions.map((v) => v.number),
    filters: { environment: q.environment ?? null, kind: q.kind ?? null },
    environments,
    ota: {
      usdPerGb: OTA_USD_PER_GB,
      fleetDevices: fleet.fleetDevices,
      versions: versions.map((v) => ({
        version: v.number,
        sizeBytes: v.sizeBytes ?? null,
        heldAsUri: v.sizeBytes === null && Boolean(v.uri),
        micros: v.sizeBytes === null ? null : otaMicros(v.sizeBytes, fleet.fleetDevices),
      })),
    },
    daily: w.asOf ? fillDays(daily, w.first, w.asOf) : [],
  };
}
