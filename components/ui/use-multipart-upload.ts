"use client";
// One multipart upload from a dialog, over XMLHttpRequest because fetch cannot report upload progress:
// the phases, progress, cancel, the server's problem+json reason, and when the dialog may close.
import { useRef, useState } from "react";
import { z } from "zod";

export type UploadPhase<T> =
  { kind: "idle" } | { kind: "uploading"; loaded: number; total: number } | { kind: "processing" } | { kind: "done"; created: T } | { kind: "cancelled" };

const ZProblem = z.object({ detail: z.string() });

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export type MultipartUploadOptions<T> = {
  /** Where the `metadata` (JSON) and `file` parts are POSTed. */
  url: string;
  /** The shape of the 201 body. */
  created: z.ZodType<T>;
  /** Called once the server has registered the file (typically to open what it created). */
  onCreated: (created: T) => void;
  /** What to say when Upload is pressed before a file is chosen. */
  noFile: string;
  /** A reason to refuse the chosen file before sending it, or null to send it. */
  refuse?: (file: File) => string | null;
};

export function useMultipartUpload<T>({ url, created, onCreated, noFile, refuse }: MultipartUploadOptions<T>) {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<UploadPhase<T>>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const xhr = useRef<XMLHttpRequest | null>(null);
  // Once every byte is sent the server finishes anyway, so the dialog stays to report it.
  const settling = phase.kind === "processing" || phase.kind === "done";
  const busy = phase.kind === "uploading" || settling;

  /** A new file (or none) was chosen; `reason` says why it will be refused, if it will. */
  function pick(f: File | null, reason: string | null = null) {
    setFile(f);
    setPhase({ kind: "idle" });
    setError(reason);
  }

  function submit(metadata: unknown) {
    if (!file) return setError(noFile);
    if (file.size === 0) return setError("The file is empty.");
    const refused = refuse?.(file);
    if (refused) return setError(refused);
    const body = new FormData();
    body.append("metadata", JSON.stringify(metadata));
    body.append("file", file, file.name);

    const req = new XMLHttpRequest();
    xhr.current = req;
    req.open("POST", url);
    req.setRequestHeader("accept", "application/json");
    req.upload.onprogress = (ev) => setPhase({ kind: "uploading", loaded: ev.loaded, total: ev.lengthComputable ? ev.total : file.size });
    // All bytes sent: the server is now checking the file.
    req.upload.onload = () => setPhase({ kind: "processing" });
    req.onload = () => {
      xhr.current = null;
      const data = json(req.responseText);
      const ok = created.safeParse(data);
      if (req.status === 201 && ok.success) {
        setPhase({ kind: "done", created: ok.data });
        onCreated(ok.data);
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
    if (!o && settling) return;
    if (!o) {
      // Closing the dialog stops an upload in flight rather than letting it finish unseen.
      xhr.current?.abort();
      setFile(null);
      setError(null);
      setPhase({ kind: "idle" });
    }
    setOpen(o);
  }

  return { open, onOpenChange, file, pick, phase, busy, error, setError, submit, cancel };
}

export type MultipartUpload<T> = ReturnType<typeof useMultipartUpload<T>>;
