"use client";
// The sign-offs of a version, newest first; the reviewer (or an admin) may withdraw one no promotion has used yet.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/input";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import type { Role } from "@/server/auth/roles";
import { canWithdrawSignOff } from "@/server/safety/policy";
import type { SignOffView } from "@/server/safety/service";

type Props = { items: SignOffView[]; slug: string; version: number; actor: { userId: string; role: Role } };

export function SignOffHistory({ items, slug, version, actor }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [pending, setPending] = useState<SignOffView | null>(null);
  const [reason, setReason] = useState("");
  const withdraw = useMutation({
    ...trpc.safety.withdrawSignOff.mutationOptions(),
    onSuccess: () => {
      setPending(null);
      setReason("");
      router.refresh();
    },
  });
  if (!items.length)
    return (
      <EmptyState title="Not signed off yet">
        <p className="mt-1 text-sm text-muted">A safety reviewer records approve or reject here; a safety-relevant model cannot be promoted without it.</p>
      </EmptyState>
    );
  return (
    <>
      <ol className="space-y-2" aria-label="Sign-off history">
        {items.map((s) => {
          const may = canWithdrawSignOff(actor, { reviewerId: s.reviewerId, withdrawn: s.withdrawn !== null, used: s.usedAt !== null });
          const inForce = !s.superseded && !s.withdrawn;
          return (
            <li
              key={s.id}
              className={`rounded-md border p-3 text-sm dark:border-zinc-800 ${inForce ? "border-zinc-300" : "border-zinc-200 opacity-80"}`}
              data-testid="sign-off"
            >
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={s.decision === "approve" ? "green" : "red"}>{s.decision === "approve" ? "Approved" : "Rejected"}</Badge>
                <span className="font-medium">{s.reviewer}</span>
                <span className="text-muted">
                  <Time value={s.createdAt} />
                </span>
                {s.withdrawn ? <Badge tone="amber">withdrawn</Badge> : s.superseded ? <Badge>superseded</Badge> : <Badge tone="blue">in force</Badge>}
                {s.usedAt ? <Badge>used by a promotion</Badge> : null}
              </div>
              <p className="mt-1 whitespace-pre-wrap">{s.comment}</p>
              {s.withdrawn ? (
                <p className="mt-1 text-xs text-muted">
                  Withdrawn by {s.withdrawn.by} <Time value={s.withdrawn.at} />
                </p>
              ) : null}
              {may.allowed && !s.superseded ? (
                <Button className="mt-2" variant="secondary" onClick={() => setPending(s)}>
                  Withdraw this sign-off
                </Button>
              ) : null}
            </li>
          );
        })}
      </ol>
      <Dialog
        open={pending !== null}
        onOpenChange={(v) => (v ? null : setPending(null))}
        title={`Withdraw the sign-off of v${version}?`}
        description="The version then has no sign-off in force: promotion, and a canary past its limit, are blocked again until a reviewer decides anew. The withdrawal is recorded in the audit log."
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (pending) withdraw.mutate({ slug, version, signOffId: pending.id, reason });
          }}
        >
          <Field label="Why (required)" htmlFor="withdraw-reason">
            <textarea
              id="withdraw-reason"
              className="w-full rounded-md border border-zinc-400 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900"
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              minLength={3}
              maxLength={2000}
            />
          </Field>
          <MutationError error={withdraw.error} />
          <FormActions onCancel={() => setPending(null)}>
            <Button type="submit" variant="danger" disabled={withdraw.isPending}>
              Withdraw sign-off
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}
