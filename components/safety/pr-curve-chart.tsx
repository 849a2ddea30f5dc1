"use client";
// Precision-recall curves of candidate and production overlaid, each with its operating point marked.
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";

type Point = { threshold: number; recall: number; precision: number };
type Side = { label: string; points: Point[]; operating: { recall: number; precision: number } | null };
type Drawn = Side & { colour: string; dashed: boolean };

const COLOURS: Record<"candidate" | "production", string> = { candidate: "#2f6fed", production: "#71717a" };
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function PrCurveChart({ title, candidate, production }: { title: string; candidate: Side | null; production: Side | null }) {
  // Production first, dashed and hollow-marked, so the candidate drawn over it never hides it when the two nearly coincide.
  const sides: Drawn[] = [
    ...(production ? [{ ...production, colour: COLOURS.production, dashed: true }] : []),
    ...(candidate ? [{ ...candidate, colour: COLOURS.candidate, dashed: false }] : []),
  ];
  const all = sides.flatMap((s) => [...s.points, ...(s.operating ? [s.operating] : [])]);
  // Zoom on the data rather than the unit square: the interesting part is usually the top right corner.
  const lo = (k: "recall" | "precision") => Math.max(0, Math.floor(Math.min(...all.map((p) => p[k])) * 20) / 20);
  const summary = sides
    .map((s) =>
      s.operating
        ? `${s.label} operating point recall ${pct(s.operating.recall)}, precision ${pct(s.operating.precision)}`
        : `${s.label} without an operating point`,
    )
    .join("; ");
  return (
    <figure className="min-w-0">
      <div className="h-72" role="img" aria-label={`${title}: precision against recall. ${summary}`}>
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
            <XAxis
              dataKey="recall"
              type="number"
              name="Recall"
              domain={[lo("recall"), 1]}
              tickFormatter={pct}
              tick={{ fontSize: 11 }}
              label={{ value: "Recall", position: "insideBottom", offset: -12, fontSize: 12 }}
              stroke="currentColor"
              strokeOpacity={0.4}
            />
            <YAxis
              dataKey="precision"
              type="number"
              name="Precision"
              domain={[lo("precision"), 1]}
              tickFormatter={pct}
              tick={{ fontSize: 11 }}
              width={56}
              label={{ value: "Precision", angle: -90, position: "insideLeft", fontSize: 12 }}
              stroke="currentColor"
              strokeOpacity={0.4}
            />
            <Tooltip
              isAnimationActive={false}
              content={({ payload }) => {
                const p = payload?.[0]?.payload as Partial<Point> | undefined;
                return p && p.recall !== undefined && p.precision !== undefined ? (
                  <div className="rounded border border-zinc-200 bg-white px-2 py-1 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
                    {p.threshold === undefined ? "Operating point" : `Threshold ${p.threshold}`}
                    <br />
                    Recall {pct(p.recall)} · precision {pct(p.precision)}
                  </div>
                ) : null;
              }}
            />
            {/* No fixed height: on a phone the legend wraps to several lines and the chart must start below it. */}
            <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
            {sides.map((s) => (
              <Scatter
                key={s.label}
                name={s.label}
                data={s.points}
                line={{ stroke: s.colour, strokeWidth: 2, strokeDasharray: s.dashed ? "6 4" : undefined }}
                fill={s.colour}
                isAnimationActive={false}
                shape={(p: { cx?: number; cy?: number }) => <circle cx={p.cx} cy={p.cy} r={2.5} fill={s.colour} />}
              />
            ))}
            {sides.map((s) =>
              s.operating ? (
                <Scatter
                  key={`${s.label}-op`}
                  name={`${s.label} operating point`}
                  data={[s.operating]}
                  fill={s.colour}
                  legendType="diamond"
                  isAnimationActive={false}
                  shape={(p: { cx?: number; cy?: number }) => {
                    const r = s.dashed ? 11 : 7;
                    return (
                      <path
                        d={`M${p.cx ?? 0},${(p.cy ?? 0) - r} l${r},${r} l-${r},${r} l-${r},-${r} z`}
                        fill={s.dashed ? "none" : s.colour}
                        stroke={s.dashed ? s.colour : "#111827"}
                        strokeWidth={s.dashed ? 2.5 : 1.5}
                      />
                    );
                  }}
                />
              ) : null,
            )}
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="font-medium">{title}.</span>{" "}
        {sides.map((s) => (
          <span key={s.label} data-testid="operating-point" className="mr-3 inline-block">
            <span aria-hidden style={{ color: s.colour }}>
              ◆
            </span>{" "}
            {s.operating ? `${s.label}: recall ${pct(s.operating.recall)}, precision ${pct(s.operating.precision)}` : `${s.label}: no operating point`}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
