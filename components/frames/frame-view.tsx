"use client";
// The frame at full width with its ground-truth boxes drawn over it (SVG in image coordinates), toggleable. Large
// boxes carry their label inside, small ones above, so nested labels do not collide.
import { useState } from "react";
import type { Frame, GroundTruthBox } from "./types";

const COLORS: Record<string, string> = { text: "#e879f9", plate: "#22d3ee", sign: "#facc15", car: "#4ade80", truck: "#fb923c", bus: "#fb923c" };
const colorOf = (label: string) => COLORS[label] ?? "#f87171";

export function FrameView({ frame }: { frame: Frame }) {
  const boxes: GroundTruthBox[] = frame.groundTruth?.boxes ?? [];
  const [show, setShow] = useState(true);
  const fontSize = Math.max(10, frame.width / 55);
  const labels = [...new Set(boxes.map((b) => b.label))];
  return (
    <div className="space-y-2">
      <figure className="relative overflow-hidden rounded-lg border border-zinc-200 bg-zinc-900 dark:border-zinc-800">
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={frame.imageUrl} alt={frame.name} width={frame.width} height={frame.height} decoding="async" className="block h-auto w-full" />
        {show && boxes.length ? (
          <svg
            viewBox={`0 0 ${frame.width} ${frame.height}`}
            className="pointer-events-none absolute inset-0 h-full w-full"
            role="img"
            aria-label={`${boxes.length} ground-truth boxes`}
            data-testid="ground-truth-overlay"
          >
            {boxes.map((b, i) => (
              <g key={i}>
                <rect x={b.x} y={b.y} width={b.w} height={b.h} fill="none" stroke={colorOf(b.label)} strokeWidth={2} vectorEffect="non-scaling-stroke" />
                {b.label !== "text" ? (
                  <text
                    x={b.h > fontSize * 4 ? b.x + 3 : b.x + 1}
                    y={b.h > fontSize * 4 ? b.y + fontSize + 2 : b.y > fontSize + 2 ? b.y - 3 : b.y + b.h + fontSize}
                    fontSize={fontSize}
                    fill={colorOf(b.label)}
                    stroke="#000"
                    strokeWidth={fontSize / 5}
                    paintOrder="stroke"
                    fontFamily="ui-sans-serif, system-ui, sans-serif"
                  >
                    {b.text ? `${b.label}: ${b.text}` : b.label}
                  </text>
                ) : null}
              </g>
            ))}
          </svg>
        ) : null}
      </figure>
      {boxes.length ? (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={show} onChange={(e) => setShow(e.currentTarget.checked)} /> Show ground truth ({boxes.length}{" "}
            {boxes.length === 1 ? "box" : "boxes"})
          </label>
          {labels.map((l) => (
            <span key={l} className="flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="inline-block size-3 rounded-sm border-2" style={{ borderColor: colorOf(l) }} /> {l}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}
