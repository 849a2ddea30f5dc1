"use client";
// Mitigation from an incident or straight from an alert: Roll back / Pause rollout per deployment, decided by the deployment
// policy (the same one the server enforces), confirmed with the effect in true numbers, recorded on the incident.
// Who may not act sees why in words and can ask the on-call admin instead.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/input";
import { effectText, type EffectTarget } from "@/lib/deployment-effects";
import { useTRPC } from "@/lib/trpc";
import type { Role } from "@/server/auth/roles";
import type { AllowedAction, PolicyActor, PolicyContext } from "@/server/deployments/policy";
import { allowedActions } from "@/server/deployments/policy";

export type MitigationDeployment = {
  id: string;
  revision: number;
  target: { name: string; kind: EffectTarget["kind"] };
  environment: { name: string; protected: boolean };
  policy: PolicyContext;
  effectTarget: EffectTarget;
};

type Option = AllowedAction & { d: MitigationDeployment; label: string };
type Done = { summary: string; incidentId: string; incidentNumber: number; declared: boolean; watch: string };

/** `incidentId` or `alertId` says where the mitigation is recorded; `reason` pre-fills the written reason. */
export function MitigationButtons({
  incidentId,
  alertId,
  deployments,
  only,
  actor,
  reason: prefill = "",
  shortcuts = true,
  focusAfter,
  quietWhenEmpty = false,
}: {
  incidentId?: string;
  alertId?: string;
  deployments: MitigationDeployment[];
  only?: "rollback" | "pause";
  actor: { userId: string; role: Role };
  reason?: string;
  shortcuts?: boolean;
  /** The id of the element that takes keyboard focus once the action went through (the incident's timeline); else the success message does. */
  focusAfter?: string;
  /** Render nothing (rather than a sentence) when there is nothing to do; the caller already says why. Kept mounted so a
   * success message outlives the refresh that removes the deployment it acted on. */
  quietWhenEmpty?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [pending, setPending] = useState<(Option & { key: string }) | null>(null);
  const [reason, setReason] = useState(prefill);
  const [done, setDone] = useState<Done | null>(null);
  const focusedDone = useRef(false);
  // The buttons by label: a cancelled confirmation gives focus back to its button, also when a shortcut opened it.
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const opened = useRef<string | null>(null);
  const m = useMutation({
    ...trpc.incidents.mitigate.mutationOptions(),
    onSuccess: (r) => {
      setPending(null);
      setDone(r);
      router.refresh();
    },
  });
  const request = useMutation(trpc.incidents.requestRollback.mutationOptions());
  const who: PolicyActor = actor;
  const options: Option[] = deployments.flatMap((d) =>
    allowedActions(who, d.policy, { only: only === "pause" ? ["pause"] : only === "rollback" ? ["rollback"] : ["rollback", "pause"] }).map((o) => ({
      ...o,
      d,
      label: o.action.kind === "rollback" ? `Roll back ${d.target.name} to v${o.action.version}` : `Pause rollout on ${d.target.name}`,
    })),
  );
  if (done) {
    // The dialog unmounts with the buttons, so focus is placed here rather than left on the page body.
    const takeFocus = (el: HTMLDivElement | null) => {
      if (!el || focusedDone.current) return;
      focusedDone.current = true;
      ((focusAfter ? document.getElementById(focusAfter) : null) ?? el).focus();
    };
    return (
      <div
        role="status"
        tabIndex={-1}
        ref={takeFocus}
        className="rounded-md border border-green-700 bg-green-50 p-3 text-sm text-green-950 dark:border-green-500 dark:bg-green-950 dark:text-green-100"
      >
        <p className="font-medium">Done: {done.summary}</p>
        <p className="mt-1">
          {done.declared ? `Declared incident #${done.incidentNumber} with you in command; ` : `Recorded on incident #${done.incidentNumber}; `}
          it is now mitigated and the admins were told. {done.watch}.
        </p>
        <Link href={`/incidents/${done.incidentId}`} className="mt-2 inline-block font-medium underline">
          Open incident #{done.incidentNumber}
        </Link>
      </div>
    );
  }
  if (!options.length) {
    if (quietWhenEmpty) return null;
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {only === "pause"
          ? "No rollout in flight to pause."
          : only === "rollback"
            ? "No earlier version to roll back to on these deployments."
            : "Nothing to roll back or pause on this model's deployments."}
      </p>
    );
  }
  const effect = pending ? effectText(pending.d.effectTarget, pending.d.policy.state, pending.action) : "";
  const used = new Set<string>();
  const refusedRollback = options.find((o) => o.action.kind === "rollback" && !o.decision.allowed);
  return (
    <div className="space-y-2">
      <ul className="space-y-2">
        {options.map((o) => {
          const key = o.action.kind === "rollback" ? "b" : "p";
          const shortcut = shortcuts && !used.has(key) ? key : undefined;
          used.add(key);
          return (
            <li key={o.label} className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <Button
                ref={(el) => {
                  if (el) buttons.current.set(o.label, el);
                  else buttons.current.delete(o.label);
                }}
                variant={o.action.kind === "rollback" ? "danger" : "secondary"}
                disabled={!o.decision.allowed}
                aria-describedby={o.decision.allowed ? undefined : `why-${o.d.id}-${o.action.kind}`}
                data-shortcut={shortcut}
                data-shortcut-reason={o.decision.allowed ? undefined : o.decision.reason}
                onClick={() => {
                  m.reset();
                  setReason(prefill);
                  opened.current = o.label;
                  setPending({ ...o, key: crypto.randomUUID() });
                }}
              >
                {o.label}
              </Button>
              {o.decision.allowed ? null : (
                <span id={`why-${o.d.id}-${o.action.kind}`} className="min-w-0 basis-full text-sm text-zinc-700 sm:basis-auto sm:flex-1 dark:text-zinc-300">
                  {o.decision.reason}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {refusedRollback ? (
        request.isSuccess ? (
          <p role="status" className="text-sm">
            Rollback requested: paged {request.data.notified.join(", ") || "the admins"}.
          </p>
        ) : (
          <div>
            <Button
              variant="secondary"
              disabled={request.isPending}
              onClick={() => request.mutate({ deploymentId: refusedRollback.d.id, alertId, note: prefill })}
            >
              Request rollback
            </Button>
            <MutationError error={request.error} />
          </div>
        )
      ) : null}
      <Dialog
        open={pending !== null}
        onOpenChange={(v) => (v ? null : setPending(null))}
        title={pending ? `${pending.label}?` : ""}
        description={effect}
        returnFocus={() => (opened.current ? (buttons.current.get(opened.current) ?? null) : null)}
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (!pending) return;
            m.mutate({
              ...(incidentId ? { id: incidentId } : { alertId }),
              deploymentId: pending.d.id,
              action: pending.action.kind === "rollback" ? "rollback" : "pause",
              version: "version" in pending.action ? pending.action.version : undefined,
              revision: pending.d.revision,
              idempotencyKey: pending.key,
              reason: reason.trim() || undefined,
            });
          }}
        >
          <Field
            label={pending?.decision.needsReason ? "Why (required)" : "Why (optional)"}
            htmlFor="mitigation-reason"
            hint="Goes to the audit log, the incident timeline and the admins."
          >
            <textarea
              id="mitigation-reason"
              className="w-full rounded-md border border-zinc-400 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900"
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required={pending?.decision.needsReason}
              minLength={3}
              maxLength={2000}
            />
          </Field>
          <p className="text-sm">
            {alertId
              ? "Declares the incident for this alert if none is open (you take command), records the action on it and marks it mitigated."
              : "Recorded on this incident's timeline and in the audit log."}
          </p>
          <MutationError error={m.error} />
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setPending(null)}>
              Cancel
            </Button>
            <Button type="submit" variant={pending?.action.kind === "rollback" ? "danger" : "primary"} disabled={m.isPending}>
              Confirm: {pending?.label.toLowerCase()}
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
