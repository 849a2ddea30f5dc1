"use client";
// Paste a Backstage catalog-info.yaml and apply it; the report says what changed, an error says what to fix.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { MutationError } from "@/components/ui/mutation-error";
import { useTRPC } from "@/lib/trpc";

export function BackstageImport() {
  const trpc = useTRPC();
  const router = useRouter();
  const [yaml, setYaml] = useState("");
  const m = useMutation({ ...trpc.catalog.importBackstage.mutationOptions(), onSuccess: () => router.refresh() });
  const changed = m.data?.changes.filter((c) => c.action !== "unchanged") ?? [];
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate({ yaml });
      }}
    >
      <label htmlFor="backstage-yaml" className="block text-sm font-medium">
        catalog-info.yaml to import
      </label>
      <textarea
        id="backstage-yaml"
        value={yaml}
        onChange={(e) => setYaml(e.target.value)}
        rows={8}
        spellCheck={false}
        className="w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
        placeholder={
          "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: forward-collision-warning\nspec:\n  type: ml-model\n  owner: perception\n  lifecycle: production"
        }
      />
      <Button type="submit" variant="secondary" disabled={m.isPending || !yaml.trim()}>
        {m.isPending ? "Importing…" : "Import YAML"}
      </Button>
      <MutationError error={m.error} />
      {m.data ? (
        <div role="status" className="text-sm">
          <p>
            Imported: {m.data.created} created, {m.data.updated} updated, {m.data.unchanged} unchanged.
          </p>
          {changed.length ? (
            <ul className="mt-1 list-disc pl-5 text-xs">
              {changed.map((c) => (
                <li key={`${c.kind}/${c.name}`}>
                  {c.kind}/{c.name}: {c.action === "created" ? "created" : `changed ${c.fields.join(", ")}`}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
