"use client";
// Time series on prepared, already downsampled rows; an optional horizontal threshold line.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { percentDomain } from "@/lib/chart-domain";

export type SeriesDef = { key: string; label: string; color: string };
export type TimeRow = { t: number } & Record<string, number | null>;

/** Series after the first are dashed, so lines are told apart by pattern and legend label, not by colour alone. */
export const SERIES_DASHES = [undefined, "6 3", "2 3", "8 3 2 3", "1 2"];

const fmtTime = (spanMs: number) => (t: number) => {
  const d = new Date(t);
  return spanMs > 2 * 86_400_000
    ? `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, "0")}h`
    : `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
};

export function TimeSeriesChart({
  rows,
  series,
  threshold,
  thresholdLabel,
  from,
  to,
  height = 200,
  unit = "",
  percent = false,
  gaps = false,
  label,
}: {
  rows: TimeRow[];
  series: SeriesDef[];
  threshold?: number | null;
  thresholdLabel?: string;
  from: number;
  to: number;
  height?: number;
  unit?: string;
  percent?: boolean;
  /** Null values break the line (missing evaluations), and points show as dots so a lone window is visible. */
  gaps?: boolean;
  label: string;
}) {
  const fmt = fmtTime(to - from);
  // Percentages fit their data (and the threshold); other axes start at zero and grow to the data and the threshold.
  const domain = percent ? percentDomain([...rows.flatMap((r) => series.map((s) => r[s.key])), threshold]) : undefined;
  const value = (v: number) => (percent ? `${(v * 100).toFixed(Math.abs(v) < 0.01 ? 2 : Math.abs(v) >= 10 ? 0 : 1)}%` : `${Number(v.toPrecision(3))}${unit}`);
  return (
    <figure aria-label={label} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.1} />
          <XAxis
            dataKey="t"
            type="number"
            domain={[from, to]}
            scale="time"
            tickFormatter={fmt}
            fontSize={11}
            minTickGap={28}
            stroke="currentColor"
            strokeOpacity={0.5}
          />
          <YAxis fontSize={11} tickFormatter={value} width={64} domain={domain} allowDataOverflow={Boolean(domain)} stroke="currentColor" strokeOpacity={0.5} />
          <Tooltip
            labelFormatter={(t) => new Date(Number(t)).toISOString().replace("T", " ").slice(0, 16) + " UTC"}
            formatter={(v) => (typeof v === "number" ? value(v) : String(v))}
          />
          {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {threshold != null ? (
            <ReferenceLine
              y={threshold}
              ifOverflow="extendDomain"
              stroke="var(--sentinel-danger)"
              strokeDasharray="6 3"
              label={{ value: thresholdLabel ?? "threshold", fontSize: 11, fill: "var(--sentinel-danger)", position: "insideBottomRight" }}
            />
          ) : null}
          {series.map((s, i) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={s.color}
              strokeDasharray={SERIES_DASHES[i % SERIES_DASHES.length]}
              dot={gaps ? { r: 2.5 } : false}
              strokeWidth={1.75}
              isAnimationActive={false}
              connectNulls={!gaps}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
