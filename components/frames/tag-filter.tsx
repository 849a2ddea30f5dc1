import Link from "next/link";
import { cn } from "@/lib/cn";
import { FRAME_TAGS } from "@/server/frames/schemas";
import { framesHref, toggleTag } from "./filter-href";
import type { FrameFilters, TagCount } from "./types";

const chip = "inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm focus-visible:outline-2 focus-visible:outline-focus";
const on = "border-brand-600 bg-brand-600 text-white hover:bg-brand-700";
const off = "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800";

/** Tag chips as links: each toggles its tag in the URL (and returns to page 1). Known tags first, then the rest. */
export function TagFilter({ filters, counts }: { filters: FrameFilters; counts: TagCount[] }) {
  const countOf = new Map(counts.map((c) => [c.tag, c.count]));
  const known: string[] = [...FRAME_TAGS];
  const tags = [...known, ...counts.map((c) => c.tag).filter((t) => !known.includes(t)), ...filters.tags.filter((t) => !countOf.has(t) && !known.includes(t))];
  const sources = [
    { value: undefined, label: "All sources" },
    { value: "generated" as const, label: "Generated" },
    { value: "upload" as const, label: "Uploaded" },
  ];
  return (
    <nav aria-label="Filter frames" className="mb-5 space-y-3">
      <ul className="flex flex-wrap gap-2" aria-label="Tags">
        {tags.map((t) => {
          const active = filters.tags.includes(t);
          return (
            <li key={t}>
              <Link
                href={framesHref(toggleTag(filters, t))}
                className={cn(chip, active ? on : off)}
                aria-current={active ? "true" : undefined}
                title={active ? `Remove the ${t} filter` : `Show ${t} frames`}
              >
                {t}
                <span className={cn("text-xs tabular-nums", active ? "text-white/80" : "text-muted")}>{countOf.get(t) ?? 0}</span>
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm">
        {filters.tags.length > 1 ? (
          <div className="flex items-center gap-2" role="group" aria-label="Match tags">
            <span className="text-muted">Frames with</span>
            {(["all", "any"] as const).map((m) => (
              <Link
                key={m}
                href={framesHref({ ...filters, match: m })}
                className={cn(chip, "px-2.5 py-0.5", filters.match === m ? on : off)}
                aria-current={filters.match === m ? "true" : undefined}
              >
                {m === "all" ? "all of these tags" : "any of these tags"}
              </Link>
            ))}
          </div>
        ) : null}
        <div className="flex items-center gap-2" role="group" aria-label="Source">
          {sources.map((s) => (
            <Link
              key={s.label}
              href={framesHref({ ...filters, source: s.value })}
              className={cn(chip, "px-2.5 py-0.5", filters.source === s.value ? on : off)}
              aria-current={filters.source === s.value ? "true" : undefined}
            >
              {s.label}
            </Link>
          ))}
        </div>
        {filters.tags.length || filters.source ? (
          <Link href="/frames" className="text-link underline">
            Clear filters
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
