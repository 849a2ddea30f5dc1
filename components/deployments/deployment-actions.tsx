"use client";
// The deploy buttons: each opens a confirmation stating its effect; one idempotency key per confirmation, so a double click does one thing.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { mutationErrorText } from "@/components/registry/mutation-error";
import { Button } from "@/components/ui/button";
import { ShortcutLegend } from "@/components/ui/keyboard-shortcuts";
import { ROLLOUT_KEYS, ROLLOUT_SHORTCUTS } from "@/lib/shortcuts";
import { ErrorNote } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { effectText, type EffectAction, type EffectState, type EffectTarget } from "@/lib/deployment-effects";
import { useTRPC } from "@/lib/trpc";

export type ActionsProps = {
  deploymentId: string;
  revision: number;
  target: EffectTarget;
  state: EffectState;
  /** The version gates were evaluated for, and whether any gate fails (production only). */
  gateVersion: number | null;
  gatesFailing: string[];
  protectedEnv: boolean;
  isAdmin: boolean;
  rollbackTo: number | null;
  /** Show only the rollback button (on-call page). */
  rollbackOnly?: boolean;
  /** Show the legend of the buttons' single-key shortcuts (the rollout page, which listens for them). */
  legend?: boolean;
  /** Bake, mode and on-fail per step of the current plan; Start canary lets these be edited. */
  stepPolicies?: PlanStep[];
};

type PlanStep = { bakeMinutes: number; mode: "auto" | "manual"; onFail: "pause" | "rollback" };
type EditStep = PlanStep & { percent: number };

/** The canary's steps: percent, bake time, advance mode and what a failed analysis does. */
function PlanEditor({ steps, onChange }: { steps: EditStep[]; onChange: (s: EditStep[]) => void }) {
  const set = (i: number, patch: Partial<EditStep>) => onChange(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Rollout plan</legend>
      {steps.map((s, i) => (
        <div key={i} className="grid grid-cols-[3rem_4.5rem_4.5rem_1fr_1fr_auto] items-center gap-1 text-sm">
          <span className="text-xs text-muted">Step {i + 1}</span>
          <Input aria-label={`Step ${i + 1} percent`} type="number" min={0.01} max={100} step="any" value={s.percent} onChange={(e) => set(i, { percent: Number(e.target.value) })} />
          <Input aria-label={`Step ${i + 1} bake minutes`} type="number" min={0} max={10080} value={s.bakeMinutes} onChange={(e) => set(i, { bakeMinutes: Number(e.target.value) })} />
          <Select aria-label={`Step ${i + 1} after a pass`} value={s.mode} onChange={(e) => set(i, { mode: e.target.value as EditStep["mode"] })}>
            <option value="auto">advance</option>
            <option value="manual">wait for a person</option>
          </Select>
          <Select aria-label={`Step ${i + 1} on a failure`} value={s.onFail} onChange={(e) => set(i, { onFail: e.target.value as EditStep["onFail"] })}>
            <option value="pause">pause</option>
            <option value="rollback">roll back</option>
          </Select>
          <Button type="button" variant="secondary" aria-label={`Remove step ${i + 1}`} disabled={steps.length === 1} onClick={() => onChange(steps.filter((_, j) => j !== i))}>
            ×
          </Button>
        </div>
      ))}
      <p className="text-xs text-muted">Percent of devices (or traffic), bake minutes, then what happens after the analysis. The last step must be 100%.</p>
    </fieldset>
  );
}

type Pending = { action: EffectAction; label: string; danger: boolean; key: string };

const LABEL: Record<EffectAction["kind"], string> = { promote: "Promote", "canary.start": "Start canary", advance: "Advance", pause: "Pause", resume: "Resume", abort: "Abort", rollback: "Roll back" };

export function DeploymentActions(p: ActionsProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const [pending, setPending] = useState<Pending | null>(null);
  const [reason, setReason] = useState("");
  const initialSteps = (): EditStep[] => p.state.plan.map((percent, i) => ({ percent, ...(p.stepPolicies?.[i] ?? { bakeMinutes: 60, mode: "manual", onFail: "pause" }) }));
  const [steps, setSteps] = useState<EditStep[]>(initialSteps);
  const done = () => {
    setPending(null);
    setReason("");
    router.refresh();
  };
  const m = {
    promote: useMutation({ ...trpc.deployments.promote.mutationOptions(), onSuccess: done }),
    canary: useMutation({ ...trpc.deployments.startCanary.mutationOptions(), onSuccess: done }),
    advance: useMutation({ ...trpc.deployments.advance.mutationOptions(), onSuccess: done }),
    pause: useMutation({ ...trpc.deployments.pause.mutationOptions(), onSuccess: done }),
    resume: useMutation({ ...trpc.deployments.resume.mutationOptions(), onSuccess: done }),
    abort: useMutation({ ...trpc.deployments.abort.mutationOptions(), onSuccess: done }),
    rollback: useMutation({ ...trpc.deployments.rollback.mutationOptions(), onSuccess: done }),
  };
  const busy = Object.values(m).some((x) => x.isPending);
  const error = Object.values(m).find((x) => x.error)?.error ?? null;
  const inFlight = p.state.state !== "idle" && p.state.candidate !== null;
  const needsOverride = (a: EffectAction) => p.protectedEnv && (a.kind === "promote" || a.kind === "canary.start") && p.gatesFailing.length > 0;

  const open = (action: EffectAction, danger = false) => {
    Object.values(m).forEach((x) => x.reset());
    const label = "version" in action ? `${LABEL[action.kind]} ${action.kind === "rollback" ? "to " : ""}v${action.version}` : LABEL[action.kind];
    setSteps(initialSteps());
    setPending({ action, label, danger, key: crypto.randomUUID() });
  };

  const confirm = () => {
    if (!pending) return;
    const base = { deploymentId: p.deploymentId, revision: p.revision, idempotencyKey: pending.key };
    const a = pending.action;
    const override = needsOverride(a) ? { reason } : undefined;
    if (a.kind === "promote") m.promote.mutate({ ...base, version: a.version, override });
    else if (a.kind === "canary.start") m.canary.mutate({ ...base, version: a.version, override, plan: steps });
    else if (a.kind === "rollback") m.rollback.mutate({ ...base, version: a.version });
    else m[a.kind].mutate(base);
  };

  const buttons: React.ReactNode[] = [];
  const keys = new Set<string>();
  const add = (action: EffectAction, variant: "primary" | "secondary" | "danger" = "secondary") => {
    keys.add(ROLLOUT_KEYS[action.kind]);
    const label = "version" in action ? `${LABEL[action.kind]} ${action.kind === "rollback" ? "to " : ""}v${action.version}` : LABEL[action.kind];
    buttons.push(
      <Button key={label} variant={variant} onClick={() => open(action, variant === "danger")} data-shortcut={ROLLOUT_KEYS[action.kind]} aria-keyshortcuts={ROLLOUT_KEYS[action.kind]}>
        {label}
      </Button>,
    );
  };
  if (p.rollbackTo !== null) add({ kind: "rollback", version: p.rollbackTo }, "danger");
  if (!p.rollbackOnly) {
    if (inFlight) {
      if (p.state.state === "canary") add({ kind: "advance" }, "primary");
      if (p.state.state === "canary") add({ kind: "pause" });
      if (p.state.state === "paused") add({ kind: "resume" }, "primary");
      add({ kind: "abort" });
    } else if (p.gateVersion !== null && p.gateVersion !== p.state.stable) {
      add({ kind: "canary.start", version: p.gateVersion }, "primary");
      add({ kind: "promote", version: p.gateVersion });
    }
  }

  const effect = pending ? effectText(p.target, pending.action.kind === "canary.start" ? { ...p.state, plan: steps.map((s) => s.percent) } : p.state, pending.action) : "";
  const override = pending ? needsOverride(pending.action) : false;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">{buttons}</div>
      {p.legend && keys.size ? <ShortcutLegend shortcuts={ROLLOUT_SHORTCUTS.filter((k) => keys.has(k.key))} /> : null}
      {!pending && error ? <ErrorNote>{mutationErrorText(error)}</ErrorNote> : null}
      <Dialog open={pending !== null} onOpenChange={(v) => (v ? null : setPending(null))} title={pending ? `${pending.label}?` : ""} description={effect}>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            confirm();
          }}
        >
          {pending?.action.kind === "canary.start" ? <PlanEditor steps={steps} onChange={setSteps} /> : null}
          {override ? (
            <>
              <ErrorNote>
                Failing gate{p.gatesFailing.length > 1 ? "s" : ""}: {p.gatesFailing.join(" · ")}
              </ErrorNote>
              {p.isAdmin ? (
                <Field label="Override reason" htmlFor="override-reason" hint="Required to go past failing gates. Recorded in the audit log and shown on the timeline.">
                  <textarea
                    id="override-reason"
                    className="w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
                    rows={3}
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                    required
                    minLength={10}
                    maxLength={2000}
                  />
                </Field>
              ) : null}
            </>
          ) : null}
          {error ? <ErrorNote>{mutationErrorText(error)}</ErrorNote> : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setPending(null)}>
              Cancel
            </Button>
            <Button type="submit" variant={pending?.danger ? "danger" : "primary"} disabled={busy || (override && !p.isAdmin)}>
              {override ? `Override and ${pending?.label.toLowerCase()}` : `Confirm: ${pending?.label.toLowerCase()}`}
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
