"use client";
// Uploads an ONNX file as a new version through REST (multipart), with real progress and cancel.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import { formatBytes } from "@/lib/format";

const ZCreated = z.object({ version: z.number().int() });
const ZProblem = z.object({ detail: z.string() });

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

type Phase = { kind: "idle" } | { kind: "uploading"; loaded: number; total: number } | { kind: "processing" } | { kind: "done"; version: number } | { kind: "cancelled" };

export function UploadVersion({ slug }: { slug: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const xhr = useRef<XMLHttpRequest | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const busy = phase.kind === "uploading" || phase.kind === "processing" || phase.kind === "done";

  function pick(f: File | null) {
    setFile(f);
    setError(null);
    setPhase({ kind: "idle" });
  }

  function onDrop(e: React.DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const dropped = e.dataTransfer.files;
    if (dropped.length !== 1) {
      setError(dropped.length ? "Drop one file at a time." : "Only files can be dropped here.");
      return;
    }
    if (input.current) input.current.files = dropped;
    pick(dropped[0]);
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) {
      setError("Choose an ONNX file first.");
      return;
    }
    if (file.size === 0) {
      setError("The file is empty.");
      return;
    }
    const description = String(new FormData(e.currentTarget).get("description") ?? "");
    const body = new FormData();
    body.append("metadata", JSON.stringify({ description }));
    body.append("file", file, file.name);

    const req = new XMLHttpRequest();
    xhr.current = req;
    req.open("POST", `/api/v1/models/${encodeURIComponent(slug)}/versions`);
    req.setRequestHeader("accept", "application/json");
    req.upload.onprogress = (ev) => setPhase({ kind: "uploading", loaded: ev.loaded, total: ev.lengthComputable ? ev.total : file.size });
    // All bytes sent: the server is now hashing and parsing the file.
    req.upload.onload = () => setPhase({ kind: "processing" });
    req.onload = () => {
      xhr.current = null;
      const data = json(req.responseText);
      const created = ZCreated.safeParse(data);
      if (req.status === 201 && created.success) {
        setPhase({ kind: "done", version: created.data.version });
        router.push(`/models/${slug}/versions/${created.data.version}`);
        return;
      }
      const problem = ZProblem.safeParse(data);
      setPhase({ kind: "idle" });
      setError(problem.success ? problem.data.detail : `The upload failed (HTTP ${req.status}). Try again, or upload with the API.`);
    };
    req.onerror = () => {
      xhr.current = null;
      setPhase({ kind: "idle" });
      setError("The upload failed: the connection to the server was lost. Check your network and try again.");
    };
    req.onabort = () => {
      xhr.current = null;
      setPhase({ kind: "cancelled" });
    };
    setError(null);
    setPhase({ kind: "uploading", loaded: 0, total: file.size });
    req.send(body);
  }

  function cancel() {
    xhr.current?.abort();
  }

  function onOpenChange(o: boolean) {
    // Once every byte is sent the server finishes the registration anyway, so the dialog stays to report it.
    if (!o && (phase.kind === "processing" || phase.kind === "done")) return;
    if (!o) {
      // Closing the dialog stops an upload in flight rather than letting it finish unseen.
      xhr.current?.abort();
      setFile(null);
      setError(null);
      setPhase({ kind: "idle" });
    }
    setOpen(o);
  }

  const pct = phase.kind === "uploading" ? (phase.total ? Math.min(100, Math.round((phase.loaded / phase.total) * 100)) : 0) : phase.kind === "processing" || phase.kind === "done" ? 100 : 0;

  return (
    <>
      <Button onClick={() => setOpen(true)}>Upload version</Button>
      <Dialog open={open} onOpenChange={onOpenChange} title="Upload a new version" description="The file is checked to be ONNX, hashed and parsed; its signature and operators appear on the version page.">
        <form onSubmit={onSubmit} className="space-y-4">
          <div
            onDragOver={(e) => {
              e.preventDefault();
              if (!busy) setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            data-testid="upload-dropzone"
            className={cn(
              "rounded-lg border-2 border-dashed p-4 text-center transition-colors",
              dragging ? "border-brand-500 bg-brand-50 dark:bg-zinc-800" : "border-zinc-300 dark:border-zinc-700",
            )}
          >
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Drop an .onnx file here, or choose one.</p>
            <div className="mt-3 text-left">
              <label htmlFor="upload-file" className="mb-1 block text-sm font-medium text-zinc-700 dark:text-zinc-300">
                ONNX file
              </label>
              <input
                ref={input}
                id="upload-file"
                name="file"
                type="file"
                accept=".onnx,application/octet-stream"
                disabled={busy}
                onChange={(e) => pick(e.currentTarget.files?.[0] ?? null)}
                className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-zinc-100 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
              />
            </div>
            {file ? (
              <p className="mt-2 text-left text-sm" data-testid="upload-selected">
                <span className="font-medium">{file.name}</span> <span className="text-zinc-500">({formatBytes(file.size)})</span>
              </p>
            ) : null}
          </div>
          <Field label="Description (optional)" htmlFor="upload-description" hint="What changed in this version.">
            <Input id="upload-description" name="description" maxLength={10_000} disabled={busy} placeholder="Retrained on the March night-driving set" />
          </Field>
          {phase.kind !== "idle" && phase.kind !== "cancelled" ? (
            <div className="space-y-1">
              <div
                role="progressbar"
                aria-label="Upload progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={pct}
                aria-valuetext={phase.kind === "uploading" ? `${pct}% (${formatBytes(phase.loaded)} of ${formatBytes(phase.total)})` : "Uploaded; checking the file"}
                className="h-2 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
              >
                <div className="h-full bg-brand-500 transition-[width]" style={{ width: `${pct}%` }} />
              </div>
              <p className="text-xs text-zinc-500" aria-live="polite">
                {phase.kind === "uploading"
                  ? `${pct}% · ${formatBytes(phase.loaded)} of ${formatBytes(phase.total)}`
                  : phase.kind === "processing"
                    ? "Uploaded. Checking and parsing the file…"
                    : `Registered as v${phase.version}. Opening it…`}
              </p>
            </div>
          ) : null}
          {phase.kind === "cancelled" ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400" role="status">
              Upload cancelled; no version was created.
            </p>
          ) : null}
          {error ? <ErrorNote>{error}</ErrorNote> : null}
          <div className="flex justify-end gap-2">
            {phase.kind === "uploading" ? (
              <Button type="button" variant="secondary" onClick={cancel}>
                Cancel upload
              </Button>
            ) : phase.kind === "processing" || phase.kind === "done" ? null : (
              <Button type="button" variant="secondary" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
            )}
            <Button type="submit" disabled={busy || !file}>
              {busy ? "Uploading…" : "Upload"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
