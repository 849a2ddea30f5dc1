import Link from "next/link";
import { formatCount } from "@/lib/format";
import { framesHref } from "./filter-href";
import type { FrameFilters } from "./types";

export function FramePager({ filters, page, pageSize, total }: { filters: FrameFilters; page: number; pageSize: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total ? (page - 1) * pageSize + 1 : 0;
  const last = Math.min(total, page * pageSize);
  const link = "rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-500 dark:border-zinc-700 dark:hover:bg-zinc-800";
  const off = "rounded-md border border-zinc-200 px-3 py-1.5 text-zinc-400 dark:border-zinc-800";
  return (
    <nav aria-label="Pages" className="mt-6 flex items-center justify-between gap-3 text-sm">
      <p className="text-zinc-500">
        {total ? `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} frames` : "No frames"} · page {page} of {pages}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={link} href={framesHref(filters, page - 1)} rel="prev">
            Previous
          </Link>
        ) : (
          <span className={off} aria-disabled="true">
            Previous
          </span>
        )}
        {page < pages ? (
          <Link className={link} href={framesHref(filters, page + 1)} rel="next">
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
