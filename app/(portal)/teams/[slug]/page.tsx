import type { Metadata } from "next";
import Link from "next/link";
import { CatalogTable } from "@/components/catalog/catalog-table";
import { formatBudget } from "@/components/monitoring/format";
import { orNotFound } from "@/components/ui/or-not-found";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { serverApi } from "@/server/caller";
import { ZTeamSlug } from "@/server/catalog/schemas";
import { formatMicros } from "@/server/cost/money";
import { notFound } from "next/navigation";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!ZTeamSlug.safeParse(slug).success) notFound();
  const { api } = await serverApi();
  const p = await orNotFound(api.catalog.team({ slug }));
  const budget = p.cost.budget;
  const spent = budget?.spentMicros ?? p.cost.models.reduce((a, m) => a + m.micros, 0);
  return (
    <>
      <PageHeader title={p.team.name} description={`What ${p.team.name} owns, what is open on it, who is on call, its SLOs and its cost this month.`} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card>
          <h2 className="mb-2 font-semibold">On call now</h2>
          {p.oncall.length ? (
            <ul className="space-y-2 text-sm" aria-label="On call now">
              {p.oncall.map((r) => (
                <li key={r.rotationId}>
                  <span className="font-medium">{r.name ?? r.email ?? "Nobody"}</span>
                  <div className="text-xs text-muted">
                    {r.rotation}
                    {r.override ? " (cover)" : ""}
                    {r.until ? (
                      <>
                        {" "}
                        until <Time value={r.until} />
                      </>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted">No on-call rotation pages for what this team owns. Set one on its catalog entries.</p>
          )}
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Cost this month</h2>
          <p className="text-2xl font-semibold" aria-label="Spent this month">
            {formatMicros(spent)}
          </p>
          <p className="text-sm text-muted">
            {budget?.budgetMicros ? `of ${formatMicros(budget.budgetMicros, 0)} budget for ${p.cost.month}` : `in ${p.cost.month}; no team budget set`}
          </p>
          {budget?.budgetMicros ? (
            <p className="mt-1 text-sm">
              Forecast {formatMicros(Math.max(budget.linearForecastMicros, budget.weekdayForecastMicros), 0)}{" "}
              {budget.forecastLevel && budget.forecastLevel !== "ok" ? <Badge tone="amber">{budget.forecastLevel}</Badge> : null}
            </p>
          ) : null}
          <Link href="/costs" className="mt-2 inline-block text-sm text-link hover:underline">
            Open costs
          </Link>
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Open now</h2>
          <p className="text-sm">
            {p.alerts.length} open alert{p.alerts.length === 1 ? "" : "s"}, {p.incidents.length} open incident{p.incidents.length === 1 ? "" : "s"}
          </p>
        </Card>
      </div>

      <section aria-labelledby="owns-h" className="mt-6">
        <h2 id="owns-h" className="mb-2 font-semibold">
          What {p.team.name} owns
        </h2>
        {p.entries.length ? (
          <CatalogTable entries={p.entries} label={`What ${p.team.name} owns`} showOwner={false} />
        ) : (
          <EmptyState title="This team owns nothing in the catalog yet">
            <Link href="/catalog" className="text-link hover:underline">
              Open the catalog
            </Link>
          </EmptyState>
        )}
      </section>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="alerts-h">
          <h2 id="alerts-h" className="mb-2 font-semibold">
            Open alerts
          </h2>
          {p.alerts.length ? (
            <ul className="space-y-2 text-sm">
              {p.alerts.map((a) => (
                <li key={a.id}>
                  <Link href={`/alerts?state=all&model=${a.model}#alert-${a.id}`} className="text-link hover:underline">
                    {a.title}
                  </Link>{" "}
                  <Badge tone={a.state === "firing" ? "red" : "amber"}>{a.state}</Badge>
                  <div className="text-xs text-muted">
                    {a.severity} · since <Time value={a.startedAt} />
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted">No open alerts on this team&apos;s models.</p>
          )}
        </section>
        <section aria-labelledby="incidents-h">
          <h2 id="incidents-h" className="mb-2 font-semibold">
            Open incidents
          </h2>
          {p.incidents.length ? (
            <ul className="space-y-2 text-sm">
              {p.incidents.map((i) => (
                <li key={i.id}>
                  <Link href={`/incidents/${i.id}`} className="text-link hover:underline">
                    #{i.number} {i.title}
                  </Link>{" "}
                  <Badge tone="red">{i.severity}</Badge>
                  <div className="text-xs text-muted">
                    {i.status} · {i.model} · since <Time value={i.startedAt} />
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted">No open incidents on this team&apos;s models.</p>
          )}
        </section>
      </div>

      <section aria-labelledby="slos-h" className="mt-6">
        <h2 id="slos-h" className="mb-2 font-semibold">
          SLOs and error budgets
        </h2>
        {p.slos.length ? (
          <Table label="SLOs and error budgets">
            <thead>
              <tr>
                <Th>Model</Th>
                <Th>SLO</Th>
                <Th>Objective</Th>
                <Th>Budget left</Th>
              </tr>
            </thead>
            <tbody>
              {p.slos.map((s) => (
                <tr key={s.id}>
                  <Td>
                    <Link href={`/monitoring/${s.model}`} className="text-link hover:underline">
                      {s.model}
                    </Link>
                  </Td>
                  <Td>
                    {s.kind} on {s.target}
                  </Td>
                  <Td>
                    {(s.objective * 100).toFixed(s.objective >= 0.999 ? 2 : 1)}% over {s.windowDays} days
                  </Td>
                  <Td>
                    <span className={s.budget.remaining < 0 ? "font-medium text-red-700 dark:text-red-400" : undefined}>
                      {formatBudget(s.budget.remaining)}
                    </span>
                    {s.severity ? (
                      <>
                        {" "}
                        <Badge tone="red">burning ({s.severity})</Badge>
                      </>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p className="text-sm text-muted">No SLOs on this team&apos;s models.</p>
        )}
      </section>

      {p.cost.models.length ? (
        <section aria-labelledby="cost-h" className="mt-6">
          <h2 id="cost-h" className="mb-2 font-semibold">
            Spend by model in {p.cost.month}
          </h2>
          <Table label="Spend by model">
            <thead>
              <tr>
                <Th>Model</Th>
                <Th className="text-right">Spent</Th>
              </tr>
            </thead>
            <tbody>
              {p.cost.models.map((m) => (
                <tr key={m.slug ?? m.name}>
                  <Td>{m.name}</Td>
                  <Td className="text-right tabular-nums">{formatMicros(m.micros)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      ) : null}
    </>
  );
}
