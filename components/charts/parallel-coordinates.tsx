"use client";
// Parallel coordinates drawn as SVG: one vertical axis per param, the chosen metric last; one polyline per run.
import { useState } from "react";
import type { Axis, ParallelLine } from "@/components/experiments/chart-data";
import { formatValue } from "@/components/experiments/chart-data";

const W = 960;
const H = 360;
const PAD = { top: 40, bottom: 24, left: 96, right: 64 };

export function ParallelCoordinates({ axes, lines, title }: { axes: Axis[]; lines: ParallelLine[]; title: string }) {
  const [hover, setHover] = useState<string | null>(null);
  const xAt = (i: number) => PAD.left + (axes.length === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (axes.length - 1));
  const yAt = (t: number) => PAD.top + (1 - t) * (H - PAD.top - PAD.bottom);
  // Segments between consecutive axes where both positions exist (a missing value breaks the line).
  const path = (l: ParallelLine) => {
    let d = "";
    let pen = false;
    l.positions.forEach((p, i) => {
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
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className="h-auto w-full text-muted" data-testid="parallel-coordinates">
        <title>{title}</title>
        <g fill="none">
          {lines.map((l) => (
            <path
              key={l.runId}
              d={path(l)}
              stroke={l.color}
              strokeWidth={hover === l.runId ? 3 : 1.25}
              strokeOpacity={hover && hover !== l.runId ? 0.15 : 0.75}
              onMouseEnter={() => setHover(l.runId)}
              onMouseLeave={() => setHover(null)}
            >
              <title>{`${l.runName}: ${formatValue(l.value)}`}</title>
            </path>
          ))}
        </g>
        {axes.map((a, i) => (
          <g key={a.key} transform={`translate(${xAt(i)},0)`}>
            <line y1={yAt(0)} y2={yAt(1)} stroke="currentColor" strokeOpacity={0.6} />
            <text y={PAD.top - 16} textAnchor="middle" fontSize={12} fontWeight={600} fill="currentColor" className="text-zinc-800 dark:text-zinc-200">
              {a.label.length > 22 ? `${a.label.slice(0, 21)}…` : a.label}
            </text>
            {(a.kind === "numeric"
              ? a.ticks.map((t) => ({ label: formatValue(t.value), at: t.at }))
              : a.ticks.filter((_, j, all) => all.length <= 12 || j % Math.ceil(all.length / 12) === 0)
            ).map((t) => (
              <g key={`${t.label}-${t.at}`} transform={`translate(0,${yAt(t.at)})`}>
                <line x2={-4} stroke="currentColor" />
                {/* A halo in the background colour keeps labels readable over the lines. */}
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
                  {t.label.length > 14 ? `${t.label.slice(0, 13)}…` : t.label}
                </text>
              </g>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="mt-1 text-xs text-muted">
        {hovered
          ? `${hovered.runName}: ${axes[axes.length - 1].label} = ${formatValue(hovered.value)}`
          : `${lines.length} runs; warm lines are the better ${axes[axes.length - 1]?.label ?? ""}. Hover a line to pick it out.`}
      </figcaption>
    </figure>
  );
}
