"use client";
// The lineage graph as SVG, laid out left to right: each node a link to its page (focusable, with a visible
// focus ring and a name that says its kind), labelled edges, an expand button per node that can be walked from.
import { useMemo } from "react";
import { layoutLineage, NODE_HEIGHT, NODE_WIDTH } from "@/lib/lineage-layout";
import type { LineageEdge, LineageNode } from "@/server/lineage/service";
import { KIND_NAME, KIND_STYLE } from "./kinds";

type Props = {
  nodes: LineageNode[];
  edges: LineageEdge[];
  focus: string;
  /** Node ids already expanded (their button says so). */
  expanded: ReadonlySet<string>;
  onExpand: (id: string) => void;
  /** Names the graph for assistive technology, e.g. "Lineage of run abc". */
  label: string;
};

const EXPAND = 22;

/** The small line above the name: the kind, and for cohorts their size. */
function kindLine(n: LineageNode) {
  if (n.kind === "group") return "Collapsed group";
  if (n.kind === "cohort") return `${KIND_NAME.cohort} · ${n.count ?? 0} devices`;
  return KIND_NAME[n.kind];
}

/** The accessible name is exactly the visible text, in reading order (WCAG 2.5.3, label in name). */
const nodeName = (n: LineageNode) => `${kindLine(n)} ${n.label}`;

export function LineageGraph({ nodes, edges, focus, expanded, onExpand, label }: Props) {
  const layout = useMemo(() => layoutLineage(nodes, edges), [nodes, edges]);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  return (
    <div className="overflow-x-auto" data-testid="lineage-scroll">
      <svg
        role="group"
        aria-label={label}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="block max-w-none text-zinc-900 dark:text-zinc-100"
      >
        <defs>
          <clipPath id="lineage-kind-clip" clipPathUnits="userSpaceOnUse">
            <rect x={0} y={0} width={NODE_WIDTH - EXPAND - 10} height={NODE_HEIGHT} />
          </clipPath>
          <clipPath id="lineage-name-clip" clipPathUnits="userSpaceOnUse">
            <rect x={0} y={0} width={NODE_WIDTH - 8} height={NODE_HEIGHT} />
          </clipPath>
          <marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="fill-zinc-500" />
          </marker>
        </defs>
        <g aria-hidden="true">
          {layout.edges.map((e) => (
            <g key={`${e.from}>${e.to}>${e.label}`}>
              <polyline
                points={e.points.map((p) => `${p.x},${p.y}`).join(" ")}
                fill="none"
                className="stroke-zinc-400 dark:stroke-zinc-500"
                strokeWidth={1.5}
                markerEnd="url(#lineage-arrow)"
              />
              <text
                x={e.labelX}
                y={e.labelY + 4}
                textAnchor="middle"
                // A halo in the card's colour keeps the label readable where it crosses a line.
                className="fill-zinc-700 stroke-white text-[11px] dark:fill-zinc-300 dark:stroke-zinc-900"
                paintOrder="stroke"
                strokeWidth={4}
              >
                {e.label}
              </text>
            </g>
          ))}
        </g>
        {layout.nodes.map((n) => {
          const isFocus = n.id === focus;
          return (
            <g key={n.id} transform={`translate(${n.x},${n.y})`}>
              <a href={n.href} aria-label={nodeName(n)} aria-current={isFocus ? "page" : undefined} className="group outline-none" data-node={n.id}>
                <rect
                  width={n.width}
                  height={n.height}
                  rx={8}
                  className={`${KIND_STYLE[n.kind]} group-focus-visible:stroke-[var(--color-focus)]`}
                  strokeWidth={isFocus ? 3 : 1.5}
                  strokeDasharray={n.kind === "group" ? "5 3" : undefined}
                />
                {/* The focus ring: drawn outside the box so it shows on every fill. */}
                <rect
                  x={-4}
                  y={-4}
                  width={n.width + 8}
                  height={n.height + 8}
                  rx={11}
                  fill="none"
                  className="hidden stroke-[var(--color-focus)] group-focus-visible:inline"
                  strokeWidth={3}
                />
                <text x={10} y={19} className="fill-zinc-700 text-[11px] dark:fill-zinc-300" clipPath="url(#lineage-kind-clip)">
                  {kindLine(n)}
                </text>
                {/* Without a space between the two lines the text reads as one run-together word ("Training rundet-…"). */}{" "}
                {/* The whole name stays in the text (clipped, not cut) so what is read is what is shown; the relations list below has every name in full. */}
                <text x={10} y={40} className="fill-current text-[13px] font-medium" clipPath="url(#lineage-name-clip)">
                  {n.label}
                </text>
              </a>
              {n.expandable && !isFocus ? (
                <g
                  role="button"
                  tabIndex={0}
                  aria-label={expanded.has(n.id) ? `${nodeName(n)}: expanded` : `Expand ${nodeName(n)}`}
                  aria-pressed={expanded.has(n.id)}
                  transform={`translate(${n.width - EXPAND - 4},4)`}
                  className="group/expand cursor-pointer outline-none"
                  onClick={() => onExpand(n.id)}
                  onKeyDown={(ev) => {
                    if (ev.key === "Enter" || ev.key === " ") {
                      ev.preventDefault();
                      onExpand(n.id);
                    }
                  }}
                >
                  <rect
                    width={EXPAND}
                    height={EXPAND}
                    rx={5}
                    className="fill-white stroke-zinc-500 group-focus-visible/expand:stroke-[var(--color-focus)] dark:fill-zinc-800"
                    strokeWidth={1.5}
                  />
                  <rect
                    x={-3}
                    y={-3}
                    width={EXPAND + 6}
                    height={EXPAND + 6}
                    rx={7}
                    fill="none"
                    className="hidden stroke-[var(--color-focus)] group-focus-visible/expand:inline"
                    strokeWidth={3}
                  />
                  {/* Drawn, not typed: a "+" glyph would be visible text missing from the button's name. */}
                  <path
                    d={expanded.has(n.id) ? "M6 11.5 L9.5 15 L16 7.5" : "M11 6 V16 M6 11 H16"}
                    fill="none"
                    className="stroke-current"
                    strokeWidth={2}
                    strokeLinecap="round"
                    strokeLinejoin="round"
                  />
                </g>
              ) : null}
            </g>
          );
        })}
      </svg>
      {/* The same relations as text, for screen readers (the drawn edges are hidden from them). */}
      <ul className="sr-only" aria-label="Lineage relations">
        {edges.map((e) => {
          const from = byId.get(e.from);
          const to = byId.get(e.to);
          return from && to ? <li key={`${e.from}>${e.to}>${e.label}`}>{`${nodeName(from)} → ${e.label} → ${nodeName(to)}`}</li> : null;
        })}
      </ul>
    </div>
  );
}
