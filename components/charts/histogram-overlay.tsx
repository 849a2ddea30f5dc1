"use client";
// Reference and current distributions overlaid as shares per bin or category.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type OverlayRow = { label: string; reference: number; current: number };

export function HistogramOverlay({ rows, height = 200, label }: { rows: OverlayRow[]; height?: number; label: string }) {
  const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
  return (
    <figure aria-label={label} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barGap={0} barCategoryGap="10%">
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.1} />
          <XAxis dataKey="label" fontSize={10} interval="preserveStartEnd" minTickGap={6} stroke="currentColor" strokeOpacity={0.5} />
          <YAxis fontSize={11} tickFormatter={pct} width={44} stroke="currentColor" strokeOpacity={0.5} />
          <Tooltip formatter={(v) => (typeof v === "number" ? pct(v) : String(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="reference" name="Reference" fill="#64748b" isAnimationActive={false} />
          <Bar dataKey="current" name="Current" fill="#f59e0b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
