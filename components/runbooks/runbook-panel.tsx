"use client";
// A live panel inside a runbook step: the model's drift, latency or error chart from the monitoring data, last 24 hours.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { TimeSeriesChart } from "@/components/charts/time-series";
import { mutationErrorText } from "@/components/ui/mutation-error";
import { useTRPC } from "@/lib/trpc";

export function RunbookPanel({ name, model }: { name: string; model: string | null }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.monitoring.model.queryOptions({ slug: model ?? "", range: "24h" }), enabled: Boolean(model) });
  const frame = (children: React.ReactNode) => (
    <figure className="my-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800" data-testid="runbook-panel">
      <figcaption className="mb-1 text-xs font-medium text-muted">
        Live panel: {name}
        {model ? (
          <>
            {" "}
            of{" "}
            <Link className="underline" href={`/monitoring/${model}`}>
              {model}
            </Link>
          </>
        ) : null}
      </figcaption>
      {children}
    </figure>
  );
  if (!model) return frame(<p className="text-sm text-muted">Shows the incident&apos;s model here; add model=&lt;slug&gt; to pin one.</p>);
  if (q.isPending) return frame(<p className="h-[160px] animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-label="Loading chart" />);
  if (q.error) return frame(<p className="text-sm text-red-600 dark:text-red-400">Could not load the panel: {mutationErrorText(q.error)}</p>);
  const d = q.data;
  const from = d.range.from.getTime();
  const to = d.range.to.getTime();
  if (name === "drift") {
    const m = d.monitors.find((x) => x.name === d.selected) ?? null;
    const detail = d.detail;
    if (!m || !detail || !detail.series.length) return frame(<p className="text-sm text-muted">No drift evaluations in the last 24 hours.</p>);
    return frame(
      <TimeSeriesChart
        label={`Drift of ${m.name} over time`}
        rows={detail.series.map((p) => ({ t: p.t, value: p.value }))}
        series={[{ key: "value", label: `${m.name} (${detail.pValueMethod ? "p-value" : "distance"})`, color: "#2563eb" }]}
        threshold={m.latest?.threshold ?? detail.series[detail.series.length - 1]?.threshold}
        from={from}
        to={to}
        height={160}
      />,
    );
  }
  if (!d.serving.length) return frame(<p className="text-sm text-muted">No serving telemetry in the last 24 hours.</p>);
  if (name === "errors") {
    return frame(
      <TimeSeriesChart
        label="Error rate"
        rows={d.serving.map((s) => ({ t: s.t, errorRate: s.errorRate }))}
        series={[{ key: "errorRate", label: "errors", color: "#dc2626" }]}
        percent
        from={from}
        to={to}
        height={160}
      />,
    );
  }
  return frame(
    <TimeSeriesChart
      label="Latency p95"
      rows={d.serving.map((s) => ({ t: s.t, p95: s.p95 }))}
      series={[{ key: "p95", label: "p95", color: "#f59e0b" }]}
      unit=" ms"
      from={from}
      to={to}
      height={160}
    />,
  );
}
