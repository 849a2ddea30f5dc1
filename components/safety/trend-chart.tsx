"use client";
// Recall and precision over releases, from points shaped by prepareTrend.
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type TrendDatum = { label: string; recall: number | null; precision: number | null };

export function TrendChart({ data, label }: { data: TrendDatum[]; label: string }) {
  if (data.length < 2) return <span className="text-xs text-muted">one release</span>;
  return (
    <div className="h-14 w-28" role="img" aria-label={`${label}: recall ${data.map((d) => `${d.label} ${d.recall ?? "—"}%`).join(", ")}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <XAxis dataKey="label" hide />
          <YAxis hide domain={["dataMin - 1", "dataMax + 1"]} />
          <Tooltip formatter={(v) => `${v}%`} contentStyle={{ fontSize: 12 }} />
          <Line type="monotone" dataKey="recall" name="Recall" stroke="#2f6fed" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
          <Line
            type="monotone"
            dataKey="precision"
            name="Precision"
            stroke="#71717a"
            strokeDasharray="3 2"
            strokeWidth={1.5}
            dot={{ r: 2 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
