import Link from "next/link";
import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

type Href = ComponentProps<typeof Link>["href"];

const link =
  "rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-focus dark:border-zinc-700 dark:hover:bg-zinc-800";
const off = "rounded-md border border-zinc-200 px-3 py-1.5 text-zinc-400 dark:border-zinc-800";

/** Previous/Next links for server-side paging; a missing href shows a disabled control. */
export function Pager({ summary, prev, next, className }: { summary: React.ReactNode; prev: Href | null; next: Href | null; className?: string }) {
  return (
    <nav aria-label="Pages" className={cn("mt-4 flex items-center justify-between gap-3 text-sm", className)}>
      <p className="text-muted">{summary}</p>
      <div className="flex gap-2">
        {prev ? (
          <Link className={link} href={prev} rel="prev">
            Previous
          </Link>
        ) : (
          <span className={off} aria-disabled="true">
            Previous
          </span>
        )}
        {next ? (
          <Link className={link} href={next} rel="next">
            Next
          </Link>
        ) : (
          <span className={off} aria-disabled="true">
            Next
          </span>
        )}
      </div>
    </nav>
  );
}
