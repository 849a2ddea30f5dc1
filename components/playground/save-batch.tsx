"use client";
// Saves a finished batch run as an evaluation: per-frame outputs go to the server, which counts TP/FP/FN against ground truth.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";
import { EVENT_TYPE_NAMES, eventTypeLabel, type TBatchEvaluation } from "@/server/safety/schemas";

export type BatchFrameOutput = TBatchEvaluation["frames"][number];

export function SaveBatch({
  slug,
  version,
  frames,
  classifier,
  tag,
}: {
  slug: string;
  version: number;
  frames: BatchFrameOutput[];
  classifier: boolean;
  tag: string | null;
}) {
  const trpc = useTRPC();
  const [eventType, setEventType] = useState<string>(EVENT_TYPE_NAMES[0]);
  const [dataset, setDataset] = useState(tag ? `playground-${tag}` : "playground");
  const [positiveClass, setPositiveClass] = useState("");
  const save = useMutation(trpc.safety.saveBatch.mutationOptions());
  const input = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";
  return (
    <form
      aria-label="Save as evaluation"
      className="mt-3 flex flex-wrap items-end gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ model: slug, version, eventType, dataset, frames, ...(classifier ? { positiveClass } : {}) });
      }}
    >
      <label className="text-xs">
        <span className="block font-medium">Event type</span>
        <select aria-label="Event type" className={input} value={eventType} onChange={(e) => setEventType(e.target.value)}>
          {EVENT_TYPE_NAMES.map((t) => (
            <option key={t} value={t}>
              {eventTypeLabel(t)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs">
        <span className="block font-medium">Dataset name</span>
        <input className={input} value={dataset} onChange={(e) => setDataset(e.target.value)} required maxLength={200} />
      </label>
      {classifier ? (
        <label className="text-xs">
          <span className="block font-medium">Class that is the event</span>
          <input className={input} value={positiveClass} onChange={(e) => setPositiveClass(e.target.value)} required placeholder="e.g. phone" />
        </label>
      ) : null}
      <Button type="submit" variant="secondary" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save as evaluation"}
      </Button>
      {save.data ? (
        <p role="status" className="text-sm">
          Saved: {save.data.results[0]?.tp} TP, {save.data.results[0]?.fp} FP, {save.data.results[0]?.fn} FN (counted by the server).{" "}
          <Link className="text-link underline" href={`/safety/review/${slug}?candidate=${version}&dataset=${encodeURIComponent(save.data.dataset)}`}>
            Open the release review
          </Link>
        </p>
      ) : null}
      {save.error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {save.error.data?.code === "FORBIDDEN" ? "Saving an evaluation needs the engineer role." : save.error.message}
        </p>
      ) : null}
    </form>
  );
}
