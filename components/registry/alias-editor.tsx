"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { ZAlias } from "@/server/registry/schemas";
import { MutationError } from "@/components/ui/mutation-error";

type Pending = { kind: "move"; alias: string; from: number } | { kind: "remove"; alias: string } | null;

/**
 * This version's aliases with remove buttons, and a form to point an alias here.
 * Moving an alias away from another version and removing one are confirmed with their effect.
 */
export function AliasEditor({ slug, version, modelAliases }: { slug: string; version: number; modelAliases: { alias: string; version: number }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const done = () => {
    setPending(null);
    setName("");
    router.refresh();
  };
  const set = useMutation({ ...trpc.registry.setAlias.mutationOptions(), onSuccess: done });
  const remove = useMutation({ ...trpc.registry.deleteAlias.mutationOptions(), onSuccess: done });
  const here = modelAliases.filter((a) => a.version === version);
  const busy = set.isPending || remove.isPending;

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    set.reset();
    const parsed = ZAlias.safeParse(name);
    if (!parsed.success) {
      setFormError(parsed.error.issues[0]?.message ?? "Not a valid alias");
      return;
    }
    const alias = parsed.data;
    const current = modelAliases.find((a) => a.alias === alias);
    if (current?.version === version) {
      setFormError(`${alias} already points at v${version}.`);
      return;
    }
    setFormError(null);
    if (current) setPending({ kind: "move", alias, from: current.version });
    else set.mutate({ slug, version, alias });
  }

  const error = set.error ?? remove.error;
  return (
    <div className="space-y-2">
      {here.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Aliases of this version">
          {here.map((a) => (
            <li key={a.alias} className="flex items-center gap-1">
              <Badge tone={a.alias === "production" ? "green" : "blue"}>{a.alias}</Badge>
              <button
                type="button"
                onClick={() => {
                  remove.reset();
                  setPending({ kind: "remove", alias: a.alias });
                }}
                aria-label={`Remove alias ${a.alias}`}
                className="rounded px-1 text-xs text-muted hover:bg-zinc-100 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-focus dark:hover:bg-zinc-800"
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-muted">No alias points here.</p>
      )}
      <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
        <div className="w-44">
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. staging"
            aria-label="Alias name"
            aria-invalid={!!formError}
            aria-describedby={formError ? "alias-error" : undefined}
            list="known-aliases"
            autoComplete="off"
          />
        </div>
        <datalist id="known-aliases">
          {modelAliases
            .filter((a) => a.version !== version)
            .map((a) => (
              <option key={a.alias} value={a.alias} />
            ))}
        </datalist>
        <Button type="submit" variant="secondary" disabled={busy || !name.trim()}>
          Set alias
        </Button>
      </form>
      {formError ? (
        <p id="alias-error" className="text-xs text-red-700 dark:text-red-400">
          {formError}
        </p>
      ) : null}
      <MutationError error={!pending && error} />
      <Dialog
        open={pending !== null}
        onOpenChange={(o) => !o && setPending(null)}
        title={pending?.kind === "move" ? `Move ${pending.alias} from v${pending.from} to v${version}?` : `Remove alias ${pending?.alias ?? ""}?`}
        description={
          pending?.kind === "move"
            ? `Everything that resolves ${slug}@${pending.alias} gets v${version} instead of v${pending.from} from its next lookup.`
            : `Anything that resolves ${slug}@${pending?.alias ?? ""} gets "not found" until the alias is set again. The version itself is kept.`
        }
      >
        <MutationError error={error} />
        <FormActions onCancel={() => setPending(null)} className="mt-4">
          {pending?.kind === "move" ? (
            <Button disabled={busy} onClick={() => set.mutate({ slug, version, alias: pending.alias })}>
              Move {pending.alias} to v{version}
            </Button>
          ) : pending ? (
            <Button variant="danger" disabled={busy} onClick={() => remove.mutate({ slug, alias: pending.alias })}>
              Remove {pending.alias}
            </Button>
          ) : null}
        </FormActions>
      </Dialog>
    </div>
  );
}
