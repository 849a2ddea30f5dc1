// The state of an upload in a dialog: a progress bar while bytes go and the server checks them, or the cancel notice.
import { formatBytes } from "@/lib/format";
import type { UploadPhase } from "@/components/ui/use-multipart-upload";

export type UploadProgressTexts<T> = {
  /** Read out once every byte is sent ("Uploaded; checking the file"). */
  checking: string;
  /** Shown while the server checks the file. */
  processing: string;
  /** Shown once the server has registered it. */
  done: (created: T) => string;
  /** Shown after the user cancelled. */
  cancelled: string;
};

type Props<T> = UploadProgressTexts<T> & { phase: UploadPhase<T> };

export function UploadProgress<T>({ phase, checking, processing, done, cancelled }: Props<T>) {
  if (phase.kind === "idle") return null;
  if (phase.kind === "cancelled") {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400" role="status">
        {cancelled}
      </p>
    );
  }
  const pct = phase.kind === "uploading" ? (phase.total ? Math.min(100, Math.round((phase.loaded / phase.total) * 100)) : 0) : 100;
  const sent = phase.kind === "uploading" ? `${formatBytes(phase.loaded)} of ${formatBytes(phase.total)}` : "";
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-label="Upload progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={phase.kind === "uploading" ? `${pct}% (${sent})` : checking}
        className="h-2 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
      >
        <div className="h-full bg-brand-500 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <p className="text-xs text-muted" aria-live="polite">
        {phase.kind === "uploading" ? `${pct}% · ${sent}` : phase.kind === "processing" ? processing : done(phase.created)}
      </p>
    </div>
  );
}
