"use client";
// Compare selected runs: overlaid curves (server-downsampled, a point budget shared across runs) with a legend
// that filters, parallel coordinates of params → a metric, a scatter of any two fields, and a params/metrics diff.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { MetricChart } from "@/components/charts/metric-chart";
import { axisLabel, ParallelCoordinates } from "@/components/charts/parallel-coordinates";
import { ScatterPlot } from "@/components/charts/scatter-plot";
import { Card } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import {
  bestRunPerMetric,
  formatValue,
  metricDirection,
  paramDiff,
  pointsPerRun,
  prepareMetricChart,
  prepareParallel,
  prepareScatter,
  type RunSummary,
  type ScatterField,
} from "./chart-data";
import { ChartControls, useChartOptions } from "./metric-panel";
import { useUrlParam } from "./use-url-view";
import { middleEllipsis } from "@/lib/format";
import { runColor, runIdFilter } from "./view-state";

const fieldId = (f: ScatterField) => `${f.kind === "param" ? "p" : "m"}:${f.key}`;
const parseField = (s: string): ScatterField | null => (/^[pm]:.+/.test(s) ? { kind: s[0] === "p" ? "param" : "metric", key: s.slice(2) } : null);

const DIRECTION_TITLE = { higher: "Higher is better", lower: "Lower is better", none: "No declared direction, so no best run is marked" } as const;
const DIRECTION_MARK = { higher: "↑", lower: "↓", none: "" } as const;

export function CompareView({ experimentId, runIds }: { experimentId: string; runIds: string[] }) {
  const trpc = useTRPC();
  const runsQ = useQuery(
    trpc.experiments.searchRuns.queryOptions({ experimentIds: [experimentId], filter: runIdFilter(runIds), limit: runIds.length, offset: 0 }),
  );
  const runs: RunSummary[] = useMemo(
    () => (runsQ.data?.rows ?? []).map((r) => ({ runId: r.runId, runName: r.runName || r.runId.slice(0, 8), params: r.params, metrics: r.metrics })),
    [runsQ.data],
  );
  const metricKeys = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort(), [runs]);
  const paramKeys = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort(), [runs]);
  const [metricParam, setMetric] = useUrlParam("metric", "");
  const metric = metricKeys.includes(metricParam) ? metricParam : (metricKeys.find((k) => /map|acc|f1|auc/i.test(k)) ?? metricKeys[0] ?? "");
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [legendQ, setLegendQ] = useState("");
  const [showAll, setShowAll] = useState(false);
  const [sx, setSx] = useUrlParam("sx", "");
  const [sy, setSy] = useUrlParam("sy", "");
  const [options, setOptions] = useChartOptions();

  if (runsQ.isPending) return <p className="text-sm text-muted">Loading {runIds.length} runs…</p>;
  if (runsQ.error) return <p className="text-sm text-red-600 dark:text-red-400">{runsQ.error.message}</p>;
  if (!runs.length) return <p className="text-sm text-muted">None of these runs exist in this experiment.</p>;

  const best = bestRunPerMetric(runs);
  const diff = paramDiff(runs, showAll);
  const differing = paramDiff(runs, false).map((r) => r.key);
  const axesParams = (differing.length ? differing : paramKeys).slice(0, 10);
  const parallel = metric ? prepareParallel(runs, axesParams, metric) : null;
  const fields: ScatterField[] = [...paramKeys.map((key) => ({ kind: "param" as const, key })), ...metricKeys.map((key) => ({ kind: "metric" as const, key }))];
  const xField = parseField(sx) ?? (axesParams[0] ? { kind: "param" as const, key: axesParams[0] } : fields[0]);
  const yField = parseField(sy) ?? (metric ? { kind: "metric" as const, key: metric } : (fields[1] ?? fields[0]));
  const scatter = xField && yField ? prepareScatter(runs, xField, yField) : null;
  const legend = runs.filter((r) => r.runName.toLowerCase().includes(legendQ.trim().toLowerCase()));
  const colorOf = (id: string) => runColor(id, runIds);

  return (
    <div className="space-y-6">
      <section aria-labelledby="curves" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="curves" className="text-base font-semibold">
            Metric curves
          </h2>
          <label className="flex items-center gap-1.5 text-sm">
            Metric
            <Select aria-label="Metric" className="w-56 py-1" value={metric} onChange={(e) => setMetric(e.target.value)}>
              {metricKeys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </Select>
          </label>
        </div>
        <ChartControls options={options} set={setOptions} showBand={runs.length <= 10} />
        <div className="grid gap-3 lg:grid-cols-[1fr_16rem]">
          <Card className="p-3">
            {metric ? (
              <Curves runs={runs} hidden={hidden} metric={metric} options={options} />
            ) : (
              <p className="text-sm text-muted">These runs have no metrics.</p>
            )}
          </Card>
          <Card className="p-3">
            <div className="mb-2 flex items-center justify-between text-xs">
              <span className="font-semibold">
                Legend ({runs.length - hidden.size}/{runs.length} shown)
              </span>
              <span className="flex gap-2">
                <button type="button" className="text-link hover:underline" onClick={() => setHidden(new Set())}>
                  all
                </button>
                <button type="button" className="text-link hover:underline" onClick={() => setHidden(new Set(runs.map((r) => r.runId)))}>
                  none
                </button>
              </span>
            </div>
            <Input
              type="search"
              aria-label="Filter legend"
              placeholder="Filter runs"
              value={legendQ}
              onChange={(e) => setLegendQ(e.target.value)}
              className="mb-2 py-1 text-xs"
            />
            <ul className="max-h-72 space-y-0.5 overflow-auto text-xs" aria-label="Legend">
              {legend.map((r) => (
                <li key={r.runId}>
                  <label className="flex cursor-pointer items-center gap-1.5">
                    <input
                      type="checkbox"
                      checked={!hidden.has(r.runId)}
                      onChange={() => {
                        const next = new Set(hidden);
                        if (next.has(r.runId)) next.delete(r.runId);
                        else next.add(r.runId);
                        setHidden(next);
                      }}
                    />
                    <span aria-hidden className="size-2.5 shrink-0 rounded-full" style={{ background: colorOf(r.runId) }} />
                    <span className="truncate" title={r.runName}>
                      {middleEllipsis(r.runName, 36)}
                    </span>
                    {best[metric] === r.runId ? <span title={`Best ${metric}`}>★</span> : null}
                  </label>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      </section>

      <section aria-labelledby="parallel" className="space-y-2">
        <h2 id="parallel" className="text-base font-semibold">
          Parallel coordinates: params → {metric}
        </h2>
        <Card className="p-3 text-muted">
          {parallel ? (
            <ParallelCoordinates
              axes={parallel.axes.map((a) => ({
                key: a.key,
                label: axisLabel(a.label),
                ticks: a.kind === "numeric" ? a.ticks.map((t) => ({ label: formatValue(t.value), at: t.at })) : a.ticks,
              }))}
              lines={parallel.lines
                .filter((l) => !hidden.has(l.runId))
                .map((l) => ({ id: l.runId, positions: l.positions, color: l.color, tooltip: `${l.runName}: ${metric} = ${formatValue(l.value)}` }))}
              title={`Parallel coordinates of ${axesParams.join(", ")} to ${metric}`}
              caption={(h) => (h ? h.tooltip : `${parallel.lines.length} runs; warm lines are the better ${metric}. Hover a line to pick it out.`)}
            />
          ) : (
            <p>No metric to compare.</p>
          )}
        </Card>
      </section>

      <section aria-labelledby="scatter" className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="scatter" className="text-base font-semibold">
            Scatter
          </h2>
          {(["x", "y"] as const).map((axis) => (
            <label key={axis} className="flex items-center gap-1.5 text-sm">
              {axis.toUpperCase()}
              <Select
                aria-label={`Scatter ${axis}`}
                className="w-56 py-1"
                value={(axis === "x" ? xField : yField) ? fieldId((axis === "x" ? xField : yField)!) : ""}
                onChange={(e) => (axis === "x" ? setSx : setSy)(e.target.value)}
              >
                <optgroup label="params">
                  {paramKeys.map((k) => (
                    <option key={k} value={`p:${k}`}>
                      {k}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="metrics">
                  {metricKeys.map((k) => (
                    <option key={k} value={`m:${k}`}>
                      {k}
                    </option>
                  ))}
                </optgroup>
              </Select>
            </label>
          ))}
        </div>
        <Card className="p-3">
          {scatter && xField && yField ? (
            <ScatterPlot
              points={scatter.points.filter((p) => !hidden.has(p.runId))}
              xLabel={xField.key}
              yLabel={yField.key}
              xCategories={scatter.xCategories}
              yCategories={scatter.yCategories}
              colorOf={colorOf}
            />
          ) : null}
        </Card>
      </section>

      <section aria-labelledby="diff" className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="diff" className="text-base font-semibold">
            Parameters and metrics
          </h2>
          <label className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show all params (not only those that differ)
          </label>
        </div>
        <div className="max-h-[32rem] overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="text-sm" aria-label="Run differences">
            <thead className="sticky top-0 z-10 bg-zinc-100 dark:bg-zinc-900">
              <tr>
                <th className="sticky left-0 bg-zinc-100 px-3 py-2 text-left text-xs dark:bg-zinc-900">Key</th>
                {runs.map((r) => (
                  <th key={r.runId} className="max-w-40 truncate px-3 py-2 text-left text-xs font-semibold" title={r.runName}>
                    <span aria-hidden className="mr-1 inline-block size-2 rounded-full" style={{ background: colorOf(r.runId) }} />
                    <Link href={`/experiments/${experimentId}/runs/${r.runId}`} className="text-link hover:underline">
                      {middleEllipsis(r.runName, 24)}
                    </Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {diff.map((row) => (
                <tr key={`p-${row.key}`} className="border-t border-zinc-100 dark:border-zinc-800">
                  <th scope="row" className="sticky left-0 bg-white px-3 py-1 text-left font-mono text-xs font-normal dark:bg-zinc-950">
                    params.{row.key}
                  </th>
                  {row.values.map((v, i) => (
                    <td key={runs[i].runId} className={`px-3 py-1 font-mono text-xs ${row.differs ? "" : "text-muted"}`}>
                      {v ?? <span className="text-zinc-300">—</span>}
                    </td>
                  ))}
                </tr>
              ))}
              {!diff.length ? (
                <tr>
                  <td colSpan={runs.length + 1} className="px-3 py-2 text-xs text-muted">
                    All params are equal across these runs.
                  </td>
                </tr>
              ) : null}
              {metricKeys.map((k) => (
                <tr key={`m-${k}`} className="border-t border-zinc-100 dark:border-zinc-800">
                  <th
                    scope="row"
                    className="sticky left-0 bg-white px-3 py-1 text-left font-mono text-xs font-normal dark:bg-zinc-950"
                    title={DIRECTION_TITLE[metricDirection(k) ?? "none"]}
                  >
                    metrics.{k} {DIRECTION_MARK[metricDirection(k) ?? "none"]}
                  </th>
                  {runs.map((r) => (
                    <td
                      key={r.runId}
                      className={`px-3 py-1 text-right font-mono text-xs tabular-nums ${best[k] === r.runId ? "bg-emerald-50 font-semibold text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : ""}`}
                    >
                      {best[k] === r.runId ? <span aria-label={`best ${k}`}>★ </span> : null}
                      {formatValue(r.metrics[k])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function Curves({
  runs,
  hidden,
  metric,
  options,
}: {
  runs: RunSummary[];
  hidden: ReadonlySet<string>;
  metric: string;
  options: ReturnType<typeof useChartOptions>[0];
}) {
  const trpc = useTRPC();
  // Ask for every selected run once (hiding is client-side, instant); up to 200 per request, a shared point budget.
  const ids = runs.map((r) => r.runId).slice(0, 200);
  const q = useQuery(
    trpc.experiments.metricSeries.queryOptions(
      { runIds: ids, key: metric, xAxis: options.xKind, maxPoints: pointsPerRun(ids.length) },
      { placeholderData: (prev) => prev },
    ),
  );
  if (q.error) return <p className="text-sm text-red-600 dark:text-red-400">{q.error.message}</p>;
  if (!q.data) return <div className="h-80 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />;
  const chart = prepareMetricChart(
    q.data.series.map((s) => ({ runId: s.runId, runName: s.runName, color: runColor(s.runId, ids), points: s.points })),
    options,
  );
  return <MetricChart chart={chart} xKind={options.xKind} log={options.log} band={options.band && runs.length <= 10} height={320} hidden={hidden} />;
}
