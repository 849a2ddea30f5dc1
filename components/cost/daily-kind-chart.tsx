"use client";
// Daily spend stacked by resource kind, from data shaped by prepareDailyByKind (one bar per day: at most 31).
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { KindDatum } from "@/lib/cost-format";

const COLORS: Record<string, string> = {
  gpu_hours: "#2f6fed",
  cpu_hours: "#60a5fa",
  memory: "#a78bfa",
  storage: "#34d399",
  network_egress: "#fbbf24",
  llm_tokens: "#f472b6",
  device_bandwidth: "#fb923c",
  other: "#a1a1aa",
};

export function DailyKindChart({
  data,
  kinds,
  labels,
  anomalies,
}: {
  data: KindDatum[];
  kinds: string[];
  labels: Record<string, string>;
  anomalies: string[];
}) {
  return (
    <div
      className="h-72 w-full"
      role="img"
      aria-label={`Daily spend by resource kind, ${data.length} days${anomalies.length ? `; anomalies on ${anomalies.join(", ")}` : ""}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="currentColor" strokeOpacity={0.15} />
          {/* Ticks and legend in the text colour of the theme: the series colours are too light to read as text. */}
          <XAxis
            dataKey="day"
            tickFormatter={(d: string) => d.slice(8)}
            fontSize={11}
            tick={{ fill: "currentColor" }}
            stroke="currentColor"
            strokeOpacity={0.5}
          />
          <YAxis
            tickFormatter={(v: number) => `$${v >= 1000 ? `${Math.round(v / 100) / 10}k` : v}`}
            fontSize={11}
            width={48}
            tick={{ fill: "currentColor" }}
            stroke="currentColor"
            strokeOpacity={0.5}
          />
          <Tooltip formatter={(v, name) => [`$${Number(v).toFixed(2)}`, labels[String(name)] ?? String(name)]} />
          <Legend
            formatter={(name: string) => <span className="text-zinc-700 dark:text-zinc-300">{labels[name] ?? name}</span>}
            wrapperStyle={{ fontSize: 12 }}
          />
          {kinds.map((k) => (
            <Bar key={k} dataKey={k} stackId="kind" fill={COLORS[k] ?? "#a1a1aa"} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
