import type { Metadata } from "next";
import Link from "next/link";
import { BudgetEditor } from "@/components/cost/budget-editor";
import { CostFilters } from "@/components/cost/cost-filters";
import { CostQualityScatter } from "@/components/cost/cost-quality-scatter";
import { DailyKindChart } from "@/components/cost/daily-kind-chart";
import { LevelBadge } from "@/components/cost/level-badge";
import { MonthNav } from "@/components/cost/month-nav";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { dayInWords, money, monthInWords, percentOf, prepareDailyByKind, RESOURCE_KIND_LABELS } from "@/lib/cost-format";
import { formatCount } from "@/lib/format";
import { roleAtLeast } from "@/server/auth/roles";
import { microsToDecimal } from "@/server/cost/money";
import { ZCostQuery } from "@/server/cost/schemas";
import { serverApi } from "@/server/caller";
import { Term } from "@/components/ui/term";
import type { Backtest } from "@/server/cost/forecast";

export const metadata: Metadata = { title: "Costs" };

const linkButton = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";
type Search = { month?: string; model?: string; environment?: string; kind?: string };

/** Only the filters that parse are applied; a hand-edited URL with a bad one still shows the page. */
function queryOf(sp: Search) {
  const out: Search = {};
  for (const k of ["month", "model", "environment", "kind"] as const) {
    if (sp[k] && ZCostQuery.safeParse({ [k]: sp[k] }).success) out[k] = sp[k];
  }
  return out;
}

export default async function CostsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const { api, actor } = await serverApi();
  const q = queryOf(sp);
  const o = await api.cost.overview(q as Parameters<typeof api.cost.overview>[0]);
  const exportQuery = (table: string) =>
    `/api/v1/costs/export?${new URLSearchParams({ table, month: o.month, ...(o.filters.model ? { model: o.filters.model } : {}), ...(o.filters.environment ? { environment: o.filters.environment } : {}), ...(o.filters.kind ? { kind: o.filters.kind } : {}) })}`;
  const csvLink = (table: string, what: string) => (
    <a className="text-xs font-normal text-link underline" href={exportQuery(table)} aria-label={`Export ${what} as CSV`}>
      CSV
    </a>
  );
  const filtered = Boolean(o.filters.model || o.filters.environment || o.filters.kind);
  const chart = prepareDailyByKind(
    o.dailyByKind,
    o.daily.map((d) => d.day),
  );
  const demoCounts = o.models.some((m) => m.inferenceSource?.includes("demo"));
  const t = o.total;
  return (
    <>
      <PageHeader
        title="Costs"
        description={
          o.asOf
            ? `Spend in ${monthInWords(o.month)} through ${dayInWords(o.asOf)} (the last complete day, UTC), against budget, with a month-end forecast.`
            : `No complete day in ${monthInWords(o.month)} yet.`
        }
        actions={
          <>
            <a className={linkButton} href={exportQuery("models")}>
              Export CSV
            </a>
            {roleAtLeast(actor.role, "engineer") ? (
              <Link className={linkButton} href="/costs/import">
                Import FOCUS CSV
              </Link>
            ) : null}
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
        <MonthNav month={o.month} base="/costs" keep={o.filters} />
        <CostFilters base="/costs" month={o.month} values={o.filters} models={o.modelOptions} environments={o.environments} />
      </div>
      {filtered ? (
        <p className="mb-4 text-xs text-muted">
          Filtered: spend, forecasts, charts and the model table count only matching cost rows; budgets below always count all spend.
        </p>
      ) : null}
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-3">
        <Card>
          <p className="text-sm text-muted">Spent this month</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{money(t.spentMicros)}</p>
          {t.budgetMicros ? <p className="text-xs text-muted">{percentOf(t.spentMicros, t.budgetMicros)}% of team budgets</p> : null}
        </Card>
        <Card>
          <p className="text-sm text-muted">Team budgets</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{money(t.budgetMicros)}</p>
        </Card>
        <ForecastCard total={t} backtest={o.forecastBacktest} elapsed={o.elapsed} days={o.days} />
      </div>

      <h2 className="mb-2 text-base font-semibold">Budgets {csvLink("budgets", "budgets")}</h2>
      {o.budgets.length ? (
        <Table className="mb-6">
          <thead>
            <tr>
              <Th>Budget</Th>
              <Th>Amount</Th>
              <Th>Spent</Th>
              <Th>Forecast (linear / weekday-aware)</Th>
              <Th>Flags</Th>
            </tr>
          </thead>
          <tbody>
            {o.budgets.map((b) => {
              const p = percentOf(b.spentMicros, b.budgetMicros) ?? 0;
              return (
                <tr key={`${b.scope}-${b.key}`}>
                  <Td>
                    <span className="font-medium">{b.key}</span> <span className="text-xs text-muted">{b.scope}</span>
                  </Td>
                  <Td className="tabular-nums">{money(b.budgetMicros)}</Td>
                  <Td className="tabular-nums">
                    {money(b.spentMicros)} <span className="text-xs text-muted">({p}%)</span>
                    <div className="mt-1 h-1.5 w-40 rounded bg-zinc-200 dark:bg-zinc-800" aria-hidden>
                      <div
                        className={`h-1.5 rounded ${p >= 100 ? "bg-red-600" : p >= 80 ? "bg-amber-500" : "bg-brand-500"}`}
                        style={{ width: `${Math.min(100, p)}%` }}
                      />
                    </div>
                  </Td>
                  <Td className="tabular-nums">
                    {money(b.linearForecastMicros)} / {money(b.weekdayForecastMicros)}{" "}
                    <span className="text-xs text-muted">({percentOf(Math.max(b.linearForecastMicros, b.weekdayForecastMicros), b.budgetMicros)}%)</span>
                  </Td>
                  <Td>
                    <div className="flex flex-wrap gap-1">
                      <LevelBadge level={b.spentLevel} what="Spent" />
                      <LevelBadge level={b.forecastLevel} what="Forecast" />
                    </div>
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      ) : (
        <EmptyState title="No budgets for this month" />
      )}
      {roleAtLeast(actor.role, "engineer") ? (
        <details className="mb-6 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" open={!o.budgets.length}>
          <summary className="cursor-pointer text-sm font-medium">Set a budget for {o.month}</summary>
          <div className="mt-3">
            <BudgetEditor
              month={o.month}
              budgets={o.budgets.map((b) => ({
                scope: b.scope,
                key: b.key,
                amount: microsToDecimal(b.budgetMicros ?? 0)
                  .replace(/0+$/, "")
                  .replace(/\.$/, ""),
              }))}
            />
          </div>
        </details>
      ) : null}

      <h2 className="mb-2 text-base font-semibold">Daily spend by resource kind {csvLink("daily", "daily spend")}</h2>
      <Card className="mb-2">
        {chart.data.length ? (
          <DailyKindChart
            data={chart.data}
            kinds={chart.kinds}
            labels={RESOURCE_KIND_LABELS}
            anomalies={[...o.anomalies, ...o.modelAnomalies].map((a) => a.day)}
          />
        ) : (
          <EmptyState title="No spend recorded" />
        )}
      </Card>
      {o.anomalies.length || o.modelAnomalies.length ? (
        <ul className="mb-6 space-y-1 text-sm" aria-label="Anomalies">
          {[...o.anomalies.map((a) => ({ ...a, slug: null })), ...o.modelAnomalies].map((a) => (
            <li key={`${a.slug ?? "all"}-${a.day}`}>
              <Badge tone="red">Anomaly</Badge> {a.day}, {a.slug ?? "all models"}: {money(a.micros)}, more than 3 standard deviations above the trailing 28-day
              mean of {money(Math.round(a.mean))} (sd {money(Math.round(a.sd))}).
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-6 text-sm text-muted">No day this month is more than 3 standard deviations above its trailing 28-day mean.</p>
      )}

      <h2 className="mb-2 text-base font-semibold">Cost against quality {csvLink("versions", "cost and recall per version")}</h2>
      <Card className="mb-2">
        {o.scatter.length ? (
          <CostQualityScatter
            points={o.scatter.map((p) => ({ label: `${p.slug} v${p.version}`, dollarsPer1k: p.microsPer1k / 1_000_000, recall: p.recall }))}
          />
        ) : (
          <EmptyState title="No version has both a cost per 1,000 inferences and an evaluation this month" />
        )}
      </Card>
      <p className="mb-6 text-xs text-muted">
        One point per model version: cost per 1,000 inferences this month against recall pooled over its event types (its newest evaluation). Up and to the left
        is better.
      </p>

      <h2 className="mb-2 text-base font-semibold">Top models by spend {csvLink("models", "spend per model")}</h2>
      <Table>
        <thead>
          <tr>
            <Th>Model</Th>
            <Th>Team</Th>
            <Th>Spend</Th>
            <Th>Share</Th>
            <Th>Inferences</Th>
            <Th>Cost per 1,000 inferences</Th>
          </tr>
        </thead>
        <tbody>
          {o.models.map((m) => (
            <tr key={m.slug ?? "unallocated"}>
              <Td>
                {m.slug ? (
                  <Link
                    className="font-medium text-link underline"
                    href={`/costs/models/${m.slug}?${new URLSearchParams({ month: o.month, ...(o.filters.environment ? { environment: o.filters.environment } : {}), ...(o.filters.kind ? { kind: o.filters.kind } : {}) })}`}
                  >
                    {m.name}
                  </Link>
                ) : (
                  m.name
                )}
              </Td>
              <Td>{m.team ?? "—"}</Td>
              <Td className="tabular-nums">{money(m.micros)}</Td>
              <Td className="tabular-nums">{percentOf(m.micros, t.spentMicros) ?? "—"}%</Td>
              <Td className="tabular-nums">
                {m.inferences === null ? "no counts" : formatCount(m.inferences)}{" "}
                {m.inferenceSource?.includes("demo") ? <Badge tone="amber">demo counts</Badge> : null}
              </Td>
              <Td className="tabular-nums">{m.microsPer1k === null ? "—" : money(Math.round(m.microsPer1k), 4)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="mt-2 text-xs text-muted">
        {demoCounts
          ? "Inference counts take, day by day, the larger of the telemetry requests and the recorded usage counts (never their sum); “demo counts” marks models whose counts include generated demo rows."
          : "Cost per 1,000 inferences needs inference counts; none are recorded for this month."}
      </p>
    </>
  );
}

const METHOD = { linear: "Linear", weekday: "Weekday-aware" } as const;
const HOW = { linear: "spend so far per day × days in the month", weekday: "remaining days at their weekday's mean over the last 28 days" } as const;

/** One forecast by default, the method with the smaller miss on past months, named with that miss; the other on demand. */
function ForecastCard({
  total,
  backtest,
  elapsed,
  days,
}: {
  total: { linearForecastMicros: number; weekdayForecastMicros: number; forecastLevel: "ok" | "warning" | "over" | null };
  backtest: Backtest;
  elapsed: number;
  days: number;
}) {
  const value = { linear: total.linearForecastMicros, weekday: total.weekdayForecastMicros };
  const best = backtest.recommended;
  const other = best === "linear" ? "weekday" : "linear";
  const miss = (m: "linear" | "weekday") =>
    backtest.errorPct[m] === null
      ? "not checked: no complete past month"
      : `off by ${backtest.errorPct[m]}% on average over ${backtest.months.length} past month${backtest.months.length === 1 ? "" : "s"}`;
  return (
    <Card className="col-span-2 lg:col-span-1">
      <p className="text-sm text-muted">Month-end forecast</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{money(value[best])}</p>
      <p className="text-xs text-muted">
        {METHOD[best]} method ({HOW[best]}), {elapsed} of {days} days in; <Term k="backtest">{miss(best)}</Term>.
      </p>
      <LevelBadge level={total.forecastLevel} what="Forecast" />
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-link">Compare methods</summary>
        <p className="mt-1">
          {METHOD[other]}: <span className="font-semibold tabular-nums">{money(value[other])}</span> ({HOW[other]}); {miss(other)}.
        </p>
      </details>
    </Card>
  );
}
