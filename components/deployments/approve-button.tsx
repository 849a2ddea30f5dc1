"use client";
// Four-eyes approval of a version for a deployment (an admin who is not its author), confirmed before it is recorded;
// the admin who approved may withdraw it until a promotion or canary start uses it.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import { canWithdrawApproval, type PolicyActor } from "@/server/deployments/policy";

export function ApproveButton({ deploymentId, version }: { deploymentId: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState("");
  const approve = useMutation({
    ...trpc.deployments.approve.mutationOptions(),
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  return (
    <>
      <Button variant="secondary" onClick={() => (approve.reset(), setOpen(true))}>
        Approve v{version}…
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Approve v${version} for this deployment?`}
        description="Four-eyes approval says a second admin checked the release. It is not the safety sign-off, which a safety reviewer gives on the review page. You can withdraw it until a promotion or canary uses it."
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            approve.mutate({ deploymentId, version, comment });
          }}
        >
          <Field label="Comment (optional)" htmlFor="approve-comment">
            <Input id="approve-comment" value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
          </Field>
          <MutationError error={approve.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" disabled={approve.isPending}>
              Confirm: approve v{version}
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}

type Approval = { approvedBy: string; email: string; comment: string; at: Date; usedAt: Date | null };

export function ApprovalList({
  deploymentId,
  version,
  approvals,
  actor,
}: {
  deploymentId: string;
  version: number;
  approvals: Approval[];
  actor: PolicyActor;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const withdraw = useMutation({
    ...trpc.deployments.withdrawApproval.mutationOptions(),
    onSuccess: () => {
      setOpen(false);
      setReason("");
      router.refresh();
    },
  });
  if (!approvals.length) return null;
  return (
    <ul className="mt-1 space-y-1 text-xs" aria-label={`Approvals of v${version}`}>
      {approvals.map((a) => {
        const may = canWithdrawApproval(actor, a);
        return (
          <li key={a.approvedBy} className="flex flex-wrap items-center gap-2">
            <span>
              {a.email} approved <Time value={a.at} />
              {a.comment ? `: “${a.comment}”` : ""}
              {a.usedAt ? " · used by a rollout" : ""}
            </span>
            {may.allowed ? (
              <Button variant="secondary" className="px-2 py-0.5 text-xs" onClick={() => (withdraw.reset(), setOpen(true))}>
                Withdraw my approval…
              </Button>
            ) : null}
          </li>
        );
      })}
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Withdraw your approval of v${version}?`}
        description="The four-eyes gate then fails again until another admin approves. The withdrawal goes to the timeline and the audit log."
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            withdraw.mutate({ deploymentId, version, reason });
          }}
        >
          <Field label="Why (required)" htmlFor="withdraw-approval-reason">
            <Input id="withdraw-approval-reason" value={reason} required minLength={3} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <MutationError error={withdraw.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" variant="danger" disabled={withdraw.isPending}>
              Withdraw approval
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </ul>
  );
}
