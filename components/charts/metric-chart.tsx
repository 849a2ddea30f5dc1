"use client";
// A metric's curves from prepared lines: optional min/max band per line, log scale, and drag-to-zoom on the x-axis.
// Few lines share merged rows (so zoom and the tooltip can find x); many lines keep their own data (no merge cost).
import { useState } from "react";
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue, formatX, mergeLines, type PreparedChart, type XKind } from "@/components/experiments/chart-data";
import { middleEllipsis } from "@/lib/format";

type Props = {
  chart: PreparedChart;
  xKind: XKind;
  log: boolean;
  band: boolean;
  height?: number;
  /** Called with the x-range the reader dragged over; absent means no zoom (many lines). */
  onZoom?: (from: number, to: number) => void;
  /** Lines whose run is hidden through the legend. */
  hidden?: ReadonlySet<string>;
};

const MERGE_LIMIT = 8;

export function MetricChart({ chart, xKind, log, band, height = 240, onZoom, hidden }: Props) {
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const lines = chart.lines.filter((l) => !hidden?.has(l.runId));
  const merged = lines.length <= MERGE_LIMIT;
  const rows = merged ? mergeLines(lines) : undefined;
  const span = chart.xDomain ? chart.xDomain[1] - chart.xDomain[0] : 0;
  const yDomain = chart.yDomain ?? (log ? ["dataMin", "dataMax"] : ["auto", "auto"]);
  const x = (v: unknown) => (typeof v === "number" ? v : null);

  return (
    <div style={{ height }} className="select-none" data-testid="metric-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart
          data={rows}
          margin={{ top: 8, right: 16, bottom: 4, left: 4 }}
          onMouseDown={onZoom && merged ? (s) => x(s?.activeLabel) !== null && setDrag({ from: x(s.activeLabel)!, to: x(s.activeLabel)! }) : undefined}
          onMouseMove={drag ? (s) => x(s?.activeLabel) !== null && setDrag({ ...drag, to: x(s.activeLabel)! }) : undefined}
          onMouseUp={
            drag
              ? () => {
                  const lo = Math.min(drag.from, drag.to);
                  const hi = Math.max(drag.from, drag.to);
                  setDrag(null);
                  if (hi > lo) onZoom?.(lo, hi);
                }
              : undefined
          }
        >
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
          <XAxis
            dataKey="x"
            type="number"
            domain={chart.xDomain ?? ["dataMin", "dataMax"]}
            allowDataOverflow
            tickFormatter={(v: number) => formatX(v, xKind, span)}
            tick={{ fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.4}
          />
          <YAxis
            type="number"
            scale={log ? "log" : "auto"}
            domain={yDomain}
            allowDataOverflow
            tickFormatter={(v: number) => formatValue(v)}
            tick={{ fontSize: 11 }}
            width={56}
            stroke="currentColor"
            strokeOpacity={0.4}
          />
          {merged ? (
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(v) => (typeof v === "number" ? `${xKind === "step" ? "step " : ""}${formatX(v, xKind, span)}` : String(v))}
              formatter={(v, name) => [Array.isArray(v) ? v.map((n) => formatValue(Number(n))).join(" … ") : formatValue(Number(v)), String(name)]}
              contentStyle={{ fontSize: 12 }}
            />
          ) : null}
          {band
            ? lines.map((l, i) => {
                const common = {
                  name: `${l.runName} min–max`,
                  stroke: "none",
                  fill: l.color,
                  fillOpacity: 0.15,
                  isAnimationActive: false,
                  connectNulls: true,
                  legendType: "none" as const,
                  activeDot: false,
                };
                return merged ? (
                  <Area key={`band-${l.runId}`} dataKey={`b${i}`} {...common} />
                ) : (
                  <Area key={`band-${l.runId}`} data={l.points} dataKey="band" {...common} />
                );
              })
            : null}
          {lines.map((l, i) => {
            const thin = lines.length > 30;
            const common = {
              name: middleEllipsis(l.runName, 32),
              stroke: l.color,
              dot: false,
              strokeWidth: thin ? 1 : 1.5,
              strokeOpacity: thin ? 0.7 : 1,
              isAnimationActive: false,
              connectNulls: true,
            };
            return merged ? <Line key={l.runId} dataKey={`y${i}`} {...common} /> : <Line key={l.runId} data={l.points} dataKey="y" {...common} />;
          })}
          {drag ? <ReferenceArea x1={Math.min(drag.from, drag.to)} x2={Math.max(drag.from, drag.to)} fill="#3b82f6" fillOpacity={0.15} /> : null}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
