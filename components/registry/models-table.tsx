import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { formatCount } from "@/lib/format";
import { AliasBadges } from "./alias-badges";
import type { ModelListItem } from "./types";

export function ModelsTable({ items }: { items: ModelListItem[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Model</Th>
          <Th>Team</Th>
          <Th>Task</Th>
          <Th>Aliases</Th>
          <Th className="text-right">Latest</Th>
          <Th className="text-right">Versions</Th>
          <Th>Updated</Th>
        </tr>
      </thead>
      <tbody>
        {items.map((m) => (
          <tr key={m.slug} className="hover:bg-zinc-50 dark:hover:bg-zinc-900/60">
            <Td>
              <Link href={`/models/${m.slug}`} className="font-medium text-link hover:underline">
                {m.name}
              </Link>
              <div className="font-mono text-xs text-muted">{m.slug}</div>
            </Td>
            <Td>{m.team}</Td>
            <Td>{m.task}</Td>
            <Td>
              <AliasBadges aliases={m.aliases} />
            </Td>
            <Td className="text-right tabular-nums">
              {m.latestVersion ? (
                <Link href={`/models/${m.slug}/versions/${m.latestVersion}`} className="text-link hover:underline">
                  v{m.latestVersion}
                </Link>
              ) : (
                <span className="text-muted">none</span>
              )}
            </Td>
            <Td className="text-right tabular-nums">{formatCount(m.versionCount)}</Td>
            <Td className="whitespace-nowrap">
              <Time value={m.updatedAt} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
