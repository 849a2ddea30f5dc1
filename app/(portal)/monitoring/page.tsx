import type { Metadata } from "next";
import Link from "next/link";
import { formatAge, formatBudget } from "@/components/monitoring/format";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { serverApi } from "@/server/caller";
import { HEALTH_FILTERS } from "@/server/monitoring/schemas";

export const metadata: Metadata = { title: "Monitoring" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function MonitoringOverview({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const health = HEALTH_FILTERS.find((h) => h === one(sp.health)) ?? "all";
  const { api } = await serverApi();
  const { items, teams, generatedAt } = await api.monitoring.overview({ q: one(sp.q), team: one(sp.team), health });
  const now = new Date(generatedAt).getTime();
  return (
    <>
      <PageHeader
        title="Monitoring"
        description="Every production model: input drift, SLO budget, freshness and open alerts, worst first."
        actions={
          <Link className="text-sm text-link underline" href="/alerts">
            All alerts
          </Link>
        }
      />
      {/* A GET form: the filters live in the URL and work without JavaScript. */}
      <form className="mb-4 flex flex-wrap items-end gap-2" action="/monitoring" role="search" aria-label="Filter models">
        <label className="text-sm">
          <span className="mb-1 block text-zinc-600 dark:text-zinc-300">Search</span>
          <Input name="q" defaultValue={one(sp.q) ?? ""} placeholder="Model name or slug" className="w-56" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-zinc-600 dark:text-zinc-300">Team</span>
          <Select name="team" defaultValue={one(sp.team) ?? ""} className="w-44">
            <option value="">All teams</option>
            {teams.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-zinc-600 dark:text-zinc-300">Health</span>
          <Select name="health" defaultValue={health} className="w-40">
            {HEALTH_FILTERS.map((h) => (
              <option key={h} value={h}>
                {h === "all" ? "Any" : h}
              </option>
            ))}
          </Select>
        </label>
        <Button type="submit" variant="secondary">
          Apply
        </Button>
      </form>
      {items.length === 0 ? (
        <EmptyState title="No production model matches">Models appear here once a version holds the production alias and sends telemetry.</EmptyState>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Model</Th>
              <Th>Drift</Th>
              <Th>SLO budget</Th>
              <Th>Freshness</Th>
              <Th>Open alerts</Th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.slug}>
                <Td>
                  <Link href={`/monitoring/${m.slug}`} className="font-medium text-link hover:underline">
                    {m.name}
                  </Link>
                  <div className="text-xs text-muted">
                    {m.slug} v{m.version} · {m.team}
                  </div>
                </Td>
                <Td>
                  <div className="space-y-1" data-testid="drift-cell">
                    <div>
                      {m.candidateDrift.length ? <span className="mr-1 text-sm text-muted">v{m.version} stable:</span> : null}
                      {m.drift.monitored === 0 ? (
                        <span className="text-muted">no monitors</span>
                      ) : m.drift.driftedCount > 0 ? (
                        <>
                          <Badge tone={m.drift.drifted ? "red" : "amber"}>{m.drift.drifted ? "drifting" : "partial drift"}</Badge>{" "}
                          <span className="text-sm">
                            {m.drift.driftedCount} of {m.drift.total}: {m.drift.features.join(", ")}
                          </span>
                        </>
                      ) : (
                        <Badge tone="green">stable</Badge>
                      )}
                    </div>
                    {m.candidateDrift.map((c) => (
                      <div key={c.label} className="text-sm">
                        <span className="mr-1 text-muted">{c.label}:</span>
                        <Link href={c.href} className={c.drifted ? "font-medium text-link underline" : "text-link underline"}>
                          {c.verdict}
                        </Link>
                      </div>
                    ))}
                  </div>
                </Td>
                <Td>
                  {m.slo ? (
                    <div className="text-sm">
                      <Badge tone={m.slo.severity === "page" ? "red" : m.slo.remaining < 0.25 ? "amber" : "green"}>{formatBudget(m.slo.remaining)} left</Badge>{" "}
                      <span className="text-muted">
                        {m.slo.kind} {(m.slo.objective * 100).toFixed(m.slo.objective >= 0.99 ? 1 : 0)}%{m.slo.severity ? ` · burning (${m.slo.severity})` : ""}
                      </span>
                    </div>
                  ) : (
                    <span className="text-muted">no SLO</span>
                  )}
                </Td>
                <Td>
                  {m.freshness.newestEnd ? (
                    <div className="text-sm">
                      <Badge tone={m.freshness.stale ? "amber" : "green"}>{m.freshness.stale ? "stale" : "fresh"}</Badge>{" "}
                      <span title={new Date(m.freshness.newestEnd).toISOString()}>newest {formatAge(now - new Date(m.freshness.newestEnd).getTime())} ago</span>
                      {m.freshness.staleCohorts.length ? <div className="text-xs text-muted">silent: {m.freshness.staleCohorts.join(", ")}</div> : null}
                    </div>
                  ) : (
                    <Badge tone="amber">no telemetry</Badge>
                  )}
                </Td>
                <Td>
                  {m.alerts.firing + m.alerts.pending + m.alerts.silenced === 0 ? (
                    <span className="text-muted">none</span>
                  ) : (
                    <Link href={`/alerts?model=${m.slug}`} className="flex flex-wrap gap-1">
                      {m.alerts.firing ? <Badge tone="red">{m.alerts.firing} firing</Badge> : null}
                      {m.alerts.pending ? <Badge tone="amber">{m.alerts.pending} pending</Badge> : null}
                      {m.alerts.silenced ? <Badge>{m.alerts.silenced} silenced</Badge> : null}
                    </Link>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <p className="mt-3 text-xs text-muted">
        Evaluated every 5 minutes; page generated <Time value={generatedAt} />.
      </p>
    </>
  );
}
