"use client";
// Mitigation from the incident: Roll back / Pause rollout per affected deployment, each confirmed with its effect in plain words,
// carried out by the deployments service and recorded on the incident timeline.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { mutationErrorText } from "@/components/registry/mutation-error";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { effectText, type EffectAction, type EffectTarget } from "@/lib/deployment-effects";
import { useTRPC } from "@/lib/trpc";

export type MitigationDeployment = {
  id: string;
  revision: number;
  state: "idle" | "canary" | "paused";
  step: number;
  plan: number[];
  stable: number;
  candidate: number | null;
  rollbackTo: number | null;
  target: { name: string; kind: EffectTarget["kind"] };
  environment: { name: string; protected: boolean };
  devices: number;
};

type Pending = { d: MitigationDeployment; action: EffectAction; label: string; key: string };

/** `focusAfter`: the id of the element that takes focus after a mitigation went through (the timeline it lands on). */
export function MitigationButtons({ incidentId, deployments, only, canAct, isAdmin, focusAfter }: { incidentId: string; deployments: MitigationDeployment[]; only?: "rollback" | "pause"; canAct: boolean; isAdmin: boolean; focusAfter?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [pending, setPending] = useState<Pending | null>(null);
  // Where keyboard focus goes when the confirmation closes: the button that opened it (also when a shortcut did),
  // or, once the action is done, the place its result shows.
  const triggers = useRef(new Map<string, HTMLButtonElement>());
  const opener = useRef<string | null>(null);
  const done = useRef(false);
  const returnFocus = () => {
    const after = done.current && focusAfter ? document.getElementById(focusAfter) : null;
    done.current = false;
    const button = opener.current ? triggers.current.get(opener.current) : undefined;
    return after ?? (button?.isConnected && !button.disabled ? button : null);
  };
  const m = useMutation({
    ...trpc.incidents.mitigate.mutationOptions(),
    onSuccess: () => {
      done.current = true;
      setPending(null);
      router.refresh();
    },
  });
  const options: Pending[] = [];
  for (const d of deployments) {
    if (d.rollbackTo !== null && only !== "pause") options.push({ d, action: { kind: "rollback", version: d.rollbackTo }, label: `Roll back ${d.target.name} to v${d.rollbackTo}`, key: "" });
    if (d.state === "canary" && only !== "rollback") options.push({ d, action: { kind: "pause" }, label: `Pause rollout on ${d.target.name}`, key: "" });
  }
  if (!options.length) return <p className="text-sm text-muted">{only === "pause" ? "No rollout in flight to pause." : only === "rollback" ? "No earlier version to roll back to." : "Nothing to roll back or pause on this model's deployments."}</p>;
  const target = (d: MitigationDeployment): EffectTarget => ({ name: d.target.name, kind: d.target.kind, devices: d.devices, environment: d.environment.name.toLowerCase() });
  const effect = pending ? effectText(target(pending.d), { state: pending.d.state, stable: pending.d.stable, candidate: pending.d.candidate, step: pending.d.step, plan: pending.d.plan }, pending.action) : "";
  let firstRollback = true;
  let firstPause = true;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {options.map((o) => {
          const allowed = canAct && (isAdmin || !o.d.environment.protected);
          const shortcut = o.action.kind === "rollback" ? (firstRollback ? "b" : undefined) : firstPause ? "p" : undefined;
          if (o.action.kind === "rollback") firstRollback = false;
          else firstPause = false;
          return (
            <Button
              key={o.label}
              variant={o.action.kind === "rollback" ? "danger" : "secondary"}
              disabled={!allowed}
              title={allowed ? undefined : canAct ? `${o.d.environment.name} deployments are changed by an admin` : "Needs the engineer role"}
              data-shortcut={allowed ? shortcut : undefined}
              ref={(el) => {
                if (el) triggers.current.set(o.label, el);
                else triggers.current.delete(o.label);
              }}
              onClick={() => {
                opener.current = o.label;
                m.reset();
                setPending({ ...o, key: crypto.randomUUID() });
              }}
            >
              {o.label}
            </Button>
          );
        })}
      </div>
      <Dialog open={pending !== null} onOpenChange={(v) => (v ? null : setPending(null))} title={pending ? `${pending.label}?` : ""} description={effect} returnFocus={returnFocus}>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (!pending) return;
            m.mutate({ id: incidentId, deploymentId: pending.d.id, action: pending.action.kind === "rollback" ? "rollback" : "pause", version: "version" in pending.action ? pending.action.version : undefined, revision: pending.d.revision, idempotencyKey: pending.key });
          }}
        >
          <p className="text-sm">Recorded on this incident&apos;s timeline and in the audit log.</p>
          {m.error ? <ErrorNote>{mutationErrorText(m.error)}</ErrorNote> : null}
          <div className="flex justify-end gap-2">
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
