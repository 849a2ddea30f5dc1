"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { MODEL_TASKS, ZCreateModel } from "@/server/registry/schemas";
import { MutationError } from "@/components/ui/mutation-error";

type FieldErrors = Partial<Record<"slug" | "name" | "team" | "task" | "description", string>>;

/** "Create model" and its dialog; on success goes to the new model's page. */
export function CreateModelButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    ...trpc.registry.createModel.mutationOptions(),
    onSuccess: (m) => router.push(`/models/${m.slug}`),
  });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const values = {
      slug: String(f.get("slug") ?? ""),
      name: String(f.get("name") ?? ""),
      team: String(f.get("team") ?? ""),
      task: String(f.get("task") ?? ""),
      description: String(f.get("description") ?? ""),
    };
    const next: FieldErrors = {};
    // Plain words for missing fields; zod's messages for everything else.
    if (!values.slug.trim()) next.slug = "Enter a slug, e.g. lane-detector";
    if (!values.name.trim()) next.name = "Enter a name";
    if (!values.team.trim()) next.team = "Enter the owning team";
    const parsed = ZCreateModel.safeParse(values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if (key === "slug" || key === "name" || key === "team" || key === "task" || key === "description") next[key] ??= issue.message;
      }
    }
    if (!parsed.success || Object.keys(next).length) {
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  function onOpenChange(o: boolean) {
    setOpen(o);
    if (!o) {
      setErrors({});
      create.reset();
    }
  }

  const err = (k: keyof FieldErrors) =>
    errors[k] ? (
      <p id={`model-${k}-error`} className="text-xs text-red-700 dark:text-red-400">
        {errors[k]}
      </p>
    ) : null;

  return (
    <>
      <Button onClick={() => setOpen(true)}>Create model</Button>
      <Dialog
        open={open}
        onOpenChange={onOpenChange}
        title="Create a model"
        description="A model groups the versions of one network. Upload the first version from its page."
      >
        <form onSubmit={onSubmit} className="space-y-3" noValidate>
          <Field label="Slug" htmlFor="model-slug" hint="Lowercase letters, digits and dashes; used in URLs and by devices. It cannot be changed later.">
            <Input
              id="model-slug"
              name="slug"
              required
              placeholder="lane-detector"
              autoComplete="off"
              aria-invalid={!!errors.slug}
              aria-describedby={errors.slug ? "model-slug-error" : undefined}
            />
            {err("slug")}
          </Field>
          <Field label="Name" htmlFor="model-name">
            <Input
              id="model-name"
              name="name"
              required
              placeholder="Lane detector"
              aria-invalid={!!errors.name}
              aria-describedby={errors.name ? "model-name-error" : undefined}
            />
            {err("name")}
          </Field>
          <div className="grid grid-cols-2 gap-3">
            <Field label="Team" htmlFor="model-team">
              <Input
                id="model-team"
                name="team"
                required
                placeholder="perception"
                aria-invalid={!!errors.team}
                aria-describedby={errors.team ? "model-team-error" : undefined}
              />
              {err("team")}
            </Field>
            <Field label="Task" htmlFor="model-task">
              <Select id="model-task" name="task" defaultValue="detection">
                {MODEL_TASKS.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </Select>
              {err("task")}
            </Field>
          </div>
          <Field label="Description (optional)" htmlFor="model-description" hint="Markdown. What it detects, where it runs.">
            <textarea
              id="model-description"
              name="description"
              rows={3}
              className="w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
            {err("description")}
          </Field>
          <MutationError error={create.error} />
          <div className="flex justify-end gap-2 pt-1">
            <Button type="button" variant="secondary" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending || create.isSuccess}>
              {create.isPending ? "Creating…" : "Create model"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
