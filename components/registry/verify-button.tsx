"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";
import { MutationError } from "@/components/ui/mutation-error";

/** Re-hashes the stored file now and records the result. */
export function VerifyButton({ slug, version }: { slug: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const verify = useMutation({ ...trpc.registry.verify.mutationOptions(), onSuccess: () => router.refresh() });
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-3">
        <Button variant="secondary" disabled={verify.isPending} onClick={() => verify.mutate({ slug, version })}>
          {verify.isPending ? "Verifying…" : "Verify now"}
        </Button>
        {verify.data ? (
          <span role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
            Checked just now:{" "}
            {verify.data.integrity === "ok"
              ? "the file matches its hash"
              : verify.data.integrity === "missing"
                ? "the file is missing from the store"
                : "the file no longer matches its hash"}
            .
          </span>
        ) : null}
      </div>
      <MutationError error={verify.error} />
    </div>
  );
}
