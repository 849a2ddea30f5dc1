import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

type Row = {
  id: number;
  at: Date;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  before?: unknown;
  after?: unknown;
  entity?: { name: string; href: string | null } | null;
};

export function AuditTable({ rows, details = false }: { rows: Row[]; details?: boolean }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Entity</Th>
          {details ? <Th>Change</Th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <Td className="whitespace-nowrap">
              <Time value={r.at} />
            </Td>
            <Td className="whitespace-nowrap">{r.actorLabel}</Td>
            <Td className="whitespace-nowrap">
              <code className="text-xs">{r.action}</code>
            </Td>
            {/* A floor on the width keeps a row to a line or two on a phone; the table scrolls with When kept in view. */}
            <Td className="min-w-56">
              <span className="text-zinc-600 dark:text-zinc-400">{r.entityType.replaceAll("_", " ")}</span>{" "}
              {r.entity ? (
                r.entity.href ? (
                  <Link href={r.entity.href} className="text-link underline">
                    {r.entity.name}
                  </Link>
                ) : (
                  r.entity.name
                )
              ) : (
                <code className="text-xs">{r.entityId.slice(0, 36)}</code>
              )}
            </Td>
            {details ? (
              <Td>
                <details>
                  <summary className="cursor-pointer text-xs text-link">before / after</summary>
                  <pre className="mt-1 max-h-64 max-w-xl overflow-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-800">
                    {JSON.stringify({ before: r.before, after: r.after, requestId: r.requestId }, null, 2)}
                  </pre>
                </details>
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
