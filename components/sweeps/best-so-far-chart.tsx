"use client";
// The best objective value after each trial (a step line) over each trial's own value (dots), on shaped points.
import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue } from "@/components/experiments/chart-data";
import type { SweepView } from "@/server/sweeps/service";

export function BestSoFarChart({ curve, objective, direction }: { curve: SweepView["curve"]; objective: string; direction: "min" | "max" }) {
  const last = curve.at(-1);
  const label = `Best ${objective} so far over ${last?.trial ?? 0} trials (${direction === "max" ? "higher" : "lower"} is better)${last ? `; best ${formatValue(last.best)}` : ""}`;
  return (
    <figure aria-label={label} className="w-full text-muted" data-testid="best-so-far">
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart data={curve} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
          <XAxis
            dataKey="trial"
            type="number"
            domain={[1, "dataMax"]}
            allowDecimals={false}
            fontSize={11}
            stroke="currentColor"
            strokeOpacity={0.5}
            label={{ value: "trial (start order)", position: "insideBottom", offset: -8, fontSize: 11 }}
          />
          <YAxis fontSize={11} width={64} domain={["auto", "auto"]} tickFormatter={(v: number) => formatValue(v)} stroke="currentColor" strokeOpacity={0.5} />
          <Tooltip isAnimationActive={false} labelFormatter={(t) => `Trial ${t}`} formatter={(v) => (typeof v === "number" ? formatValue(v) : String(v))} />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
          <Scatter name={`trial ${objective}`} dataKey="value" fill="#71717a" fillOpacity={0.55} isAnimationActive={false} />
          <Line name="best so far" type="stepAfter" dataKey="best" stroke="#ea580c" strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">{label}</figcaption>
    </figure>
  );
}
