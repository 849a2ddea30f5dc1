"use client";
// Approve or reject a candidate with a comment; the server re-checks the permission and freezes the numbers.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc";
import { MutationError } from "@/components/ui/mutation-error";

type Props = {
  slug: string;
  version: number;
  dataset: string | null;
  seen: { candidateEvaluationId: string; productionEvaluationId: string | null };
  regressions: number;
};

export function SignOffForm({ slug, version, dataset, seen, regressions }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [decision, setDecision] = useState<"approve" | "reject">(regressions ? "reject" : "approve");
  const [comment, setComment] = useState("");
  const [confirming, setConfirming] = useState(false);
  const signOff = useMutation({
    ...trpc.safety.signOff.mutationOptions(),
    onSuccess: () => {
      setComment("");
      setConfirming(false);
      router.refresh();
    },
  });
  const verb = decision === "approve" ? `Approve v${version}` : `Reject v${version}`;
  return (
    <form
      className="space-y-3"
      aria-label="Sign-off"
      onSubmit={(e) => {
        e.preventDefault();
        signOff.reset();
        setConfirming(true);
      }}
    >
      <fieldset className="flex gap-4 text-sm">
        <legend className="sr-only">Decision</legend>
        {(["approve", "reject"] as const).map((d) => (
          <label key={d} className="flex items-center gap-1.5">
            <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
            {d === "approve" ? "Approve for release" : "Reject"}
          </label>
        ))}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor="signoff-comment" className="block text-sm font-medium">
          Comment
        </label>
        <textarea
          id="signoff-comment"
          required
          minLength={3}
          rows={3}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          className="w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          placeholder={regressions ? "Why the regressions are or are not acceptable" : "What you checked"}
        />
      </div>
      <MutationError error={!confirming && signOff.error} />
      <div className="flex items-center gap-3">
        <Button type="submit" variant={decision === "reject" ? "danger" : "primary"} disabled={signOff.isPending}>
          {verb}…
        </Button>
        <span className="text-xs text-muted">Recorded with the numbers on this page; it cannot be edited, only superseded by a newer sign-off.</span>
      </div>
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`${verb} for release?`}
        description={`Your decision is recorded with the numbers on this page (${dataset ?? "no dataset"}, ${regressions} regression${regressions === 1 ? "" : "s"}) and ${decision === "approve" ? "lets promotion pass the sign-off gate" : "keeps the sign-off gate closed"}. You can withdraw it until a promotion uses it.`}
      >
        <p className="mb-3 whitespace-pre-wrap rounded bg-zinc-100 p-2 text-sm dark:bg-zinc-800">“{comment}”</p>
        <MutationError error={signOff.error} />
        <FormActions onCancel={() => setConfirming(false)}>
          <Button
            type="button"
            variant={decision === "reject" ? "danger" : "primary"}
            disabled={signOff.isPending}
            onClick={() => signOff.mutate({ slug, version, decision, comment, dataset: dataset ?? undefined, seen })}
          >
            Confirm: {verb.toLowerCase()}
          </Button>
        </FormActions>
      </Dialog>
    </form>
  );
}
