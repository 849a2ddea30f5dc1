"use client";
// A drop zone around a labelled file input, for the upload dialogs: one file at a time, its name and size shown.
import { useRef, useState } from "react";
import { cn } from "@/lib/cn";
import { formatBytes } from "@/lib/format";

export type FileDropZoneProps = {
  /** The input's id; its label is `label`. */
  id: string;
  label: string;
  accept: string;
  /** The line above the input ("Drop an image here, or choose one."). */
  prompt: string;
  /** What to say when several files are dropped at once. */
  oneAtATime: string;
  file: File | null;
  disabled: boolean;
  onPick: (file: File | null) => void;
  onError: (message: string) => void;
  testId: string;
  selectedTestId: string;
};

export function FileDropZone({ id, label, accept, prompt, oneAtATime, file, disabled, onPick, onError, testId, selectedTestId }: FileDropZoneProps) {
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  function onDrop(e: React.DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    if (disabled) return;
    const dropped = e.dataTransfer.files;
    if (dropped.length !== 1) {
      onError(dropped.length ? oneAtATime : "Only files can be dropped here.");
      return;
    }
    // The input shows the dropped file too, so the two never disagree.
    if (input.current) input.current.files = dropped;
    onPick(dropped[0]);
  }

  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid={testId}
      className={cn(
        "rounded-lg border-2 border-dashed p-4 text-center transition-colors",
        dragging ? "border-brand-500 bg-brand-50 dark:bg-zinc-800" : "border-zinc-300 dark:border-zinc-700",
      )}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{prompt}</p>
      <div className="mt-3 text-left">
        <label htmlFor={id} className="mb-1 block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          {label}
        </label>
        <input
          ref={input}
          id={id}
          name="file"
          type="file"
          accept={accept}
          disabled={disabled}
          onChange={(e) => onPick(e.currentTarget.files?.[0] ?? null)}
          className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-zinc-100 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
        />
      </div>
      {file ? (
        <p className="mt-2 text-left text-sm" data-testid={selectedTestId}>
          <span className="font-medium">{file.name}</span> <span className="text-muted">({formatBytes(file.size)})</span>
        </p>
      ) : null}
    </div>
  );
}
