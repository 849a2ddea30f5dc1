"use client";
// Uploads an image to the frame library through REST (multipart), with real progress, cancel and the server's reason
// when it refuses the file.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import { formatBytes } from "@/lib/format";
import { FRAME_TAGS, MAX_FRAME_BYTES } from "@/server/frames/schemas";

const ZCreated = z.object({ id: z.string() });
const ZProblem = z.object({ detail: z.string() });

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

type Phase = { kind: "idle" } | { kind: "uploading"; loaded: number; total: number } | { kind: "processing" } | { kind: "done" } | { kind: "cancelled" };

export function UploadFrame() {
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
    setPhase({ kind: "idle" });
    setError(f && f.size > MAX_FRAME_BYTES ? `${f.name} is ${formatBytes(f.size)}; the limit is ${formatBytes(MAX_FRAME_BYTES)}.` : null);
  }

  function onDrop(e: React.DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const dropped = e.dataTransfer.files;
    if (dropped.length !== 1) {
      setError(dropped.length ? "Drop one image at a time." : "Only files can be dropped here.");
      return;
    }
    if (input.current) input.current.files = dropped;
    pick(dropped[0]);
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) return setError("Choose an image first.");
    if (file.size === 0) return setError("The file is empty.");
    if (file.size > MAX_FRAME_BYTES) return setError(`The image is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_FRAME_BYTES)}.`);
    const form = new FormData(e.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const metadata = { ...(name ? { name } : {}), tags: form.getAll("tags").map(String) };
    const body = new FormData();
    body.append("metadata", JSON.stringify(metadata));
    body.append("file", file, file.name);

    const req = new XMLHttpRequest();
    xhr.current = req;
    req.open("POST", "/api/v1/frames");
    req.setRequestHeader("accept", "application/json");
    req.upload.onprogress = (ev) => setPhase({ kind: "uploading", loaded: ev.loaded, total: ev.lengthComputable ? ev.total : file.size });
    // All bytes sent: the server is now decoding and re-encoding the image.
    req.upload.onload = () => setPhase({ kind: "processing" });
    req.onload = () => {
      xhr.current = null;
      const data = json(req.responseText);
      const created = ZCreated.safeParse(data);
      if (req.status === 201 && created.success) {
        setPhase({ kind: "done" });
        router.push(`/frames/${created.data.id}`);
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

  function onOpenChange(o: boolean) {
    // Once every byte is sent the server finishes anyway, so the dialog stays to report it.
    if (!o && (phase.kind === "processing" || phase.kind === "done")) return;
    if (!o) {
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
      <Button onClick={() => setOpen(true)}>Upload frame</Button>
      <Dialog
        open={open}
        onOpenChange={onOpenChange}
        title="Upload a frame"
        description="JPEG, PNG or WebP up to 20 MiB and 8192×8192. The server decodes and re-encodes it (PNG stays PNG, others become WebP) and drops EXIF, including location."
      >
        <form onSubmit={onSubmit} className="space-y-4">
          <div
            onDragOver={(e) => {
              e.preventDefault();
              if (!busy) setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            data-testid="frame-dropzone"
            className={cn("rounded-lg border-2 border-dashed p-4 text-center transition-colors", dragging ? "border-brand-500 bg-brand-50 dark:bg-zinc-800" : "border-zinc-300 dark:border-zinc-700")}
          >
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Drop an image here, or choose one.</p>
            <div className="mt-3 text-left">
              <label htmlFor="frame-file" className="mb-1 block text-sm font-medium text-zinc-700 dark:text-zinc-300">
                Image file
              </label>
              <input
                ref={input}
                id="frame-file"
                name="file"
                type="file"
                accept="image/jpeg,image/png,image/webp"
                disabled={busy}
                onChange={(e) => pick(e.currentTarget.files?.[0] ?? null)}
                className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-zinc-100 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
              />
            </div>
            {file ? (
              <p className="mt-2 text-left text-sm" data-testid="frame-selected">
                <span className="font-medium">{file.name}</span> <span className="text-zinc-500">({formatBytes(file.size)})</span>
              </p>
            ) : null}
          </div>
          <Field label="Name (optional)" htmlFor="frame-name" hint="Defaults to the file name.">
            <Input id="frame-name" name="name" maxLength={120} disabled={busy} placeholder="Depot exit, low sun" />
          </Field>
          <fieldset disabled={busy}>
            <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Tags</legend>
            <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
              {FRAME_TAGS.map((t) => (
                <label key={t} className="flex items-center gap-1.5 text-sm">
                  <input type="checkbox" name="tags" value={t} /> {t}
                </label>
              ))}
            </div>
          </fieldset>
          {phase.kind !== "idle" && phase.kind !== "cancelled" ? (
            <div className="space-y-1">
              <div
                role="progressbar"
                aria-label="Upload progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={pct}
                aria-valuetext={phase.kind === "uploading" ? `${pct}% (${formatBytes(phase.loaded)} of ${formatBytes(phase.total)})` : "Uploaded; checking the image"}
                className="h-2 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
              >
                <div className="h-full bg-brand-500 transition-[width]" style={{ width: `${pct}%` }} />
              </div>
              <p className="text-xs text-zinc-500" aria-live="polite">
                {phase.kind === "uploading" ? `${pct}% · ${formatBytes(phase.loaded)} of ${formatBytes(phase.total)}` : phase.kind === "processing" ? "Uploaded. Decoding and re-encoding the image…" : "Added to the library. Opening it…"}
              </p>
            </div>
          ) : null}
          {phase.kind === "cancelled" ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400" role="status">
              Upload cancelled; nothing was added.
            </p>
          ) : null}
          {error ? <ErrorNote>{error}</ErrorNote> : null}
          <div className="flex justify-end gap-2">
            {phase.kind === "uploading" ? (
              <Button type="button" variant="secondary" onClick={() => xhr.current?.abort()}>
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
