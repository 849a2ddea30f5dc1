"use client";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { diffInterpretations, matchBoxes, precisionRecall, type Interpretation } from "@/lib/playground/interpret";
import { SaveBatch, type BatchFrameOutput } from "./save-batch";
import type { PlaygroundFrame } from "./types";

type Row = {
  frame: PlaygroundFrame;
  top: string;
  ms: number;
  tp: number;
  fp: number;
  fn: number;
  classMatch: boolean | null;
  differences: number | null;
  output: BatchFrameOutput | null;
};

function summarise(frame: PlaygroundFrame, r: Interpretation, ms: number, labels: string[]): Row {
  const gt = frame.groundTruth;
  if (r.kind === "classes") {
    const top = r.classes[0];
    // A frame's class speaks for the models that have that label: a cabin crop's "fastened" says nothing to camera health.
    const truth = gt?.class && labels.includes(gt.class) ? gt.class : null;
    return {
      frame,
      top: top ? `${top.label} ${(top.score * 100).toFixed(0)}%` : "–",
      ms,
      tp: 0,
      fp: 0,
      fn: 0,
      classMatch: truth ? top?.label === truth : null,
      differences: null,
      output: top && truth ? { frameId: frame.id, class: top.label } : null,
    };
  }
  const boxes = r.kind === "boxes" ? r.boxes : r.kind === "text-regions" ? r.regions : [];
  const m = matchBoxes(boxes, gt?.boxes ?? []);
  // Only the model's boxes are kept for saving: the server recounts against its own copy of the ground truth.
  const output = r.kind === "boxes" && gt?.boxes ? { frameId: frame.id, boxes: boxes.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h })) } : null;
  return {
    frame,
    top: `${boxes.length} found`,
    ms,
    tp: m.matches.length,
    fp: m.falsePositives.length,
    fn: m.misses.length,
    classMatch: null,
    differences: null,
    output,
  };
}

type RunOne = (f: PlaygroundFrame) => Promise<{ result: Interpretation; ms: number }>;

/** Runs the version (and production, when given) over every frame of the current filter, with progress, cancel, P/R and differences. */
export function BatchRunner({
  frames,
  tag,
  runOne,
  runChampion,
  version,
  labels = [],
}: {
  frames: PlaygroundFrame[];
  /** The model's labels: ground-truth classes outside them are not counted. */
  labels?: string[];
  tag: string | null;
  runOne: RunOne;
  runChampion?: RunOne;
  version?: { slug: string; version: number };
}) {
  const [rows, setRows] = useState<Row[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef(false);

  async function start() {
    cancel.current = false;
    setRunning(true);
    setError(null);
    setRows([]);
    try {
      for (const f of frames) {
        if (cancel.current) break;
        const { result, ms } = await runOne(f);
        const row = summarise(f, result, ms, labels);
        if (runChampion) row.differences = diffInterpretations((await runChampion(f)).result, result).length;
        setRows((r) => [...r, row]);
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  }

  const tp = rows.reduce((s, r) => s + r.tp, 0);
  const fp = rows.reduce((s, r) => s + r.fp, 0);
  const fn = rows.reduce((s, r) => s + r.fn, 0);
  const pr = precisionRecall(tp, fp, fn);
  const classRows = rows.filter((r) => r.classMatch !== null);
  const compared = rows.filter((r) => r.differences !== null);
  const outputs = rows.flatMap((r) => (r.output ? [r.output] : []));
  const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);

  return (
    <Card>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-sm font-semibold">Batch run</h2>
        <span className="text-xs text-muted">
          {frames.length} frames{tag ? ` tagged ${tag}` : ""}
        </span>
        <div className="ml-auto flex gap-2">
          <Button variant="secondary" onClick={start} disabled={running || !frames.length}>
            Run on {frames.length} frames
          </Button>
          {running ? (
            <Button variant="danger" onClick={() => (cancel.current = true)}>
              Cancel batch
            </Button>
          ) : null}
        </div>
      </div>
      {running || rows.length ? (
        <div
          role="progressbar"
          aria-label="Batch progress"
          aria-valuemin={0}
          aria-valuemax={frames.length}
          aria-valuenow={rows.length}
          className="mt-3 h-2 rounded bg-zinc-200 dark:bg-zinc-800"
        >
          <div className="h-2 rounded bg-brand-500" style={{ width: `${(100 * rows.length) / Math.max(1, frames.length)}%` }} />
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      {rows.length ? (
        <>
          <p className="mt-3 text-sm" data-testid="batch-summary">
            {rows.length} of {frames.length} frames{!running && rows.length < frames.length ? " (cancelled)" : ""} · precision {pct(pr.precision)} · recall{" "}
            {pct(pr.recall)}
            {classRows.length ? ` · class accuracy ${pct(classRows.filter((r) => r.classMatch).length / classRows.length)}` : ""}
            {compared.length ? ` · ${compared.filter((r) => r.differences).length} of ${compared.length} frames differ from production` : ""}
          </p>
          <div className="mt-2 max-h-80 overflow-auto">
            <table className="w-full text-left text-xs">
              <thead className="text-muted">
                <tr>
                  <th>Frame</th>
                  <th>Result</th>
                  <th>Inference</th>
                  <th>Matches</th>
                  <th>Missed</th>
                  <th>False positives</th>
                  {compared.length ? <th>Differences from production</th> : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.frame.id} className="border-t border-zinc-200 dark:border-zinc-800">
                    <td className="py-1">{r.frame.name}</td>
                    <td>
                      {r.top}
                      {r.classMatch === false ? ` (truth: ${r.frame.groundTruth?.class})` : ""}
                    </td>
                    <td className="tabular-nums">{r.ms.toFixed(1)} ms</td>
                    <td>{r.tp}</td>
                    <td>{r.fn}</td>
                    <td>{r.fp}</td>
                    {compared.length ? <td>{r.differences ?? "–"}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {version && !running && outputs.length ? (
            <SaveBatch slug={version.slug} version={version.version} frames={outputs} classifier={outputs.some((o) => o.class !== undefined)} tag={tag} />
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
