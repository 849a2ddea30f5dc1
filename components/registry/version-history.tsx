import { EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { changedFields } from "./format";
import type { HistoryEntry } from "./types";

const ACTIONS: Record<string, string> = {
  "model_version.create": "Registered",
  "model_version.update": "Edited",
};

/** The audit trail of one version: when, who, what. */
export function VersionHistory({ entries }: { entries: HistoryEntry[] }) {
  if (!entries.length) return <EmptyState title="No recorded changes">Edits to this version show up here.</EmptyState>;
  return (
    <Table>
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Who</Th>
          <Th>Action</Th>
          <Th>Change</Th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const changes = e.action === "model_version.update" ? changedFields(e.before, e.after) : [];
          return (
            <tr key={e.id}>
              <Td className="whitespace-nowrap">
                <Time value={e.at} />
              </Td>
              <Td>{e.actorLabel}</Td>
              <Td>
                {ACTIONS[e.action] ?? e.action} <code className="text-xs text-muted">{e.action}</code>
              </Td>
              <Td>
                {changes.length ? (
                  <ul className="space-y-0.5 text-xs">
                    {changes.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-muted">{e.action === "model_version.update" ? "no field changed" : "—"}</span>
                )}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
