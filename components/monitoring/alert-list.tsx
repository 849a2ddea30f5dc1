// Alerts with their evidence in numbers; engineers get acknowledge and silence.
import Link from "next/link";
import type { inferRouterOutputs } from "@trpc/server";
import { Badge, EmptyState } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { AppRouter } from "@/server/routers/_app";
import { DeclareFromAlert } from "@/components/incidents/declare-from-alert";
import { severityForAlert } from "@/server/incidents/schemas";
import { AlertActions } from "./alert-actions";
import { formatBudget, formatStat, METHOD_LABELS } from "./format";

export type AlertItem = inferRouterOutputs<AppRouter>["monitoring"]["alerts"][number];

const tone = { firing: "red", pending: "amber", silenced: "neutral", resolved: "green" } as const;

function Evidence({ a }: { a: AlertItem }) {
  const e = a.evidence as Record<string, unknown>;
  if (a.kind === "drift") {
    const method = String(e.method ?? "");
    return (
      <span>
        {METHOD_LABELS[method] ?? method}: <strong>{formatStat(e.pValue != null ? Number(e.pValue) : Number(e.statistic))}</strong> against threshold {formatStat(Number(e.threshold))}
        {e.psi != null ? <> · PSI {formatStat(Number(e.psi))}</> : null} · {String(e.currentCount)} values vs {String(e.referenceCount)} in the reference
      </span>
    );
  }
  if (a.kind === "slo") {
    const rules = (e.rules as { name: string; longBurn: number; shortBurn: number; firing: boolean }[] | undefined) ?? [];
    return (
      <span>
        Budget left {formatBudget(Number(e.budgetRemaining ?? 1))} · {rules.filter((r) => r.firing).map((r) => `${r.name}: ${r.longBurn.toFixed(1)}x / ${r.shortBurn.toFixed(1)}x`).join(", ") || "burn back under the limits"}
      </span>
    );
  }
  const cohorts = (e.cohorts as { cohort: string; ageMinutes: number; stale: boolean }[] | undefined) ?? [];
  return <span>{cohorts.filter((c) => c.stale).map((c) => `${c.cohort} silent ${c.ageMinutes} min`).join(", ") || "all cohorts reporting"} (max {String(e.maxAgeMinutes)} min)</span>;
}

export function AlertList({ items, canAct, empty = "No alerts" }: { items: AlertItem[]; canAct: boolean; empty?: string }) {
  if (!items.length) return <EmptyState title={empty}>Alerts appear here when a drift monitor, an SLO burn rule or a freshness check fires.</EmptyState>;
  return (
    <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" aria-label="Alerts">
      {items.map((a) => (
        <li key={a.id} className="flex flex-wrap items-start justify-between gap-3 p-3" data-testid="alert-row">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={tone[a.display]}>{a.display}</Badge>
              <Badge tone={a.severity === "page" ? "red" : "neutral"}>{a.severity}</Badge>
              <span className="font-medium">{a.title}</span>
            </div>
            <p className="text-sm text-zinc-600 dark:text-zinc-300">
              <Evidence a={a} />
            </p>
            <p className="text-xs text-zinc-500">
              {a.model ? (
                <Link className="underline" href={`/monitoring/${a.model}`}>
                  {a.model}
                </Link>
              ) : null}{" "}
              · {a.subject} · started <Time value={a.startedAt} />
              {a.resolvedAt ? (
                <>
                  {" "}
                  · resolved <Time value={a.resolvedAt} />
                </>
              ) : null}
              {a.acknowledgedAt ? <> · acknowledged by {a.acknowledgedByEmail}</> : null}
              {a.display === "silenced" ? (
                <>
                  {" "}
                  · silenced by {a.silencedByEmail} until <Time value={a.silencedUntil} />: “{a.silenceReason}”
                </>
              ) : null}
            </p>
          </div>
          {canAct && a.state !== "resolved" ? (
            <div className="flex flex-wrap items-start gap-2">
              <DeclareFromAlert alertId={a.id} title={a.title} suggested={severityForAlert(a.severity)} />
              <AlertActions alertId={a.id} title={a.title} acknowledged={Boolean(a.acknowledgedAt)} silenced={a.display === "silenced"} />
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
