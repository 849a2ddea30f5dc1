import { formatCount } from "@/lib/format";

/** Every operator with its count: the chart's text equivalent, collapsed by default. */
export function OperatorTable({ data }: { data: { op: string; count: number }[] }) {
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer text-link">All {data.length} operators as a list</summary>
      <ul className="mt-2 grid grid-cols-2 gap-x-6 gap-y-0.5 font-mono text-xs sm:grid-cols-3 lg:grid-cols-4">
        {data.map((d) => (
          <li key={d.op} className="flex justify-between gap-2">
            <span className="truncate" title={d.op}>
              {d.op}
            </span>
            <span className="tabular-nums text-muted">{formatCount(d.count)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
