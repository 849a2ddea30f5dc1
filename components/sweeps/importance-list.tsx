// Parameter importance as a table with bars: the share of explained variance per parameter, and the method's name.
import { Table, Td, Th } from "@/components/ui/table";
import type { SweepView } from "@/server/sweeps/service";

const pct = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.01 ? 1 : 0)}%`;

export function ImportanceList({ importance, objective }: { importance: SweepView["importance"]; objective: string }) {
  const { method, items, trials } = importance;
  return (
    <div>
      <p className="mb-2 text-sm">
        Method: <strong data-testid="importance-method">{method.name}</strong>, over {trials} trials with a {objective}.
      </p>
      {items.length ? (
        <Table label="Parameter importance" keyFirst={false}>
          <thead>
            <tr>
              <Th>Parameter</Th>
              <Th className="w-1/2">Share of explained variance</Th>
              <Th className="text-right">ω²</Th>
            </tr>
          </thead>
          <tbody>
            {items.map((it) => (
              <tr key={it.param} data-testid="importance-row">
                <Td className="font-mono text-xs">{it.param}</Td>
                <Td>
                  <div className="flex items-center gap-2">
                    <div className="h-2.5 flex-1 rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                      <div className="h-2.5 rounded bg-brand-600" style={{ width: pct(it.share) }} />
                    </div>
                    <span className="w-10 text-right tabular-nums">{pct(it.share)}</span>
                  </div>
                </Td>
                <Td className="text-right tabular-nums">{it.score.toFixed(3)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm text-muted">No parameter varies across the trials, so there is nothing to rank.</p>
      )}
      <p className="mt-2 text-xs text-muted">{method.summary}</p>
    </div>
  );
}
