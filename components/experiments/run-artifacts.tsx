"use client";
// The run page's artifacts (a tree with download links and text previews) and dataset inputs.
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatBytes } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { registrableArtifact } from "@/server/experiments/schemas";
import { REGISTER_NEEDS_ROLE, RegisterArtifactButton } from "./register-artifact";
import { MutationError } from "@/components/ui/mutation-error";

type FileRow = { path: string; size: number };
type Dir = { name: string; path: string; dirs: Dir[]; files: FileRow[] };

/** Nests sorted file paths into directories (pure; the server sends a flat, bounded list). */
export function buildTree(files: FileRow[]): Dir {
  const root: Dir = { name: "", path: "", dirs: [], files: [] };
  for (const f of files) {
    const parts = f.path.split("/");
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.find((d) => d.name === part);
      if (!next) {
        next = { name: part, path: dir.path ? `${dir.path}/${part}` : part, dirs: [], files: [] };
        dir.dirs.push(next);
      }
      dir = next;
    }
    dir.files.push(f);
  }
  return root;
}

const downloadHref = (runId: string, path: string) => `/api/v1/runs/${runId}/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`;

type Registering = { canEdit: boolean; reasonId: string };

function DirView({ dir, runId, onPreview, depth, reg }: { dir: Dir; runId: string; onPreview: (p: string) => void; depth: number; reg: Registering }) {
  return (
    <ul className={depth ? "ml-4 border-l border-zinc-200 pl-3 dark:border-zinc-800" : ""}>
      {dir.dirs.map((d) => (
        <li key={d.path}>
          <details open={depth < 1}>
            <summary className="cursor-pointer py-0.5 text-sm font-medium">{d.name}/</summary>
            {/* Outside the summary: a button inside it would be a control nested in a control. */}
            <div className="ml-4 pl-3">
              <RegisterArtifactButton runId={runId} path={d.path} canEdit={reg.canEdit} reasonId={reg.reasonId} />
            </div>
            <DirView dir={d} runId={runId} onPreview={onPreview} depth={depth + 1} reg={reg} />
          </details>
        </li>
      ))}
      {dir.files.map((f) => {
        const name = f.path.split("/").pop() ?? f.path;
        return (
          <li key={f.path} className="flex flex-wrap items-center gap-x-3 py-0.5 text-sm">
            <span className="break-all font-mono text-xs">{name}</span>
            <span className="text-xs text-muted">{formatBytes(f.size)}</span>
            <a href={downloadHref(runId, f.path)} className="text-xs text-link underline" aria-label={`Download ${f.path}`}>
              Download
            </a>
            <button type="button" className="text-xs text-link underline" onClick={() => onPreview(f.path)} aria-label={`Preview ${f.path}`}>
              Preview
            </button>
            {registrableArtifact(f.path, false) ? <RegisterArtifactButton runId={runId} path={f.path} canEdit={reg.canEdit} reasonId={reg.reasonId} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

function Preview({ runId, path, onClose }: { runId: string; path: string; onClose: () => void }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.experiments.artifactPreview.queryOptions({ runId, path }));
  return (
    <div className="mt-3 rounded border border-zinc-200 p-2 dark:border-zinc-800" role="region" aria-label={`Preview of ${path}`}>
      <div className="mb-1 flex items-center justify-between gap-2">
        <span className="break-all font-mono text-xs">{path}</span>
        <Button variant="ghost" onClick={onClose}>
          Close preview
        </Button>
      </div>
      {q.isPending ? <p className="text-sm text-muted">Loading preview…</p> : null}
      <MutationError error={q.error} />
      {q.data && q.data.text === null ? <p className="text-sm text-muted">No text preview for this kind of file; use Download.</p> : null}
      {q.data?.text !== undefined && q.data?.text !== null ? (
        <>
          <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-900">{q.data.text}</pre>
          {q.data.truncated ? (
            <p className="mt-1 text-xs text-muted">Showing the first 64 KB of {formatBytes(q.data.size)}; download the file for the rest.</p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function RunArtifacts({ runId, canEdit }: { runId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const reasonId = useId();
  const q = useQuery(trpc.experiments.runArtifacts.queryOptions({ runId }));
  const [preview, setPreview] = useState<string | null>(null);
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card>
        <h2 className="mb-2 text-sm font-semibold">Artifacts{q.data ? ` (${q.data.files.length})` : ""}</h2>
        {q.isPending ? <p className="text-sm text-muted">Loading artifacts…</p> : null}
        <MutationError error={q.error} />
        {q.data && !q.data.files.length ? (
          <p className="text-sm text-muted">No artifacts yet: log them with mlflow.log_artifact() or mlflow.&lt;flavor&gt;.log_model().</p>
        ) : null}
        {q.data?.files.length && !canEdit ? (
          <p id={reasonId} className="mb-2 text-xs text-muted">
            {REGISTER_NEEDS_ROLE}
          </p>
        ) : null}
        {q.data?.files.length ? <DirView dir={buildTree(q.data.files)} runId={runId} onPreview={setPreview} depth={0} reg={{ canEdit, reasonId }} /> : null}
        {preview ? <Preview key={preview} runId={runId} path={preview} onClose={() => setPreview(null)} /> : null}
      </Card>
      <Card>
        <h2 className="mb-2 text-sm font-semibold">Datasets{q.data ? ` (${q.data.datasets.length})` : ""}</h2>
        {q.data && !q.data.datasets.length ? <p className="text-sm text-muted">No datasets logged: use mlflow.log_input().</p> : null}
        {q.data?.datasets.length ? (
          <ul className="space-y-1 text-sm">
            {q.data.datasets.map((d) => (
              <li key={`${d.dataset.name}-${d.dataset.digest}`}>
                <span className="font-medium">{d.dataset.name}</span> <code className="font-mono text-xs text-muted">{d.dataset.digest}</code>{" "}
                <span className="text-xs text-muted">
                  {d.dataset.source_type}
                  {d.tags.length ? ` · ${d.tags.map((t) => `${t.key.replace(/^mlflow\.data\./, "")}: ${t.value}`).join(", ")}` : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </Card>
    </div>
  );
}
