"use client";
// "Run analysis now": analyses the current step at once; the plan's decision (pause, roll back, advance) follows on the server.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";

/** Stays mounted when the analysis ends the rollout, so its answer is still shown after the refresh. */
export function RunAnalysisButton({ deploymentId, inFlight }: { deploymentId: string; inFlight: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const run = useMutation({ ...trpc.deployments.runAnalysis.mutationOptions(), onSuccess: () => router.refresh() });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        variant="secondary"
        disabled={run.isPending || !inFlight}
        title={inFlight ? undefined : "No rollout is in progress"}
        onClick={() => run.mutate({ deploymentId })}
      >
        {run.isPending ? "Analysing…" : "Run analysis now"}
      </Button>
      {run.data ? (
        <span role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          {run.data.summary}
        </span>
      ) : null}
      <MutationError error={run.error} />
    </div>
  );
}
