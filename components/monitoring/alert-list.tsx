// Alerts with their evidence in words and a link to the series that fired; engineers get acknowledge and silence.
import Link from "next/link";
import { SeriesLink } from "@/components/monitoring/series-link";
import type { inferRouterOutputs } from "@trpc/server";
import { Badge, EmptyState } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { AppRouter } from "@/server/routers/_app";
import { AlertRouting, type AlertRoutingView } from "@/components/webhooks/alert-routing";
import { DeclareFromAlert } from "@/components/incidents/declare-from-alert";
import { severityForAlert } from "@/server/incidents/schemas";
import { AlertActions } from "./alert-actions";
import { ExternalEvidence } from "./external-evidence";

export type AlertItem = inferRouterOutputs<AppRouter>["monitoring"]["alerts"][number];

const tone = { firing: "red", pending: "amber", silenced: "neutral", resolved: "green" } as const;

/** The evidence as the service words it (server/monitoring/evidence.ts); threshold alerts add their recent windows. */
function Evidence({ a }: { a: AlertItem }) {
  const e = a.evidence as Record<string, unknown>;
  if (a.kind === "external") return <ExternalEvidence evidence={e} labels={a.labels} />;
  const recent = a.kind === "threshold" ? ((e.recent as { t: number; value: number | null }[] | undefined) ?? []) : [];
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
      {a.evidenceText.map((line, i) => (
        <span key={i} className="block w-full">
          {line}
        </span>
      ))}
      {recent.length > 1 ? (
        <Sparkline
          values={recent.map((r) => r.value)}
          threshold={Number(e.threshold)}
          label={`Last ${recent.length} windows of ${String(e.metric ?? "the metric")}`}
        />
      ) : null}
    </span>
  );
}

/** The windows that fired a threshold alert, with the threshold as a dashed line; gaps where there was no data. */
function Sparkline({ values, threshold, label }: { values: (number | null)[]; threshold: number; label: string }) {
  const w = 120;
  const h = 24;
  const max = Math.max(threshold, ...values.map((v) => v ?? 0)) * 1.1 || 1;
  const x = (i: number) => (i / Math.max(1, values.length - 1)) * w;
  const y = (v: number) => h - (v / max) * h;
  const path = values.map((v, i) => (v === null ? "" : `${i === 0 || values[i - 1] === null ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`)).join("");
  return (
    <svg role="img" aria-label={label} width={w} height={h} className="overflow-visible">
      <line x1={0} x2={w} y1={y(threshold)} y2={y(threshold)} stroke="var(--sentinel-danger)" strokeDasharray="3 2" strokeWidth={1} />
      <path d={path} fill="none" stroke="var(--sentinel-link)" strokeWidth={1.5} />
    </svg>
  );
}

export function AlertList({
  items,
  canAct,
  empty = "No alerts",
  routing,
}: {
  items: AlertItem[];
  canAct: boolean;
  empty?: string;
  routing?: Record<string, AlertRoutingView>;
}) {
  if (!items.length)
    return (
      <EmptyState title={empty}>
        Alerts appear here when a drift monitor, an SLO burn rule, a threshold rule, a freshness check or a cost budget or anomaly rule fires.
      </EmptyState>
    );
  return (
    <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" aria-label="Alerts">
      {items.map((a) => (
        <li key={a.id} id={`alert-${a.id}`} className="flex flex-wrap items-start justify-between gap-3 p-3" data-testid="alert-row">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={tone[a.display]}>{a.display}</Badge>
              <Badge tone={a.severity === "page" ? "red" : "neutral"}>{a.severity}</Badge>
              <span className="font-medium">{a.title}</span>
            </div>
            <p className="text-sm text-zinc-600 dark:text-zinc-300">
              <Evidence a={a} />
            </p>
            <SeriesLink series={a.series} />
            <p className="text-xs text-muted">
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
            <AlertRouting r={routing?.[a.id]} />
          </div>
          {a.incident ? (
            <Link
              href={`/incidents/${a.incident.id}`}
              className="inline-flex items-center rounded-md border border-zinc-400 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800"
            >
              Open incident #{a.incident.number}
            </Link>
          ) : null}
          {canAct && a.state !== "resolved" ? (
            <div className="flex flex-wrap items-start gap-2">
              {a.incident ? null : <DeclareFromAlert alertId={a.id} title={a.title} suggested={severityForAlert(a.severity)} />}
              <AlertActions alertId={a.id} title={a.title} acknowledged={Boolean(a.acknowledgedAt)} silenced={a.display === "silenced"} />
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
