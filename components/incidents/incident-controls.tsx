"use client";
// The commander's controls: acknowledge, move the status, change severity or commander; each change lands on the timeline.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import type { IncidentDecision } from "@/server/incidents/policy";
import { SEVERITIES, SEVERITY_MEANING, STATUSES, STATUS_MEANING, type Severity, type Status } from "@/server/incidents/schemas";

const NEXT: Record<Status, Status | null> = { investigating: "identified", identified: "mitigated", mitigated: "resolved", resolved: null };
const VERB: Record<Status, string> = { investigating: "Reopen", identified: "Mark identified", mitigated: "Mark mitigated", resolved: "Resolve" };

/** `handOver` is the incidents policy's decision on this person setting the commander (server/incidents/policy.ts). */
export function IncidentControls({
  id,
  status,
  severity,
  acknowledged,
  commanderId,
  commanders,
  handOver,
}: {
  id: string;
  status: Status;
  severity: Severity;
  acknowledged: boolean;
  commanderId: string | null;
  commanders: { id: string; email: string }[];
  handOver: IncidentDecision;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const opts = { onSuccess: () => router.refresh() };
  const ack = useMutation({ ...trpc.incidents.acknowledge.mutationOptions(), ...opts });
  const setStatus = useMutation({ ...trpc.incidents.setStatus.mutationOptions(), ...opts });
  const setSeverity = useMutation({ ...trpc.incidents.setSeverity.mutationOptions(), ...opts });
  const setCommander = useMutation({ ...trpc.incidents.setCommander.mutationOptions(), ...opts });
  const error = [ack, setStatus, setSeverity, setCommander].find((m) => m.error)?.error ?? null;
  const busy = [ack, setStatus, setSeverity, setCommander].some((m) => m.isPending);
  const next = status === "resolved" ? "investigating" : NEXT[status];
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {!acknowledged ? (
          <Button data-shortcut="a" disabled={busy} onClick={() => ack.mutate({ id })}>
            Acknowledge
          </Button>
        ) : null}
        {next ? (
          <Button
            data-shortcut="s"
            variant={acknowledged ? "primary" : "secondary"}
            disabled={busy}
            title={STATUS_MEANING[next]}
            onClick={() => setStatus.mutate({ id, status: next })}
          >
            {VERB[next]}
          </Button>
        ) : null}
      </div>
      <div className="grid grid-cols-[7.5rem_5rem_1fr] gap-2 sm:flex sm:flex-wrap">
        <label className="sr-only" htmlFor="incident-status">
          Status
        </label>
        <Select
          id="incident-status"
          className="sm:w-36"
          value={status}
          disabled={busy}
          onChange={(e) => setStatus.mutate({ id, status: e.target.value as Status })}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s} title={STATUS_MEANING[s]}>
              {s}
            </option>
          ))}
        </Select>
        <label className="sr-only" htmlFor="incident-severity">
          Severity
        </label>
        <Select
          id="incident-severity"
          className="sm:w-36"
          value={severity}
          disabled={busy}
          onChange={(e) => setSeverity.mutate({ id, severity: e.target.value as Severity })}
        >
          {SEVERITIES.map((s) => (
            <option key={s} value={s} title={SEVERITY_MEANING[s].meaning}>
              {SEVERITY_MEANING[s].label}
            </option>
          ))}
        </Select>
        <label className="sr-only" htmlFor="incident-commander">
          Commander
        </label>
        <Select
          id="incident-commander"
          className="sm:w-56"
          value={commanderId ?? ""}
          disabled={busy || !handOver.allowed}
          aria-describedby="incident-commander-rule"
          onChange={(e) => e.target.value && setCommander.mutate({ id, userId: e.target.value })}
        >
          <option value="">No commander</option>
          {commanders.map((c) => (
            <option key={c.id} value={c.id}>
              {c.email}
            </option>
          ))}
        </Select>
      </div>
      <p id="incident-commander-rule" className="text-xs text-muted">
        {handOver.reason}
      </p>
      <MutationError error={error} />
    </div>
  );
}
