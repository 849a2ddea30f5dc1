"use client";
// "Register as model version" for one artifact of a run (a logged model directory or an .onnx file):
// the version's source is that artifact, registered by the same service as MLflow's create-model-version.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { ZNewModelName } from "@/server/experiments/schemas";

/** Shown to viewers next to the disabled buttons, so the reason is in words and not only a greyed control. */
export const REGISTER_NEEDS_ROLE = "Registering an artifact as a model version needs the engineer role; ask an engineer or an admin.";

export function RegisterArtifactButton({ runId, path, canEdit, reasonId }: { runId: string; path: string; canEdit: boolean; reasonId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<"existing" | "new">("existing");
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const models = useQuery(trpc.registry.list.queryOptions({ sort: "name", pageSize: 200 }, { enabled: open }));
  const register = useMutation({
    ...trpc.experiments.registerArtifact.mutationOptions(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.experiments.getRun.queryKey({ runId }) }),
  });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setInvalid(null);
    if (kind === "existing") {
      if (!slug) return setInvalid("Choose a model, or pick “A new model” and name it.");
      register.mutate({ runId, path, model: { kind, slug } });
    } else {
      const parsed = ZNewModelName.safeParse(name);
      if (!parsed.success) return setInvalid(parsed.error.issues[0]?.message ?? "Check the model name.");
      register.mutate({ runId, path, model: { kind, name: parsed.data } });
    }
  }

  const close = (o: boolean) => {
    if (register.isPending) return;
    setOpen(o);
    if (!o) {
      register.reset();
      setInvalid(null);
    }
  };
  const done = register.data;
  const error = invalid ?? register.error?.message ?? null;

  return (
    <>
      <button
        type="button"
        className="text-xs text-link underline disabled:cursor-not-allowed disabled:text-muted disabled:no-underline"
        disabled={!canEdit}
        aria-describedby={canEdit ? undefined : reasonId}
        aria-label={`Register ${path} as a model version`}
        title={canEdit ? undefined : REGISTER_NEEDS_ROLE}
        onClick={() => setOpen(true)}
      >
        Register as model version
      </button>
      <Dialog
        open={open}
        onOpenChange={close}
        title="Register as model version"
        description={`The new version's source is ${path} of this run; an ONNX file is copied into the registry.`}
      >
        {done ? (
          <div className="space-y-4" role="status">
            <p className="text-sm">
              Registered{" "}
              <Link href={done.href} className="font-medium text-link underline">
                {done.name} version {done.version}
              </Link>
              .
            </p>
            <div className="flex justify-end">
              <Button type="button" variant="secondary" onClick={() => close(false)}>
                Close
              </Button>
            </div>
          </div>
        ) : (
          <form onSubmit={submit} className="space-y-4" noValidate>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Model</legend>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name={`${ids}-kind`} checked={kind === "existing"} onChange={() => setKind("existing")} disabled={register.isPending} />
                An existing model
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name={`${ids}-kind`} checked={kind === "new"} onChange={() => setKind("new")} disabled={register.isPending} />A new model
              </label>
            </fieldset>
            {kind === "existing" ? (
              <Field label="Existing model" htmlFor={`${ids}-model`}>
                <Select id={`${ids}-model`} value={slug} onChange={(e) => setSlug(e.target.value)} disabled={register.isPending}>
                  <option value="">
                    {models.isPending ? "Loading models…" : models.data?.items.length ? "Choose a model" : "No models yet: pick “A new model”"}
                  </option>
                  {(models.data?.items ?? []).map((m) => (
                    <option key={m.slug} value={m.slug}>
                      {m.name} ({m.slug}){m.latestVersion ? ` · latest v${m.latestVersion}` : ""}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : (
              <Field label="New model name" htmlFor={`${ids}-name`} hint="Up to 120 characters, no slash. A name in use is refused.">
                <Input
                  id={`${ids}-name`}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  maxLength={200}
                  disabled={register.isPending}
                  autoComplete="off"
                />
              </Field>
            )}
            {models.error ? <ErrorNote>Could not load the models: {models.error.message}</ErrorNote> : null}
            {error ? <ErrorNote>{error}</ErrorNote> : null}
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" disabled={register.isPending} onClick={() => close(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={register.isPending}>
                {register.isPending ? "Registering…" : "Register version"}
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
