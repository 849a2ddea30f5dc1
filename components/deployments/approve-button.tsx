"use client";
// Four-eyes approval of a version for a deployment, by an admin who is not its author.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { mutationErrorText } from "@/components/registry/mutation-error";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc";

export function ApproveButton({ deploymentId, version }: { deploymentId: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const approve = useMutation({ ...trpc.deployments.approve.mutationOptions(), onSuccess: () => router.refresh() });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="secondary" disabled={approve.isPending} onClick={() => approve.mutate({ deploymentId, version })}>
        Approve v{version}
      </Button>
      {approve.error ? <ErrorNote>{mutationErrorText(approve.error)}</ErrorNote> : null}
    </div>
  );
}
