import { cn } from "@/lib/cn";

/** Label/value pairs in two columns; rows with an undefined value are skipped. */
export function DefinitionList({ rows, className }: { rows: [string, React.ReactNode][]; className?: string }) {
  return (
    <dl className={cn("grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm", className)}>
      {rows
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-muted">{k}</dt>
            <dd className="min-w-0 break-words">{v}</dd>
          </div>
        ))}
    </dl>
  );
}
