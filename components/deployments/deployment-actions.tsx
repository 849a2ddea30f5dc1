"use client";
// The deploy buttons: each opens a confirmation stating its effect; one idempotency key per confirmation, so a double click does one thing.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { ShortcutLegend } from "@/components/ui/keyboard-shortcuts";
import { ROLLOUT_KEYS, ROLLOUT_SHORTCUTS } from "@/lib/shortcuts";
import { ErrorNote } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { effectText, type EffectAction, type EffectTarget } from "@/lib/deployment-effects";
import { useTRPC } from "@/lib/trpc";
import { allowedActions, canOverrideGates, gatesInTheWay, type Decision, type PolicyActor, type PolicyContext } from "@/server/deployments/policy";

export type ActionsProps = {
  deploymentId: string;
  revision: number;
  target: EffectTarget;
  /** Everything the deployment policy decides on (getDeployment's `policy`); the buttons come from `allowedActions`. */
  policy: PolicyContext;
  actor: PolicyActor;
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
          <Input
            aria-label={`Step ${i + 1} percent`}
            type="number"
            min={0.01}
            max={100}
            step="any"
            value={s.percent}
            onChange={(e) => set(i, { percent: Number(e.target.value) })}
          />
          <Input
            aria-label={`Step ${i + 1} bake minutes`}
            type="number"
            min={0}
            max={10080}
            value={s.bakeMinutes}
            onChange={(e) => set(i, { bakeMinutes: Number(e.target.value) })}
          />
          <Select aria-label={`Step ${i + 1} after a pass`} value={s.mode} onChange={(e) => set(i, { mode: e.target.value as EditStep["mode"] })}>
            <option value="auto">advance</option>
            <option value="manual">wait for a person</option>
          </Select>
          <Select aria-label={`Step ${i + 1} on a failure`} value={s.onFail} onChange={(e) => set(i, { onFail: e.target.value as EditStep["onFail"] })}>
            <option value="pause">pause</option>
            <option value="rollback">roll back</option>
          </Select>
          <Button
            type="button"
            variant="secondary"
            aria-label={`Remove step ${i + 1}`}
            disabled={steps.length === 1}
            onClick={() => onChange(steps.filter((_, j) => j !== i))}
          >
            ×
          </Button>
        </div>
      ))}
      <p className="text-xs text-muted">Percent of devices (or traffic), bake minutes, then what happens after the analysis. The last step must be 100%.</p>
    </fieldset>
  );
}

type Pending = { action: EffectAction; label: string; danger: boolean; key: string; decision: Decision };

const LABEL: Record<EffectAction["kind"], string> = {
  promote: "Promote",
  "canary.start": "Start canary",
  advance: "Advance",
  pause: "Pause",
  resume: "Resume",
  abort: "Abort",
  rollback: "Roll back",
};

export function DeploymentActions(p: ActionsProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const [pending, setPending] = useState<Pending | null>(null);
  const [reason, setReason] = useState("");
  const state = p.policy.state;
  const initialSteps = (): EditStep[] =>
    state.plan.map((percent, i) => ({ percent, ...(p.stepPolicies?.[i] ?? { bakeMinutes: 60, mode: "manual", onFail: "pause" }) }));
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
  const mayOverride = canOverrideGates(p.actor).allowed;
  // The gates this action would go past, as the policy (and the server) sees them; a canary start uses the plan being edited.
  const inTheWay = (a: EffectAction) => gatesInTheWay(p.policy, a, a.kind === "canary.start" ? steps.map((x) => x.percent) : undefined);
  const needsOverride = (a: EffectAction) => inTheWay(a).length > 0;

  const open = (action: EffectAction, decision: Decision, danger = false) => {
    Object.values(m).forEach((x) => x.reset());
    const label = "version" in action ? `${LABEL[action.kind]} ${action.kind === "rollback" ? "to " : ""}v${action.version}` : LABEL[action.kind];
    setSteps(initialSteps());
    setReason("");
    setPending({ action, label, danger, key: crypto.randomUUID(), decision });
  };

  const confirm = () => {
    if (!pending) return;
    const base = { deploymentId: p.deploymentId, revision: p.revision, idempotencyKey: pending.key };
    const a = pending.action;
    const override = needsOverride(a) ? { reason } : undefined;
    // The on-call engineer's (or commander's) written reason for a safe-direction change.
    const why = !override && reason.trim() ? reason.trim() : undefined;
    if (a.kind === "promote") m.promote.mutate({ ...base, version: a.version, override });
    else if (a.kind === "canary.start") m.canary.mutate({ ...base, version: a.version, override, plan: steps });
    else if (a.kind === "rollback") m.rollback.mutate({ ...base, version: a.version, reason: why });
    else if (a.kind === "advance") m.advance.mutate({ ...base, reason: why, override });
    else m[a.kind].mutate({ ...base, reason: why });
  };

  const buttons: React.ReactNode[] = [];
  const keys = new Set<string>();
  const refusals = new Map<string, string[]>();
  const VARIANT: Partial<Record<EffectAction["kind"], "primary" | "danger">> = {
    rollback: "danger",
    advance: "primary",
    resume: "primary",
    "canary.start": "primary",
  };
  // The policy lists the buttons this state offers and decides each for this person; nothing is re-derived here.
  for (const { action, decision } of allowedActions(p.actor, p.policy, { only: p.rollbackOnly ? ["rollback"] : undefined })) {
    const variant = VARIANT[action.kind] ?? "secondary";
    const key = ROLLOUT_KEYS[action.kind];
    keys.add(key);
    const label = "version" in action ? `${LABEL[action.kind]} ${action.kind === "rollback" ? "to " : ""}v${action.version}` : LABEL[action.kind];
    if (!decision.allowed) refusals.set(decision.reason, [...(refusals.get(decision.reason) ?? []), label]);
    buttons.push(
      <Button
        key={label}
        variant={variant}
        disabled={!decision.allowed}
        data-shortcut-reason={decision.allowed ? undefined : decision.reason}
        onClick={() => open(action, decision, variant === "danger")}
        data-shortcut={key}
        aria-keyshortcuts={key}
      >
        {label}
      </Button>,
    );
  }

  const effect = pending
    ? effectText(p.target, pending.action.kind === "canary.start" ? { ...state, plan: steps.map((s) => s.percent) } : state, pending.action)
    : "";
  const blocking = pending ? inTheWay(pending.action) : [];
  const override = blocking.length > 0;
  const askWhy = pending ? pending.decision.needsReason && !override : false;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">{buttons}</div>
      {[...refusals].map(([why, labels]) => (
        <p key={why} className="text-sm text-zinc-700 dark:text-zinc-300">
          {labels.join(", ")}: {why}
        </p>
      ))}
      {p.legend && keys.size ? <ShortcutLegend shortcuts={ROLLOUT_SHORTCUTS.filter((k) => keys.has(k.key))} /> : null}
      <MutationError error={!pending && error} />
      <Dialog open={pending !== null} onOpenChange={(v) => (v ? null : setPending(null))} title={pending ? `${pending.label}?` : ""} description={effect}>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            confirm();
          }}
        >
          {pending?.action.kind === "canary.start" ? <PlanEditor steps={steps} onChange={setSteps} /> : null}
          {askWhy ? (
            <Field
              label="Why (required)"
              htmlFor="action-reason"
              hint="You act as the on-call engineer or incident commander: the reason goes to the audit log, the timeline and the admins."
            >
              <textarea
                id="action-reason"
                className="w-full rounded-md border border-zinc-400 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900"
                rows={2}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                minLength={3}
                maxLength={2000}
              />
            </Field>
          ) : null}
          {override ? (
            <>
              <ErrorNote>
                Failing gate{blocking.length > 1 ? "s" : ""}: {blocking.map((g) => `${g.label}: ${g.reason}`).join(" · ")}
              </ErrorNote>
              {mayOverride ? (
                <Field
                  label="Override reason"
                  htmlFor="override-reason"
                  hint="Required to go past failing gates. Recorded in the audit log and shown on the timeline."
                >
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
          <MutationError error={error} />
          <FormActions onCancel={() => setPending(null)}>
            <Button type="submit" variant={pending?.danger ? "danger" : "primary"} disabled={busy || (override && !mayOverride)}>
              {override ? `Override and ${pending?.label.toLowerCase()}` : `Confirm: ${pending?.label.toLowerCase()}`}
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </div>
  );
}
