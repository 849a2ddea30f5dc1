"use client";
// Parallel coordinates drawn as SVG: one vertical axis per field, one polyline per run, a missing value breaking the
// line. Used by the run comparison and the sweep page; each shapes its axes and lines, this only draws them.
import { useState } from "react";

export type PcAxis = { key: string; label: string; ticks: { label: string; at: number }[] };
export type PcLine = { id: string; positions: (number | null)[]; color: string; tooltip: string };

const W = 960;
const PAD = { top: 40, bottom: 24, left: 90, right: 64 };
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function ParallelCoordinates({
  axes,
  lines,
  title,
  caption,
  height = 360,
  maxTicks = 12,
  scroll = false,
  testId = "parallel-coordinates",
}: {
  axes: PcAxis[];
  lines: PcLine[];
  title: string;
  /** The caption under the chart, given the hovered line (null when none). */
  caption: (hovered: PcLine | null) => string;
  height?: number;
  maxTicks?: number;
  /** Wider than a phone: scroll sideways in a focusable region, so a keyboard can scroll it too. */
  scroll?: boolean;
  testId?: string;
}) {
  const [hover, setHover] = useState<string | null>(null);
  const xAt = (i: number) => PAD.left + (axes.length === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (axes.length - 1));
  const yAt = (t: number) => PAD.top + (1 - t) * (height - PAD.top - PAD.bottom);
  const path = (l: PcLine) => {
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
  const svg = (
    <svg
      viewBox={`0 0 ${W} ${height}`}
      role="img"
      aria-label={title}
      className={`h-auto w-full text-muted ${scroll ? "min-w-[640px]" : ""}`}
      data-testid={testId}
    >
      <title>{title}</title>
      <g fill="none">
        {lines.map((l) => (
          <path
            key={l.id}
            d={path(l)}
            stroke={l.color}
            strokeWidth={hover === l.id ? 3 : 1.2}
            strokeOpacity={hover && hover !== l.id ? 0.15 : 0.72}
            onMouseEnter={() => setHover(l.id)}
            onMouseLeave={() => setHover(null)}
          >
            <title>{l.tooltip}</title>
          </path>
        ))}
      </g>
      {axes.map((a, i) => (
        <g key={a.key} transform={`translate(${xAt(i)},0)`}>
          <line y1={yAt(0)} y2={yAt(1)} stroke="currentColor" strokeOpacity={0.6} />
          <text y={PAD.top - 16} textAnchor="middle" fontSize={12} fontWeight={600} fill="currentColor" className="text-zinc-800 dark:text-zinc-200">
            {a.label}
          </text>
          {a.ticks
            .filter((_, j, all) => all.length <= maxTicks || j % Math.ceil(all.length / maxTicks) === 0)
            .map((t) => (
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
                  {cut(t.label, 14)}
                </text>
              </g>
            ))}
        </g>
      ))}
    </svg>
  );
  return (
    <figure>
      {scroll ? (
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Parallel coordinates chart (scrolls sideways)">
          {svg}
        </div>
      ) : (
        svg
      )}
      <figcaption className="mt-1 text-xs text-muted" aria-live="polite">
        {caption(lines.find((l) => l.id === hover) ?? null)}
      </figcaption>
    </figure>
  );
}

/** Axis labels as the chart writes them: short enough for the space between axes. */
export const axisLabel = (label: string, max = 22) => cut(label, max);
