"use client";
// Scatter of prepared points; categorical axes arrive as indexes with their labels.
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue, type ScatterPoint } from "@/components/experiments/chart-data";

export function ScatterPlot({
  points,
  xLabel,
  yLabel,
  xCategories,
  yCategories,
  colorOf,
}: {
  points: ScatterPoint[];
  xLabel: string;
  yLabel: string;
  xCategories: string[] | null;
  yCategories: string[] | null;
  colorOf: (runId: string) => string;
}) {
  const tick = (cats: string[] | null) => (v: number) => (cats ? (cats[v] ?? "") : formatValue(v));
  const ticks = (cats: string[] | null) => (cats ? cats.map((_, i) => i) : undefined);
  return (
    <div className="h-80" data-testid="scatter-plot">
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
          <XAxis
            dataKey="x"
            type="number"
            name={xLabel}
            domain={xCategories ? [-0.5, xCategories.length - 0.5] : ["auto", "auto"]}
            ticks={ticks(xCategories)}
            tickFormatter={tick(xCategories)}
            tick={{ fontSize: 11 }}
            label={{ value: xLabel, position: "insideBottom", offset: -12, fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
          />
          <YAxis
            dataKey="y"
            type="number"
            name={yLabel}
            domain={yCategories ? [-0.5, yCategories.length - 0.5] : ["auto", "auto"]}
            ticks={ticks(yCategories)}
            tickFormatter={tick(yCategories)}
            tick={{ fontSize: 11 }}
            width={64}
            label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
          />
          <Tooltip
            isAnimationActive={false}
            content={({ payload }) => {
              const p = payload?.[0]?.payload as ScatterPoint | undefined;
              return p ? (
                <div className="rounded border border-zinc-200 bg-white px-2 py-1 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
                  <div className="font-medium">{p.runName}</div>
                  {xLabel} = {p.xLabel}
                  <br />
                  {yLabel} = {p.yLabel}
                </div>
              ) : null;
            }}
          />
          <Scatter
            data={points}
            isAnimationActive={false}
            shape={(props: { cx?: number; cy?: number; payload?: ScatterPoint }) => (
              <circle cx={props.cx} cy={props.cy} r={4} fill={props.payload ? colorOf(props.payload.runId) : "#888"} fillOpacity={0.8} />
            )}
          />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
