import { Pager } from "@/components/ui/pager";
import { formatCount } from "@/lib/format";
import { framesHref } from "./filter-href";
import type { FrameFilters } from "./types";

export function FramePager({ filters, page, pageSize, total }: { filters: FrameFilters; page: number; pageSize: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total ? (page - 1) * pageSize + 1 : 0;
  const last = Math.min(total, page * pageSize);
  const summary = `${total ? `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} frames` : "No frames"} · page ${page} of ${pages}`;
  return (
    <Pager
      className="mt-6"
      summary={summary}
      prev={page > 1 ? framesHref(filters, page - 1) : null}
      next={page < pages ? framesHref(filters, page + 1) : null}
    />
  );
}
