import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import { cn } from "@/lib/cn";

export type CompareRow = { key: string; label: React.ReactNode; a: React.ReactNode; b: React.ReactNode; differs: boolean; change?: React.ReactNode };

/** Two versions side by side; rows that differ get an amber background and a "differs" mark (not colour alone). */
export function CompareTable({
  slug,
  rows,
  a,
  b,
  caption,
  withChange = false,
  mono = false,
}: {
  slug: string;
  rows: CompareRow[];
  a: number;
  b: number;
  caption: string;
  withChange?: boolean;
  mono?: boolean;
}) {
  const head = (n: number) => (
    <Link href={`/models/${slug}/versions/${n}`} className="normal-case text-link hover:underline">
      v{n}
    </Link>
  );
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <Th className="w-1/4">
            <span className="sr-only">Field</span>
          </Th>
          <Th>{head(a)}</Th>
          <Th>{head(b)}</Th>
          {withChange ? <Th className="text-right">Change</Th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className={cn(r.differs && "bg-amber-50 dark:bg-amber-950/40")}>
            <Td className="font-medium">
              {r.label}
              {r.differs ? (
                <span className="ml-2 rounded bg-amber-200 px-1 text-[0.7rem] font-semibold text-amber-900 dark:bg-amber-800 dark:text-amber-100">differs</span>
              ) : null}
            </Td>
            <Td className={cn("break-words", mono && "font-mono text-xs")}>{r.a}</Td>
            <Td className={cn("break-words", mono && "font-mono text-xs")}>{r.b}</Td>
            {withChange ? <Td className="text-right tabular-nums">{r.change}</Td> : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
