import type { Metadata } from "next";
import Link from "next/link";
import { DeclareForm } from "@/components/incidents/declare-form";
import { SeverityBadge, StatusBadge } from "@/components/incidents/severity-badge";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { cn } from "@/lib/cn";
import { formatDuration } from "@/lib/format";
import { serverApi } from "@/server/caller";
import { canDeclareIncident } from "@/server/incidents/policy";
import { SEVERITIES, SEVERITY_MEANING, STATUSES } from "@/server/incidents/schemas";

export const metadata: Metadata = { title: "Incidents" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
const STATUS_FILTERS = ["open", ...STATUSES, "all"] as const;

export default async function IncidentsPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const status = STATUS_FILTERS.find((s) => s === one(sp.status)) ?? "open";
  const severity = SEVERITIES.find((s) => s === one(sp.severity));
  const rawModel = one(sp.model);
  const model = rawModel && /^[a-z0-9-]{2,64}$/.test(rawModel) ? rawModel : undefined;
  const { api, actor } = await serverApi();
  const canDeclare = canDeclareIncident(actor).allowed;
  const [items, models] = await Promise.all([
    api.incidents.list({ status, severity, model }),
    canDeclare ? api.deployments.oncallModels() : Promise.resolve([]),
  ]);
  const href = (over: Record<string, string | undefined>) => {
    const q = Object.entries({ status, severity, model, ...over }).filter((e): e is [string, string] => Boolean(e[1]));
    return `/incidents${q.length ? `?${new URLSearchParams(q)}` : ""}`;
  };
  const chip = (active: boolean) =>
    cn(
      "rounded-md px-2.5 py-1 text-sm",
      active ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
    );
  return (
    <>
      <PageHeader
        title="Incidents"
        description={`Declared incidents${model ? ` on ${model}` : ""}, open ones first, with their response times.`}
        actions={canDeclare ? <DeclareForm models={models} /> : undefined}
      />
      <nav aria-label="Incident status" className="mb-2 flex flex-wrap gap-1">
        {STATUS_FILTERS.map((s) => (
          <Link key={s} href={href({ status: s })} aria-current={s === status ? "page" : undefined} className={chip(s === status)}>
            {s[0].toUpperCase() + s.slice(1)}
          </Link>
        ))}
      </nav>
      <nav aria-label="Incident severity" className="mb-4 flex flex-wrap gap-1">
        <Link href={href({ severity: undefined })} aria-current={!severity ? "page" : undefined} className={chip(!severity)}>
          Any severity
        </Link>
        {SEVERITIES.map((s) => (
          <Link
            key={s}
            href={href({ severity: s })}
            aria-current={s === severity ? "page" : undefined}
            className={chip(s === severity)}
            title={SEVERITY_MEANING[s].meaning}
          >
            {SEVERITY_MEANING[s].label}
          </Link>
        ))}
        {model ? (
          <Link href={href({ model: undefined })} className={chip(false)}>
            Model: {model} ✕
          </Link>
        ) : null}
      </nav>
      {items.length === 0 ? (
        <EmptyState title="No incidents match">Declare one from an alert (Alerts page) or with the button above.</EmptyState>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Incident</Th>
              <Th>Severity</Th>
              <Th>Status</Th>
              <Th>Model</Th>
              <Th>Commander</Th>
              <Th>Started</Th>
              <Th>TTA</Th>
              <Th>TTM</Th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <Td>
                  <Link href={`/incidents/${i.id}`} className="font-medium text-link hover:underline">
                    INC-{i.number} {i.title}
                  </Link>
                </Td>
                <Td>
                  <SeverityBadge severity={i.severity} />
                </Td>
                <Td>
                  <StatusBadge status={i.status} />
                </Td>
                <Td>
                  {i.model ? (
                    <Link className="hover:underline" href={href({ model: i.model })}>
                      {i.model}
                    </Link>
                  ) : (
                    "—"
                  )}
                </Td>
                <Td>{i.commander ?? "—"}</Td>
                <Td>
                  <Time value={i.startedAt} />
                </Td>
                <Td>{i.ttaMs === null ? "—" : formatDuration(i.ttaMs)}</Td>
                <Td>{i.ttmMs === null ? "—" : formatDuration(i.ttmMs)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <section aria-labelledby="sev-h" className="mt-6">
        <h2 id="sev-h" className="mb-2 text-sm font-semibold">
          What the severities mean
        </h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          {SEVERITIES.map((s) => (
            <div key={s}>
              <dt className="font-medium">{SEVERITY_MEANING[s].label}</dt>
              <dd className="text-zinc-600 dark:text-zinc-400">{SEVERITY_MEANING[s].meaning}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
