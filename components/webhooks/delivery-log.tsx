// The delivery log: one row per message, its attempts folded underneath.
import type { inferRouterOutputs } from "@trpc/server";
import { Badge, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { AppRouter } from "@/server/routers/_app";

type Item = inferRouterOutputs<AppRouter>["webhooks"]["deliveries"]["items"][number];
export const DELIVERY_TONE = { succeeded: "green", pending: "amber", failed: "red" } as const;

export function DeliveryLog({ items }: { items: Item[] }) {
  if (!items.length) return <EmptyState title="No deliveries yet">Deliveries appear when an alert fires or resolves, or when you press Send test.</EmptyState>;
  return (
    <Table>
      <thead>
        <tr>
          <Th>Queued</Th>
          <Th>Target</Th>
          <Th>Event</Th>
          <Th>State</Th>
          <Th>Attempts</Th>
          <Th>Last answer</Th>
        </tr>
      </thead>
      <tbody>
        {items.map((d) => (
          <tr key={d.id} data-testid="delivery-row">
            <Td>
              <Time value={d.createdAt} />
            </Td>
            <Td>{d.target}</Td>
            <Td>
              {d.event}
              {d.alertTitle ? <div className="text-xs text-muted">{d.alertTitle}</div> : null}
            </Td>
            <Td>
              <Badge tone={DELIVERY_TONE[d.state]}>{d.state}</Badge>
              {d.state === "pending" && d.attempts > 0 ? (
                <div className="text-xs text-muted">
                  retry <Time value={d.nextAttemptAt} />
                </div>
              ) : null}
            </Td>
            <Td>
              {d.attemptLog.length ? (
                <details>
                  <summary className="cursor-pointer">{d.attempts}</summary>
                  <ol className="mt-1 space-y-0.5 text-xs">
                    {d.attemptLog.map((a) => (
                      <li key={a.id}>
                        <Time value={a.at} /> · {a.statusCode ?? "no answer"} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ""}
                      </li>
                    ))}
                  </ol>
                </details>
              ) : (
                d.attempts
              )}
            </Td>
            <Td className="text-sm">
              {d.lastStatus !== null ? `HTTP ${d.lastStatus}` : d.attempts ? "no answer" : "—"}
              {d.lastDurationMs !== null ? ` · ${d.lastDurationMs} ms` : ""}
              {d.lastError ? <div className="max-w-sm text-xs text-red-700 dark:text-red-400">{d.lastError}</div> : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
