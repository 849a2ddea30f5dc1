"use client";
// Runbook editor: Markdown with a live preview (same renderer as the pages), links, and a save message; each save is a new version.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import { directiveProblems } from "@/lib/runbook-markdown";
import { useTRPC } from "@/lib/trpc";
import type { TRunbookLinks } from "@/server/runbooks/schemas";
import { RunbookMarkdown } from "./runbook-markdown";

const LINK_FIELDS: { key: keyof TRunbookLinks; label: string; hint: string }[] = [
  { key: "alertKinds", label: "Alert kinds", hint: "drift, slo, freshness" },
  { key: "rulePrefixes", label: "Alert rule key prefixes", hint: "e.g. slo: or drift:<monitor id>" },
  { key: "models", label: "Models", hint: "model slugs, e.g. camera-health" },
  { key: "services", label: "Services", hint: "e.g. camera fleet, cloud serving (matches on-call rotations)" },
];
const split = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

export function RunbookEditor({ initial }: { initial: { id?: string; version?: number; title: string; body: string; links: TRunbookLinks } }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [title, setTitle] = useState(initial.title);
  const [body, setBody] = useState(initial.body);
  const [links, setLinks] = useState<Record<keyof TRunbookLinks, string>>({
    alertKinds: initial.links.alertKinds.join(", "),
    rulePrefixes: initial.links.rulePrefixes.join(", "),
    models: initial.links.models.join(", "),
    services: initial.links.services.join(", "),
  });
  const [message, setMessage] = useState("");
  const [tab, setTab] = useState<"write" | "preview">("write");
  const m = useMutation({ ...trpc.runbooks.save.mutationOptions(), onSuccess: (r) => router.push(`/runbooks/${r.id}`) });
  const problems = directiveProblems(body);
  const model = split(links.models)[0] ?? null;
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate({
          id: initial.id,
          baseVersion: initial.version,
          title,
          body,
          message,
          links: { alertKinds: split(links.alertKinds), rulePrefixes: split(links.rulePrefixes), models: split(links.models), services: split(links.services) },
        });
      }}
    >
      <Field label="Title" htmlFor="rb-title">
        <Input id="rb-title" value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} maxLength={200} />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        {LINK_FIELDS.map((f) => (
          <Field key={f.key} label={f.label} htmlFor={`rb-${f.key}`} hint={`Comma-separated; ${f.hint}`}>
            <Input id={`rb-${f.key}`} value={links[f.key]} onChange={(e) => setLinks({ ...links, [f.key]: e.target.value })} />
          </Field>
        ))}
      </div>
      <div>
        <div role="tablist" aria-label="Editor mode" className="mb-2 flex gap-1">
          {(["write", "preview"] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              className={cn(
                "rounded-md px-2.5 py-1 text-sm",
                tab === t
                  ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                  : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
              )}
            >
              {t === "write" ? "Write" : "Preview"}
            </button>
          ))}
        </div>
        {tab === "write" ? (
          <>
            <label htmlFor="rb-body" className="sr-only">
              Runbook (Markdown)
            </label>
            <textarea
              id="rb-body"
              className="h-[28rem] w-full rounded-md border border-zinc-300 bg-white p-2.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
              value={body}
              onChange={(e) => setBody(e.target.value)}
              maxLength={100_000}
            />
            <p className="text-xs text-muted">
              Markdown. Task items (<code>- [ ] step</code>) become the incident checklist. Live panels: <code>::panel{"{drift model=camera-health}"}</code>,{" "}
              <code>::panel{"{latency}"}</code>, <code>::panel{"{errors}"}</code>. Action buttons: <code>::action{"{rollback}"}</code>,{" "}
              <code>::action{"{pause}"}</code>.
            </p>
          </>
        ) : (
          <div className="min-h-[10rem] rounded-md border border-zinc-200 p-3 dark:border-zinc-800" aria-label="Preview">
            <RunbookMarkdown body={body} model={model} />
          </div>
        )}
      </div>
      <Field label="What changed" htmlFor="rb-message" hint="Shown in the history beside your name.">
        <Input id="rb-message" value={message} onChange={(e) => setMessage(e.target.value)} maxLength={500} />
      </Field>
      {problems.length ? <ErrorNote>{problems.join("; ")}</ErrorNote> : null}
      <MutationError error={m.error} />
      <div className="flex gap-2">
        <Button type="submit" disabled={m.isPending || problems.length > 0}>
          {initial.id ? `Save as version ${(initial.version ?? 0) + 1}` : "Create runbook"}
        </Button>
        <Button type="button" variant="secondary" onClick={() => router.back()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
