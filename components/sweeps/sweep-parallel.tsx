"use client";
// Parallel coordinates for a sweep as SVG: one axis per parameter (most important first), the objective last; lines
// coloured by rank (warm = better). Lines arrive thinned on the server, so a 2,000-trial sweep draws at most 600.
import { useState } from "react";
import { formatValue, valueColor } from "@/components/experiments/chart-data";
import type { SweepView } from "@/server/sweeps/service";

const W = 960;
const H = 340;
const PAD = { top: 40, bottom: 24, left: 84, right: 64 };

type Parallel = NonNullable<SweepView["parallel"]>;

export function SweepParallel({ data, objective, direction }: { data: Parallel; objective: string; direction: "min" | "max" }) {
  const [hover, setHover] = useState<string | null>(null);
  const { axes, lines, omitted } = data;
  const xAt = (i: number) => PAD.left + (axes.length === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (axes.length - 1));
  const yAt = (t: number) => PAD.top + (1 - t) * (H - PAD.top - PAD.bottom);
  const path = (positions: (number | null)[]) => {
    let d = "";
    let pen = false;
    positions.forEach((p, i) => {
      if (p === null) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${xAt(i).toFixed(1)},${yAt(p).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const hovered = lines.find((l) => l.runId === hover);
  const title = `Parallel coordinates of ${lines.length} trials over ${axes
    .slice(0, -1)
    .map((a) => a.label)
    .join(", ")} to ${objective}; warmer lines are better (${direction === "max" ? "higher" : "lower"} ${objective}).`;
  return (
    <figure>
      {/* Focusable so a keyboard can scroll the chart sideways on a phone, where it is wider than the screen. */}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Parallel coordinates chart (scrolls sideways)">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className="h-auto w-full min-w-[640px] text-muted" data-testid="sweep-parallel">
          <g fill="none">
            {lines.map((l) => (
              <path
                key={l.runId}
                d={path(l.positions)}
                stroke={valueColor(l.t)}
                strokeWidth={hover === l.runId ? 3 : 1.1}
                strokeOpacity={hover && hover !== l.runId ? 0.12 : 0.7}
                onMouseEnter={() => setHover(l.runId)}
                onMouseLeave={() => setHover(null)}
              >
                <title>{`${l.runName}: ${objective} = ${formatValue(l.value)}`}</title>
              </path>
            ))}
          </g>
          {axes.map((a, i) => (
            <g key={a.key} transform={`translate(${xAt(i)},0)`}>
              <line y1={yAt(0)} y2={yAt(1)} stroke="currentColor" strokeOpacity={0.6} />
              <text y={PAD.top - 18} textAnchor="middle" fontSize={12} fontWeight={600} fill="currentColor" className="text-zinc-800 dark:text-zinc-200">
                {(a.label.length > 20 ? `${a.label.slice(0, 19)}…` : a.label) + (a.kind === "log" ? " (log)" : "")}
              </text>
              {a.ticks
                .filter((_, j, all) => all.length <= 10 || j % Math.ceil(all.length / 10) === 0)
                .map((t) => (
                  <g key={`${t.label}-${t.at}`} transform={`translate(0,${yAt(t.at)})`}>
                    <line x2={-4} stroke="currentColor" />
                    <text
                      x={-6}
                      dy="0.32em"
                      textAnchor="end"
                      fontSize={10}
                      fill="currentColor"
                      paintOrder="stroke"
                      strokeWidth={3}
                      strokeLinejoin="round"
                      className="stroke-white dark:stroke-zinc-900"
                    >
                      {t.label.length > 12 ? `${t.label.slice(0, 11)}…` : t.label}
                    </text>
                  </g>
                ))}
            </g>
          ))}
        </svg>
      </div>
      <figcaption className="mt-1 text-xs text-muted" aria-live="polite">
        {hovered
          ? `${hovered.runName}: ${objective} = ${formatValue(hovered.value)}`
          : `${lines.length} trials drawn${omitted ? ` (the best 100 and an even sample of the rest; ${omitted} more not drawn)` : ""}. Warm lines are better. The top trials table below has the same values as text.`}
      </figcaption>
    </figure>
  );
}
