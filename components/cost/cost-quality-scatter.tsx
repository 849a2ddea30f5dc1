"use client";
// Cost per 1,000 inferences against recall, one point per model version: cheaper is left, better is up.
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";

export type CostQualityPoint = { label: string; dollarsPer1k: number; recall: number };

const COLOURS = ["#2f6fed", "#16a34a", "#ea580c", "#9333ea", "#db2777", "#0891b2"];

export function CostQualityScatter({ points }: { points: CostQualityPoint[] }) {
  const models = [...new Set(points.map((p) => p.label.split(" ")[0]))];
  const colour = (p: CostQualityPoint) => COLOURS[models.indexOf(p.label.split(" ")[0]) % COLOURS.length];
  return (
    <div
      className="h-80"
      role="img"
      aria-label={`Cost against quality: ${points.map((p) => `${p.label} $${p.dollarsPer1k.toFixed(4)} per 1k, recall ${(p.recall * 100).toFixed(1)}%`).join("; ")}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 16, right: 24, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
          <XAxis
            dataKey="dollarsPer1k"
            type="number"
            name="Cost per 1k inferences"
            domain={[0, (max: number) => max * 1.3]}
            tickFormatter={(v: number) => `$${v.toFixed(3)}`}
            tick={{ fontSize: 11 }}
            label={{ value: "Cost per 1,000 inferences (USD)", position: "insideBottom", offset: -14, fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
          />
          <YAxis
            dataKey="recall"
            type="number"
            name="Recall"
            domain={[(min: number) => Math.max(0, Math.floor(min * 100 - 2) / 100), (max: number) => Math.min(1, Math.ceil(max * 100 + 2) / 100)]}
            tickFormatter={(v: number) => `${(v * 100).toFixed(0)}%`}
            tick={{ fontSize: 11 }}
            width={52}
            label={{ value: "Recall", angle: -90, position: "insideLeft", fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
          />
          <Tooltip
            isAnimationActive={false}
            content={({ payload }) => {
              const p = payload?.[0]?.payload as CostQualityPoint | undefined;
              return p ? (
                <div className="rounded border border-zinc-200 bg-white px-2 py-1 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
                  <div className="font-medium">{p.label}</div>${p.dollarsPer1k.toFixed(4)} per 1k · recall {(p.recall * 100).toFixed(1)}%
                </div>
              ) : null;
            }}
          />
          <Scatter
            data={points}
            isAnimationActive={false}
            shape={(s: { cx?: number; cy?: number; payload?: CostQualityPoint }) => (
              <g>
                <circle cx={s.cx} cy={s.cy} r={6} fill={s.payload ? colour(s.payload) : "#888"} fillOpacity={0.85} />
                {/* One line of text per point (recharts' own labels wrap long slugs). */}
                <text x={s.cx} y={(s.cy ?? 0) - 10} textAnchor="middle" fontSize={11} fill="currentColor">
                  {s.payload?.label}
                </text>
              </g>
            )}
          />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
