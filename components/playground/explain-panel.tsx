"use client";
// "Explain": occlusion sensitivity of one prediction, computed in the inference worker (forward passes only) with a
// progress bar and cancel. The map is handed up to be drawn over the frame.
import { useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { occlusionPatches, type ExplainTarget } from "@/lib/playground/explain";
import type { Interpretation, Thresholds } from "@/lib/playground/interpret";
import type { Rgba } from "@/lib/playground/preprocess";
import type { InferenceClient } from "./inference-client";
import type { PlaygroundModel } from "./types";

export type Explanation = {
  map: Float32Array;
  width: number;
  height: number;
  baseline: number;
  passes: number;
  ms: number;
  what: string;
  patch: number;
  stride: number;
};
type Choice = { key: string; name: string; target: ExplainTarget };

const PATCHES = [24, 32, 48, 64, 96];

/** The predictions one can ask about, best first. */
export function explainChoices(result: Interpretation): Choice[] {
  const box = (b: { x: number; y: number; w: number; h: number }) => ({ x: b.x, y: b.y, w: b.w, h: b.h });
  if (result.kind === "classes")
    return result.classes.map((c) => ({ key: `c:${c.label}`, name: `class ${c.label} (${c.score.toFixed(2)})`, target: { kind: "class", label: c.label } }));
  if (result.kind === "boxes")
    return result.boxes.map((b, i) => ({
      key: `b:${i}`,
      name: `${b.label} ${b.score.toFixed(2)} at ${Math.round(b.x)}, ${Math.round(b.y)}`,
      target: { kind: "box", box: box(b), label: b.label },
    }));
  if (result.kind === "text-regions")
    return result.regions.map((r, i) => ({
      key: `r:${i}`,
      name: `text region ${r.text ? `“${r.text}” ` : ""}${r.score.toFixed(2)} at ${Math.round(r.x)}, ${Math.round(r.y)}`,
      target: { kind: "box", box: box(r) },
    }));
  return [];
}

export function ExplainPanel({
  client,
  prepare,
  model,
  image,
  result,
  thresholds,
  explanation,
  onExplanation,
}: {
  client: () => InferenceClient;
  /** Initialises the runtime and loads the model when needed. */
  prepare: () => Promise<void>;
  model: PlaygroundModel;
  image: Rgba;
  result: Interpretation;
  thresholds: Thresholds;
  explanation: Explanation | null;
  onExplanation: (e: Explanation | null) => void;
}) {
  const choices = useMemo(() => explainChoices(result), [result]);
  const [picked, setPicked] = useState<string>("");
  const [patch, setPatch] = useState(48);
  const [overlap, setOverlap] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = useRef<number | null>(null);
  // Bumped when the frame or the run changes: an explanation that finishes after that belongs to the old result.
  const generation = useRef(0);
  // The parent passes a new accessor each render; the clean-up below must not re-run for that.
  const latestClient = useRef(client);
  useEffect(() => {
    latestClient.current = client;
  });
  const choice = choices.find((c) => c.key === picked) ?? choices[0];
  const stride = overlap ? patch / 2 : patch;
  const passes = useMemo(() => {
    try {
      return occlusionPatches(image.width, image.height, { patch, stride }).length + 1;
    } catch {
      return null;
    }
  }, [image, patch, stride]);

  // A new run or frame makes the old explanation stale, and one still computing is cancelled.
  useEffect(
    () => () => {
      generation.current += 1;
      if (running.current !== null) latestClient.current().cancel(running.current);
      onExplanation(null);
    },
    [result, image, onExplanation],
  );

  if (!choices.length) return <p className="text-xs text-muted">Nothing to explain: the model found nothing on this frame at these thresholds.</p>;

  async function start() {
    if (!choice) return;
    setError(null);
    onExplanation(null);
    const mine = generation.current;
    let task: number | null = null;
    try {
      await prepare();
      setProgress({ done: 0, total: passes ?? 1 });
      const { id, done } = client().start(
        {
          type: "explain",
          key: model.key,
          image: { data: new Uint8ClampedArray(image.data), width: image.width, height: image.height },
          manifest: { input: model.manifest.input, postprocess: model.manifest.postprocess, labels: model.manifest.labels },
          thresholds,
          target: choice.target,
          params: { patch, stride },
        },
        "explained",
        (p) => setProgress({ done: p.loaded, total: p.total }),
      );
      running.current = task = id;
      const r = await done;
      if (mine !== generation.current) return;
      onExplanation({ map: r.map, width: r.width, height: r.height, baseline: r.baseline, passes: r.passes, ms: r.ms, what: choice.name, patch, stride });
    } catch (e) {
      if (mine !== generation.current) return;
      const message = e instanceof Error ? e.message : String(e);
      setError(message === "Explanation cancelled" ? null : message);
    } finally {
      if (running.current === task) {
        running.current = null;
        setProgress(null);
      }
    }
  }

  return (
    <section aria-label="Explain a prediction" className="space-y-2 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <h3 className="text-sm font-semibold">Explain a prediction</h3>
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="block text-xs text-muted">Prediction</span>
          <Select
            value={choice?.key}
            onChange={(e) => setPicked(e.target.value)}
            aria-label="Prediction to explain"
            className="max-w-72"
            disabled={progress !== null}
          >
            {choices.map((c) => (
              <option key={c.key} value={c.key}>
                {c.name}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="block text-xs text-muted">Patch (px)</span>
          <Select value={patch} onChange={(e) => setPatch(Number(e.target.value))} aria-label="Patch size" className="w-24" disabled={progress !== null}>
            {PATCHES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" checked={overlap} onChange={(e) => setOverlap(e.target.checked)} disabled={progress !== null} /> Overlap (stride {patch / 2}{" "}
          px)
        </label>
        {progress ? (
          <Button variant="secondary" onClick={() => running.current !== null && client().cancel(running.current)}>
            Cancel explanation
          </Button>
        ) : (
          <Button variant="secondary" onClick={start} disabled={passes === null}>
            Explain
          </Button>
        )}
      </div>
      <p className="text-xs text-muted">
        Occlusion sensitivity: each {patch} px square (stride {stride} px) is covered with the frame&apos;s mean colour and the model runs again;{" "}
        {passes === null ? "these settings need too many passes, use a larger patch" : `${passes} forward passes`}. Red marks where covering lowers the score
        most, blue where it raises it.
      </p>
      {progress ? (
        <div>
          <p className="text-xs text-muted">
            Explaining: {progress.done} / {progress.total} forward passes
          </p>
          <div
            role="progressbar"
            aria-label="Explanation progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round((100 * progress.done) / Math.max(1, progress.total))}
            className="mt-1 h-2 rounded bg-zinc-200 dark:bg-zinc-800"
          >
            <div className="h-2 rounded bg-brand-500" style={{ width: `${Math.round((100 * progress.done) / Math.max(1, progress.total))}%` }} />
          </div>
        </div>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {explanation ? (
        <p className="text-xs" data-testid="explanation">
          Explained {explanation.what}: score {explanation.baseline.toFixed(2)} unoccluded; {explanation.passes} forward passes ({explanation.patch} px patch,
          stride {explanation.stride} px) in {(explanation.ms / 1000).toFixed(1)} s.
        </p>
      ) : null}
    </section>
  );
}
