import type { Metadata } from "next";
import Link from "next/link";
import { OnCallLine } from "@/components/incidents/on-call-line";
import { AlertList } from "@/components/monitoring/alert-list";
import { PageHeader } from "@/components/ui/card";
import { cn } from "@/lib/cn";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { ALERT_STATES } from "@/server/monitoring/schemas";

export const metadata: Metadata = { title: "Alerts" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
const LABELS: Record<(typeof ALERT_STATES)[number], string> = {
  open: "Open",
  firing: "Firing",
  pending: "Pending",
  silenced: "Silenced",
  resolved: "Resolved",
  all: "All",
};

export default async function AlertsPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const state = ALERT_STATES.find((s) => s === one(sp.state)) ?? "open";
  const model = one(sp.model);
  const { api, actor } = await serverApi();
  const [items, oncall] = await Promise.all([
    api.monitoring.alerts({ state, model: model && /^[a-z0-9-]{2,64}$/.test(model) ? model : undefined }),
    api.incidents.oncall(),
  ]);
  const routing = await api.webhooks.alertRouting({ alertIds: items.map((a) => a.id) });
  const href = (s: string) => `/alerts?${new URLSearchParams({ state: s, ...(model ? { model } : {}) })}`;
  return (
    <>
      <PageHeader
        title="Alerts"
        description={`Drift, SLO burn and freshness alerts${model ? ` for ${model}` : ""}, firing first, each with the numbers that raised it.`}
      />
      <nav aria-label="Alert state" className="mb-4 flex flex-wrap gap-1">
        {ALERT_STATES.map((s) => (
          <Link
            key={s}
            href={href(s)}
            aria-current={s === state ? "page" : undefined}
            className={cn(
              "rounded-md px-2.5 py-1 text-sm",
              s === state
                ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
            )}
          >
            {LABELS[s]}
          </Link>
        ))}
      </nav>
      <OnCallLine oncall={oncall} />
      <AlertList
        items={items}
        routing={routing}
        canAct={roleAtLeast(actor.role, "engineer")}
        empty={`No ${state === "all" ? "" : LABELS[state].toLowerCase() + " "}alerts`}
      />
    </>
  );
}
