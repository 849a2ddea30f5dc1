"use client";
// Metric charts for one run: x-axis (step, relative, wall), log scale, EMA smoothing, ignore outliers, min/max band
// and drag-to-zoom (the server re-downsamples the chosen range). Options live in the URL; a RUNNING run polls.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { MetricChart } from "@/components/charts/metric-chart";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc";
import { formatValue, formatX, prepareMetricChart, type XKind } from "./chart-data";
import { useUrlParam } from "./use-url-view";

export type ChartOptionsState = { xKind: XKind; log: boolean; smoothing: number; ignoreOutliers: boolean; band: boolean };

const X_KINDS: { value: XKind; label: string }[] = [
  { value: "step", label: "Step" },
  { value: "relative", label: "Relative time" },
  { value: "wall", label: "Wall time" },
];

/** Chart options kept in the URL so a shared link shows the same charts. */
export function useChartOptions(): [ChartOptionsState, (patch: Partial<Record<"x" | "log" | "smooth" | "outliers" | "band", string>>) => void] {
  const [x, setX] = useUrlParam("x", "step");
  const [log, setLog] = useUrlParam("log", "0");
  const [smooth, setSmooth] = useUrlParam("smooth", "0");
  const [outliers, setOutliers] = useUrlParam("outliers", "0");
  const [band, setBand] = useUrlParam("band", "1");
  const xKind: XKind = x === "relative" || x === "wall" ? x : "step";
  const s = Math.min(0.99, Math.max(0, Number(smooth) || 0));
  const set = (p: Partial<Record<"x" | "log" | "smooth" | "outliers" | "band", string>>) => {
    // One param at a time: each setter replaces the URL from the current params.
    if (p.x !== undefined) setX(p.x);
    if (p.log !== undefined) setLog(p.log);
    if (p.smooth !== undefined) setSmooth(p.smooth);
    if (p.outliers !== undefined) setOutliers(p.outliers);
    if (p.band !== undefined) setBand(p.band);
  };
  return [{ xKind, log: log === "1", smoothing: s, ignoreOutliers: outliers === "1", band: band === "1" }, set];
}

export function ChartControls({
  options,
  set,
  showBand = true,
}: {
  options: ChartOptionsState;
  set: ReturnType<typeof useChartOptions>[1];
  showBand?: boolean;
}) {
  return (
    <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm" role="group" aria-label="Chart options">
      <label className="flex items-center gap-1.5">
        X-axis
        <select
          aria-label="X-axis"
          value={options.xKind}
          onChange={(e) => set({ x: e.target.value })}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
        >
          {X_KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1.5">
        <input type="checkbox" checked={options.log} onChange={(e) => set({ log: e.target.checked ? "1" : "0" })} /> Log scale
      </label>
      <label className="flex items-center gap-1.5">
        Smoothing
        <input
          type="range"
          aria-label="Smoothing"
          min={0}
          max={0.99}
          step={0.01}
          value={options.smoothing}
          onChange={(e) => set({ smooth: e.target.value })}
          className="w-32"
        />
        <span className="w-8 tabular-nums text-muted">{options.smoothing.toFixed(2)}</span>
      </label>
      <label className="flex items-center gap-1.5">
        <input type="checkbox" checked={options.ignoreOutliers} onChange={(e) => set({ outliers: e.target.checked ? "1" : "0" })} /> Ignore outliers
      </label>
      {showBand ? (
        <label className="flex items-center gap-1.5">
          <input type="checkbox" checked={options.band} onChange={(e) => set({ band: e.target.checked ? "1" : "0" })} /> Min/max band
        </label>
      ) : null}
    </div>
  );
}

export function MetricCard({
  runId,
  runName,
  color,
  metricKey,
  options,
  live,
}: {
  runId: string;
  runName: string;
  color: string;
  metricKey: string;
  options: ChartOptionsState;
  live: boolean;
}) {
  const trpc = useTRPC();
  const [zoom, setZoom] = useState<{ from: number; to: number; x: XKind } | null>(null);
  // A zoom made on another x-axis means nothing on this one.
  const range = zoom && zoom.x === options.xKind ? { from: zoom.from, to: zoom.to } : undefined;
  const q = useQuery(
    trpc.experiments.metricSeries.queryOptions(
      { runIds: [runId], key: metricKey, xAxis: options.xKind, range, maxPoints: 1000 },
      { refetchInterval: live ? 5000 : false, placeholderData: (prev) => prev },
    ),
  );
  const s = q.data?.series[0];
  const chart = prepareMetricChart(s ? [{ runId, runName, color, points: s.points }] : [], options);
  return (
    <Card className="p-3">
      <div className="mb-1 flex items-baseline justify-between gap-2">
        <h3 className="truncate font-mono text-sm font-semibold" title={metricKey}>
          {metricKey}
        </h3>
        <div className="flex items-center gap-2 text-xs text-muted">
          {s ? (
            <span title={s.downsampled ? "Downsampled on the server; the band shows each bucket's true min and max" : "Every point"}>
              {s.downsampled ? `${s.points.length} of ${s.total.toLocaleString("en")} points` : `${s.total.toLocaleString("en")} points`}
              {s.nonFinite ? ` · ${s.nonFinite} NaN/Inf not drawn` : ""}
            </span>
          ) : null}
          {range ? (
            <Button variant="ghost" className="px-1.5 py-0.5 text-xs" onClick={() => setZoom(null)}>
              Reset zoom
            </Button>
          ) : null}
        </div>
      </div>
      {q.error ? (
        <p className="text-sm text-red-600 dark:text-red-400">{q.error.message}</p>
      ) : !s && q.isPending ? (
        <div className="h-[220px] animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
      ) : s && s.points.length ? (
        <MetricChart
          chart={chart}
          xKind={options.xKind}
          log={options.log}
          band={options.band && s.downsampled}
          height={220}
          onZoom={(from, to) => setZoom({ from, to, x: options.xKind })}
        />
      ) : (
        <p className="py-8 text-center text-sm text-muted">No drawable points{range ? " in this range" : ""}.</p>
      )}
      {range ? (
        <p className="mt-1 text-xs text-muted">
          Zoomed to {formatX(range.from, options.xKind)} – {formatX(range.to, options.xKind)}
        </p>
      ) : s && s.points.length > 1 ? (
        <p className="mt-1 text-xs text-muted">Drag across the chart to zoom. Last value {formatValue(s.points[s.points.length - 1].y)}.</p>
      ) : null}
    </Card>
  );
}
