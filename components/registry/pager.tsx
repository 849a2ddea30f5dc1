import Link from "next/link";
import { formatCount } from "@/lib/format";

/** Previous/Next links that keep every other search param. */
export function Pager({ pathname, query, page, pageSize, total }: { pathname: string; query: Record<string, string>; page: number; pageSize: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const href = (p: number) => ({ pathname, query: p > 1 ? { ...query, page: String(p) } : query });
  const link = "rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-500 dark:border-zinc-700 dark:hover:bg-zinc-800";
  const off = "rounded-md border border-zinc-200 px-3 py-1.5 text-zinc-400 dark:border-zinc-800";
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-3 text-sm">
      <p className="text-zinc-500">
        {first > total ? `Page ${page} is past the end: ${formatCount(total)} models in ${pages} page${pages === 1 ? "" : "s"}` : `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} models · page ${page} of ${pages}`}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={link} href={href(Math.min(page - 1, pages))} rel="prev">
            Previous
          </Link>
        ) : (
          <span className={off} aria-disabled="true">
            Previous
          </span>
        )}
        {page < pages ? (
          <Link className={link} href={href(page + 1)} rel="next">
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
