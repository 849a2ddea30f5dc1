"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";
import { MarkdownText } from "./markdown";
import { MutationError } from "@/components/ui/mutation-error";
import { Section } from "./section";
import { FormActions } from "@/components/ui/dialog";

/** The model card section: `children` (the rendered card) and "Edit card", which opens a markdown editor with a live preview. */
export function ModelCardEditor({
  slug,
  version,
  card,
  template,
  children,
}: {
  slug: string;
  version: number;
  card: string;
  template: string;
  children: React.ReactNode;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const save = useMutation({
    ...trpc.registry.updateVersion.mutationOptions(),
    onSuccess: () => {
      setEditing(false);
      router.refresh();
    },
  });

  function start() {
    setText(card.trim() ? card : template);
    save.reset();
    setEditing(true);
  }

  const editButton = (
    <Button variant="secondary" onClick={start}>
      {card.trim() ? "Edit card" : "Write card"}
    </Button>
  );
  const editor = (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ slug, version, patch: { modelCard: text } });
      }}
    >
      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <label htmlFor="model-card-text" className="mb-1 block text-sm font-medium">
            Model card (markdown)
          </label>
          <textarea
            id="model-card-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={20}
            maxLength={200_000}
            className="w-full rounded-md border border-zinc-300 bg-white p-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          />
        </div>
        <div>
          <p className="mb-1 text-sm font-medium" id="card-preview-label">
            Preview
          </p>
          <div
            role="region"
            aria-labelledby="card-preview-label"
            className="max-h-[30rem] overflow-auto rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
          >
            {text.trim() ? <MarkdownText>{text}</MarkdownText> : <p className="text-sm text-muted">Nothing to preview.</p>}
          </div>
        </div>
      </div>
      <MutationError error={save.error} />
      <FormActions onCancel={() => setEditing(false)}>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save card"}
        </Button>
      </FormActions>
    </form>
  );

  return (
    <Section id="model-card" title="Model card" actions={editing ? null : editButton}>
      {editing ? editor : children}
    </Section>
  );
}
