import { Pager as BasePager } from "@/components/ui/pager";
import { formatCount } from "@/lib/format";

/** Previous/Next links for the model list that keep every other search param. */
export function Pager({
  pathname,
  query,
  page,
  pageSize,
  total,
}: {
  pathname: string;
  query: Record<string, string>;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const href = (p: number) => ({ pathname, query: p > 1 ? { ...query, page: String(p) } : query });
  const summary =
    first > total
      ? `Page ${page} is past the end: ${formatCount(total)} models in ${pages} page${pages === 1 ? "" : "s"}`
      : `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} models · page ${page} of ${pages}`;
  return <BasePager summary={summary} prev={page > 1 ? href(Math.min(page - 1, pages)) : null} next={page < pages ? href(page + 1) : null} />;
}
