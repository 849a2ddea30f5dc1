"use client";
// Horizontal bar chart of operator counts; receives data already ranked and cut.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function OperatorChart({ data, label }: { data: { op: string; count: number }[]; label: string }) {
  const longest = data.reduce((n, d) => Math.max(n, d.op.length), 0);
  return (
    <div role="img" aria-label={label} style={{ height: data.length * 24 + 40 }} className="w-full text-xs">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }}>
          <CartesianGrid horizontal={false} strokeOpacity={0.2} />
          <XAxis type="number" allowDecimals={false} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" strokeOpacity={0.3} />
          <YAxis
            type="category"
            dataKey="op"
            width={Math.min(200, 16 + longest * 7)}
            tick={{ fill: "currentColor", fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            interval={0}
          />
          <Tooltip cursor={{ fillOpacity: 0.1 }} contentStyle={{ fontSize: 12, color: "#18181b" }} formatter={(v) => [v, "nodes"]} />
          <Bar dataKey="count" name="nodes" fill="#2f6fed" radius={[0, 3, 3, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
