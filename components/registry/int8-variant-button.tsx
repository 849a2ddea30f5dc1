"use client";
// "Make an int8 variant": the server quantises the weights, checks the variant against this version in
// onnxruntime-node, and registers it as a new draft version; the button then opens it.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { MutationError } from "@/components/ui/mutation-error";
import { useTRPC } from "@/lib/trpc";

export function Int8VariantButton({ slug, version }: { slug: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const make = useMutation({
    ...trpc.registry.makeInt8Variant.mutationOptions(),
    onSuccess: (v) => router.push(`/models/${slug}/versions/${v.version}`),
  });
  return (
    <div className="space-y-2">
      <Button variant="secondary" disabled={make.isPending} onClick={() => make.mutate({ slug, version })}>
        {make.isPending ? "Quantising and checking…" : "Make an int8 variant"}
      </Button>
      {make.isPending ? (
        <p role="status" className="text-xs text-muted">
          Rewriting the weights as int8, then running both versions in onnxruntime-node to measure the difference.
        </p>
      ) : null}
      <MutationError error={make.error} />
    </div>
  );
}
