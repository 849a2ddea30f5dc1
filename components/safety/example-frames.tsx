// The candidate's new false alerts and misses: frame thumbnails with the true boxes (dashed) and the wrong one outlined.
import Link from "next/link";
import { Badge } from "@/components/ui/card";
import { eventTypeLabel } from "@/lib/safety-format";

type Box = { x: number; y: number; w: number; h: number };
type Example = {
  eventType: string;
  outcome: "fp" | "fn";
  box?: Box;
  frame: { id: string; name: string; width: number; height: number; imageUrl: string; truthBoxes: (Box & { label: string })[] };
};

const OUTCOME = { fp: { text: "New false alert", tone: "red", stroke: "#ef4444" }, fn: { text: "New miss", tone: "amber", stroke: "#f97316" } } as const;

export function ExampleFrames({ examples }: { examples: Example[] }) {
  return (
    <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="New false alerts and misses">
      {examples.map((e) => {
        const o = OUTCOME[e.outcome];
        const lw = Math.max(2, e.frame.width / 200);
        return (
          <li
            key={`${e.eventType}-${e.frame.id}-${e.outcome}`}
            className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
          >
            <Link href={`/frames/${e.frame.id}`} className="block focus-visible:outline-2 focus-visible:outline-focus">
              <div className="relative bg-zinc-900" style={{ aspectRatio: `${e.frame.width} / ${e.frame.height}` }}>
                {/* A plain <img>: our own immutable, cached image endpoint. */}
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img
                  src={e.frame.imageUrl}
                  alt={`${e.frame.name}: ${o.text.toLowerCase()} of ${eventTypeLabel(e.eventType)}`}
                  width={e.frame.width}
                  height={e.frame.height}
                  loading="lazy"
                  decoding="async"
                  className="absolute inset-0 h-full w-full object-contain"
                />
                <svg viewBox={`0 0 ${e.frame.width} ${e.frame.height}`} className="absolute inset-0 h-full w-full" aria-hidden>
                  {e.frame.truthBoxes.map((b, i) => (
                    <rect
                      key={i}
                      x={b.x}
                      y={b.y}
                      width={b.w}
                      height={b.h}
                      fill="none"
                      stroke="#a3e635"
                      strokeWidth={lw * 0.75}
                      strokeDasharray={`${lw * 3} ${lw * 2}`}
                    />
                  ))}
                  {e.box ? <rect x={e.box.x} y={e.box.y} width={e.box.w} height={e.box.h} fill="none" stroke={o.stroke} strokeWidth={lw * 1.5} /> : null}
                </svg>
              </div>
              <div className="space-y-1 p-2 text-xs">
                <Badge tone={o.tone}>{o.text}</Badge>
                <p className="truncate font-medium" title={e.frame.name}>
                  {e.frame.name}
                </p>
                <p className="text-muted">{eventTypeLabel(e.eventType)}</p>
              </div>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
