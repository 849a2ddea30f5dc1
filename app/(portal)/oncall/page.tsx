import type { Metadata } from "next";
import Link from "next/link";
import { DeploymentActions } from "@/components/deployments/deployment-actions";
import { StateBadge } from "@/components/deployments/state-badge";
import { Timeline } from "@/components/deployments/timeline";
import { OnCallLine } from "@/components/incidents/on-call-line";
import { RotationForm } from "@/components/incidents/rotation-form";
import { OverrideForm } from "@/components/incidents/override-form";
import { AlertList } from "@/components/monitoring/alert-list";
import { formatBudget } from "@/components/monitoring/format";
import { RunbookMarkdown } from "@/components/runbooks/runbook-markdown";
import { orNotFound } from "@/components/ui/or-not-found";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "On-call" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function OncallPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const { api, actor } = await serverApi();
  const [all, firing, oncall, rotations, people] = await Promise.all([
    api.deployments.oncallModels(),
    api.monitoring.alerts({ state: "firing", limit: 50 }),
    api.incidents.oncall(),
    api.incidents.rotations(),
    api.incidents.commanders(),
  ]);
  const requested = one(sp.model);
  const slug = requested && /^[a-z0-9-]{2,64}$/.test(requested) ? requested : (firing.find((a) => a.model)?.model ?? all[0]?.slug);
  if (!slug) return <EmptyState title="No models yet" />;
  const v = await orNotFound(api.deployments.oncall({ model: slug }));
  const firingModels = new Set(firing.map((a) => a.model));
  return (
    <>
      <PageHeader title={`On-call: ${v.model.name}`} description="What is broken, what changed, which runbook applies, and the rollback, on one page." />
      <OnCallLine oncall={oncall} />
      <nav aria-label="Model" className="mb-4 flex flex-wrap gap-1 text-sm">
        {all.map((m) => (
          <Link
            key={m.slug}
            href={`/oncall?model=${m.slug}`}
            aria-current={m.slug === slug ? "page" : undefined}
            className={
              m.slug === slug
                ? "rounded-md bg-zinc-900 px-2.5 py-1 text-white dark:bg-zinc-100 dark:text-zinc-900"
                : "rounded-md px-2.5 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            }
          >
            {m.name}
            {firingModels.has(m.slug) ? <span className="ml-1 inline-block h-2 w-2 rounded-full bg-red-500" aria-label="firing" /> : null}
          </Link>
        ))}
      </nav>

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="alerts-h" className="lg:col-span-2">
          <h2 id="alerts-h" className="mb-2 font-semibold">
            Open alerts
          </h2>
          <AlertList items={v.alerts} canAct={roleAtLeast(actor.role, "engineer")} empty="Nothing open on this model" />
        </section>

        <Card>
          <h2 className="mb-3 font-semibold">Deployments</h2>
          {v.deployments.length === 0 ? (
            <p className="text-sm text-muted">Not deployed anywhere.</p>
          ) : (
            <ul className="space-y-4">
              {v.deployments.map((d) => {
                const canAct = roleAtLeast(actor.role, "engineer");
                return (
                  <li key={d.id} className="text-sm">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link href={`/deployments/${d.id}`} className="font-medium text-link hover:underline">
                        {d.target.name}
                      </Link>
                      <Badge tone={d.environment.protected ? "red" : "neutral"}>{d.environment.name}</Badge>
                      <span className="font-mono">v{d.stable}</span>
                      <StateBadge state={d.state} percent={d.percent} candidate={d.candidate} />
                    </div>
                    {canAct && d.rollbackTo !== null ? (
                      <div className="mt-2">
                        <DeploymentActions deploymentId={d.id} revision={d.revision} target={d.effectTarget} policy={d.policy} actor={actor} rollbackOnly />
                      </div>
                    ) : canAct ? (
                      <p className="mt-1 text-xs text-muted">No earlier version to roll back to.</p>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>

        <Card>
          <h2 className="mb-3 font-semibold">SLO burn</h2>
          {v.slos.length === 0 ? (
            <p className="text-sm text-muted">No SLOs defined for this model.</p>
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>SLO</Th>
                  <Th>Budget left</Th>
                  <Th>Burn (long / short)</Th>
                  <Th>Data</Th>
                </tr>
              </thead>
              <tbody>
                {v.slos.map((s) => (
                  <tr key={s.id}>
                    <Td>
                      {s.kind} · {s.target} · {(s.objective * 100).toFixed(2)}%
                    </Td>
                    <Td>
                      <Badge tone={s.severity === "page" ? "red" : s.severity === "ticket" ? "amber" : "green"}>{formatBudget(s.budget.remaining)}</Badge>
                    </Td>
                    <Td className="tabular-nums">{s.rules.map((r) => `${r.name}: ${r.longBurn.toFixed(1)}x / ${r.shortBurn.toFixed(1)}x`).join(", ")}</Td>
                    <Td>
                      <Time value={s.newestDataAt} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>

        <Card>
          <h2 className="mb-3 font-semibold">Recent deploys</h2>
          <Timeline events={v.events} empty="No deploys on record" />
        </Card>

        <Card>
          <h2 className="mb-1 font-semibold">Runbook{v.runbook ? `: ${v.runbook.title}` : ""}</h2>
          {v.runbook ? (
            <>
              <p className="mb-3 text-xs text-muted">
                Updated <Time value={v.runbook.updatedAt} /> ·{" "}
                <Link className="underline" href={`/runbooks/${v.runbook.id}`}>
                  history and editor
                </Link>
              </p>
              <RunbookMarkdown
                body={v.runbook.body}
                model={v.model.slug}
                rollbackTo={(v.deployments.find((d) => d.candidate !== null) ?? v.deployments.find((d) => d.rollbackTo !== null))?.rollbackTo ?? null}
              />
            </>
          ) : (
            <p className="text-sm text-muted">No runbook for this model yet.</p>
          )}
        </Card>
      </div>

      <Card className="mt-4">
        <h2 className="mb-2 font-semibold">Rotations</h2>
        {rotations.length === 0 ? (
          <p className="text-sm text-muted">No rotations yet; an admin creates one below.</p>
        ) : (
          <ul className="mb-4 space-y-2 text-sm">
            {rotations.map((r) => (
              <li key={r.id}>
                <span className="font-medium">{r.name}</span>{" "}
                <span className="text-muted">
                  ({r.service}, hands over every {r.periodDays} days)
                </span>
                : {r.members.join(" → ")}
                {r.overrides.map((o) => (
                  <div key={o.id} className="text-xs text-muted">
                    Override: {o.email} from <Time value={o.startsAt} /> until <Time value={o.endsAt} />
                    {o.reason ? ` (${o.reason})` : ""}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        )}
        {roleAtLeast(actor.role, "engineer") && rotations.length ? <OverrideForm rotations={rotations} people={people} /> : null}
        {roleAtLeast(actor.role, "admin") ? <RotationForm people={people} /> : null}
      </Card>
    </>
  );
}
