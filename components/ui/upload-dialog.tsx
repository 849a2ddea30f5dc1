"use client";
// The dialog both uploads share: a trigger button, the drop zone, the caller's own fields, progress, the error and the buttons.
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { FileDropZone, type FileDropZoneProps } from "@/components/ui/file-drop-zone";
import { UploadProgress, type UploadProgressTexts } from "@/components/ui/upload-progress";
import type { MultipartUpload } from "@/components/ui/use-multipart-upload";

type Props<T> = {
  upload: MultipartUpload<T>;
  /** The button that opens the dialog ("Upload version"). */
  trigger: string;
  title: string;
  description: string;
  /** The drop zone; `onPick` defaults to choosing the file with no objection. */
  drop: Omit<FileDropZoneProps, "file" | "disabled" | "onError" | "onPick"> & { onPick?: FileDropZoneProps["onPick"] };
  texts: UploadProgressTexts<T>;
  /** The `metadata` part, from the form's own fields. */
  metadata: (form: FormData) => unknown;
  /** The form's own fields, between the drop zone and the progress. */
  children: React.ReactNode;
};

export function UploadDialog<T>({ upload, trigger, title, description, drop, texts, metadata, children }: Props<T>) {
  const { phase, busy } = upload;

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    upload.submit(metadata(new FormData(e.currentTarget)));
  }

  return (
    <>
      <Button onClick={() => upload.onOpenChange(true)}>{trigger}</Button>
      <Dialog open={upload.open} onOpenChange={upload.onOpenChange} title={title} description={description}>
        <form onSubmit={onSubmit} className="space-y-4">
          <FileDropZone onPick={(f) => upload.pick(f)} {...drop} file={upload.file} disabled={busy} onError={upload.setError} />
          {children}
          <UploadProgress phase={phase} {...texts} />
          {upload.error ? <ErrorNote>{upload.error}</ErrorNote> : null}
          <div className="flex justify-end gap-2">
            {phase.kind === "uploading" ? (
              <Button type="button" variant="secondary" onClick={upload.cancel}>
                Cancel upload
              </Button>
            ) : phase.kind === "processing" || phase.kind === "done" ? null : (
              <Button type="button" variant="secondary" onClick={() => upload.onOpenChange(false)}>
                Cancel
              </Button>
            )}
            <Button type="submit" disabled={busy || !upload.file}>
              {busy ? "Uploading…" : "Upload"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
