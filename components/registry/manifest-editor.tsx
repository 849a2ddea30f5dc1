"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";
import { ZManifest, type TManifest } from "@/server/registry/schemas";
import { MutationError } from "@/components/ui/mutation-error";
import { Section } from "./section";
import { FormActions } from "@/components/ui/dialog";

// A starting point when a version has no manifest yet (e.g. an external artifact).
const EXAMPLE: TManifest = {
  input: {
    name: "input",
    layout: "NCHW",
    width: 640,
    height: 640,
    channels: 3,
    colorOrder: "RGB",
    resize: "letterbox",
    scale: 1 / 255,
    mean: [0, 0, 0],
    std: [1, 1, 1],
    subject: "frame",
  },
  labels: [],
  postprocess: { kind: "none" },
};

/** The manifest section: `children` (the read-only manifest) and an "Edit manifest" button that swaps in a JSON editor checked with ZManifest. */
export function ManifestEditor({
  slug,
  version,
  manifest,
  children,
}: {
  slug: string;
  version: number;
  manifest: TManifest | null;
  children: React.ReactNode;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const [issues, setIssues] = useState<string[]>([]);
  const save = useMutation({
    ...trpc.registry.updateVersion.mutationOptions(),
    onSuccess: () => {
      setEditing(false);
      router.refresh();
    },
  });

  function start() {
    setText(JSON.stringify(manifest ?? EXAMPLE, null, 2));
    setIssues([]);
    save.reset();
    setEditing(true);
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      setIssues([`This is not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
      return;
    }
    const parsed = ZManifest.safeParse(value);
    if (!parsed.success) {
      setIssues(parsed.error.issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "manifest"}: ${i.message}`));
      return;
    }
    setIssues([]);
    save.mutate({ slug, version, patch: { manifest: parsed.data } });
  }

  const editButton = (
    <Button variant="secondary" onClick={start}>
      Edit manifest
    </Button>
  );
  const editor = (
    <form onSubmit={onSubmit} className="space-y-3">
      <label htmlFor="manifest-json" className="block text-sm font-medium">
        Manifest (JSON)
      </label>
      <textarea
        id="manifest-json"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={18}
        spellCheck={false}
        aria-invalid={issues.length > 0}
        aria-describedby={issues.length ? "manifest-issues" : "manifest-hint"}
        className="w-full rounded-md border border-zinc-300 bg-white p-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
      />
      <p id="manifest-hint" className="text-xs text-muted">
        input (name, layout, width, height, channels, colorOrder, resize, scale, mean, std, subject: frame or crop), labels, and postprocess with a kind such as
        softmax, boxes, db-text or ctc-text.
      </p>
      {issues.length ? (
        <div
          id="manifest-issues"
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300"
        >
          <p className="font-medium">The manifest was not saved:</p>
          <ul className="mt-1 list-disc pl-5 font-mono text-xs">
            {issues.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <MutationError error={save.error} />
      <FormActions onCancel={() => setEditing(false)}>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save manifest"}
        </Button>
      </FormActions>
    </form>
  );

  return (
    <Section id="manifest" title="Runtime manifest" actions={editing ? null : editButton}>
      {editing ? editor : children}
    </Section>
  );
}
