"use client";
// Postmortem template with blameless prompts that flag blaming words as you type; saves to the incident, downloads as Markdown.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { blamePrompts, type TPostmortem } from "@/server/incidents/schemas";

type TextKey = "summary" | "impact" | "rootCause" | "wentWell";
const SECTIONS: { key: TextKey; label: string }[] = [
  { key: "summary", label: "Summary" },
  { key: "impact", label: "Impact" },
  { key: "rootCause", label: "Root cause" },
  { key: "wentWell", label: "What went well" },
];

export function PostmortemEditor({
  id,
  initial,
  prompts,
  markdown,
  fileName,
  canEdit,
}: {
  id: string;
  initial: TPostmortem;
  prompts: Record<TextKey, string>;
  markdown: string;
  fileName: string;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [pm, setPm] = useState<TPostmortem>(initial);
  const m = useMutation({ ...trpc.incidents.savePostmortem.mutationOptions(), onSuccess: () => router.refresh() });
  const download = () => {
    const url = URL.createObjectURL(new Blob([markdown], { type: "text/markdown;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = fileName;
    a.click();
    URL.revokeObjectURL(url);
  };
  const items = pm.actionItems;
  const setItem = (n: number, patch: Partial<TPostmortem["actionItems"][number]>) =>
    setPm({ ...pm, actionItems: items.map((x, i) => (i === n ? { ...x, ...patch } : x)) });
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate({ id, postmortem: pm });
      }}
    >
      {SECTIONS.map((s) => {
        const hints = blamePrompts(pm[s.key]);
        return (
          <Field key={s.key} label={s.label} htmlFor={`pm-${s.key}`} hint={prompts[s.key]}>
            <textarea
              id={`pm-${s.key}`}
              rows={4}
              readOnly={!canEdit}
              className="w-full rounded-md border border-zinc-300 bg-white p-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
              value={pm[s.key]}
              onChange={(e) => setPm({ ...pm, [s.key]: e.target.value })}
            />
            {hints.length ? (
              <ul
                className="rounded-md bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200"
                aria-label={`Blameless wording for ${s.label}`}
              >
                {hints.map((h) => (
                  <li key={h}>{h}</li>
                ))}
              </ul>
            ) : null}
          </Field>
        );
      })}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Action items</legend>
        {items.map((a, n) => (
          <div key={n} className="grid grid-cols-[auto_1fr] gap-2 sm:grid-cols-[auto_1fr_10rem_9rem_auto]">
            <input
              type="checkbox"
              aria-label={`Done: action ${n + 1}`}
              checked={a.done}
              disabled={!canEdit}
              onChange={(e) => setItem(n, { done: e.target.checked })}
              className="mt-2"
            />
            <Input
              aria-label={`Action ${n + 1}`}
              value={a.text}
              readOnly={!canEdit}
              onChange={(e) => setItem(n, { text: e.target.value })}
              required
              maxLength={500}
            />
            <Input
              aria-label={`Owner of action ${n + 1}`}
              placeholder="owner"
              value={a.owner}
              readOnly={!canEdit}
              onChange={(e) => setItem(n, { owner: e.target.value })}
              maxLength={200}
            />
            <Input
              aria-label={`Due date of action ${n + 1}`}
              type="date"
              value={a.due}
              readOnly={!canEdit}
              onChange={(e) => setItem(n, { due: e.target.value })}
            />
            {canEdit ? (
              <Button
                type="button"
                variant="ghost"
                onClick={() => setPm({ ...pm, actionItems: items.filter((_, i) => i !== n) })}
                aria-label={`Remove action ${n + 1}`}
              >
                Remove
              </Button>
            ) : null}
          </div>
        ))}
        {canEdit ? (
          <Button type="button" variant="secondary" onClick={() => setPm({ ...pm, actionItems: [...items, { text: "", owner: "", due: "", done: false }] })}>
            Add action item
          </Button>
        ) : null}
      </fieldset>
      <MutationError error={m.error} />
      <div className="flex flex-wrap gap-2">
        {canEdit ? (
          <Button type="submit" disabled={m.isPending}>
            Save postmortem
          </Button>
        ) : null}
        <Button type="button" variant="secondary" onClick={download}>
          Download Markdown (saved version)
        </Button>
      </div>
    </form>
  );
}
