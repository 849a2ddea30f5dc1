import Link from "next/link";
import { SeriesLink } from "@/components/monitoring/series-link";
import { AuditTable } from "@/components/admin/audit-table";
import { MitigationButtons } from "@/components/incidents/mitigation-buttons";
import { SeverityBadge, StatusBadge } from "@/components/incidents/severity-badge";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { formatCount } from "@/lib/format";
import { serverApi } from "@/server/caller";

const ALERT_TONE: Record<string, "red" | "amber" | "neutral"> = { critical: "red", page: "red", warning: "amber" };

export default async function HomePage() {
  const { api, actor } = await serverApi();
  const overview = await api.home.overview();
  return (
    <>
      <PageHeader title="Home" description={`What is on fire, what is open, and what the platform holds. Signed in as ${actor.email} (${actor.role}).`} />

      <section aria-labelledby="firing-h" className="mb-6">
        <h2 id="firing-h" className="mb-2 text-base font-semibold">
          Firing now
        </h2>
        {overview.firing.length === 0 ? (
          <EmptyState title="Nothing is firing">Alerts that fire show up here with the action that mitigates them.</EmptyState>
        ) : (
          <ul className="space-y-3">
            {overview.firing.map((f) => (
              <li key={f.alert.id}>
                <Card className={f.alert.severity === "page" || f.alert.severity === "critical" ? "border-red-600 dark:border-red-500" : undefined}>
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <Badge tone={ALERT_TONE[f.alert.severity] ?? "neutral"}>{f.alert.severity}</Badge>
                    {f.alert.modelName ? <span className="font-medium">{f.alert.modelName}</span> : null}
                    <span className="text-zinc-600 dark:text-zinc-400">
                      firing since <Time value={f.alert.firingAt} />
                    </span>
                  </div>
                  <p className="mt-1 font-medium">
                    <Link href={`/alerts?state=all${f.alert.model ? `&model=${f.alert.model}` : ""}#alert-${f.alert.id}`} className="hover:underline">
                      {f.alert.title}
                    </Link>
                  </p>
                  {f.alert.evidenceText.length ? <p className="mt-1 text-sm text-muted">{f.alert.evidenceText.slice(0, 2).join(" · ")}</p> : null}
                  <SeriesLink series={f.alert.series} className="mt-1 text-sm" />
                  <p className="mt-1 text-sm">
                    {f.incident ? (
                      <Link href={`/incidents/${f.incident.id}`} className="font-medium text-link underline">
                        Open incident #{f.incident.number} ({f.incident.status})
                      </Link>
                    ) : f.deployment ? (
                      <span className="text-zinc-600 dark:text-zinc-400">No incident yet: rolling back declares one with you in command.</span>
                    ) : (
                      <span className="text-zinc-600 dark:text-zinc-400">No incident yet; nothing in flight to roll back for this alert.</span>
                    )}
                  </p>
                  {/* Mounted even without a deployment: after a rollback the refresh drops it, and the success message must stay. */}
                  <div className="mt-3 empty:hidden">
                    <MitigationButtons
                      alertId={f.alert.id}
                      deployments={f.deployment ? [f.deployment] : []}
                      only="rollback"
                      actor={actor}
                      reason={`Mitigating the alert: ${f.alert.title}`}
                      shortcuts={false}
                      quietWhenEmpty
                    />
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="mb-6 grid gap-4 lg:grid-cols-2 [&>*]:min-w-0">
        <section aria-labelledby="incidents-h">
          <h2 id="incidents-h" className="mb-2 text-base font-semibold">
            Open incidents
          </h2>
          {overview.incidents.length === 0 ? (
            <EmptyState title="No open incidents" />
          ) : (
            <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
              {overview.incidents.map((i) => (
                <li key={i.id} className="flex flex-wrap items-center gap-2 p-3 text-sm">
                  <SeverityBadge severity={i.severity} />
                  <StatusBadge status={i.status} />
                  <Link href={`/incidents/${i.id}`} className="min-w-0 flex-1 font-medium hover:underline">
                    #{i.number} {i.title}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="notes-h">
          <h2 id="notes-h" className="mb-2 text-base font-semibold">
            For you
          </h2>
          {overview.notifications.length === 0 ? (
            <EmptyState title="No notifications">Rollbacks by the on-call and rollback requests for you show up here.</EmptyState>
          ) : (
            <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" aria-label="Notifications">
              {overview.notifications.map((n) => (
                <li key={n.id} className="p-3 text-sm">
                  {n.href ? (
                    <Link href={n.href} className="font-medium hover:underline">
                      {n.title}
                    </Link>
                  ) : (
                    <span className="font-medium">{n.title}</span>
                  )}
                  <p className="text-zinc-600 dark:text-zinc-400">
                    <Time value={n.createdAt} /> · {n.body}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <div className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        {overview.counts.map((c) => {
          const card = (
            <Card className={c.href ? "hover:border-brand-500" : undefined}>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{c.label}</p>
              <p className="mt-1 text-2xl font-semibold tabular-nums">{formatCount(c.value)}</p>
            </Card>
          );
          return c.href ? (
            <Link key={c.label} href={c.href} className="block">
              {card}
            </Link>
          ) : (
            <div key={c.label}>{card}</div>
          );
        })}
      </div>
      <h2 className="mb-3 mt-8 text-base font-semibold">Recent activity</h2>
      {overview.recent.length ? <AuditTable rows={overview.recent} /> : <EmptyState title="No activity yet">Changes people make show up here.</EmptyState>}
    </>
  );
}
