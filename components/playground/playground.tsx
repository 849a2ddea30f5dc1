"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState, ErrorNote } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { useCrossOriginIsolated } from "@/components/ui/use-isolated";
import { formatBytes } from "@/lib/format";
import {
  defaultThresholds,
  DIFFERENCE_LABELS,
  diffInterpretations,
  interpret,
  type Interpretation,
  type Region,
  type Thresholds,
} from "@/lib/playground/interpret";
import { MAX_BATCH, type Backend } from "@/lib/playground/protocol";
import type { Rgba } from "@/lib/playground/preprocess";
import { BatchRunner } from "./batch-runner";
import { ExplainPanel, type Explanation } from "./explain-panel";
import { FrameCanvas } from "./frame-canvas";
import { decodeImage, fetchFrame } from "./image-source";
import { ResultView } from "./result-view";
import { readRegions, runModel, withTexts, type RunResult } from "./run-model";
import { loadModel, runtimeFor } from "./runtime";
import { TimingTable } from "./timing-table";
import type { OcrPipeline, PlaygroundFrame, PlaygroundModel } from "./types";

type Runtime = { backend: Backend; threads: number; isolated: boolean; webgpu: boolean; runtimeMs: number; note?: string };
type LoadInfo = { cached: boolean; reused: boolean; downloadMs: number; sessionMs: number; sizeBytes: number };
type Progress = { label: string; loaded: number; total: number } | null;
/** One version's run, with the image it ran on: a result is only shown over that image. */
type Side = { run: RunResult; read: Region[] | null; imageKey: string };

export function Playground({
  model,
  champion,
  championRole = "production",
  pipeline,
  frames,
}: {
  model: PlaygroundModel;
  champion: PlaygroundModel | null;
  /** Whom the champion stands for: production, or the parent this variant was derived from. */
  championRole?: "production" | "parent";
  pipeline: OcrPipeline | null;
  frames: PlaygroundFrame[];
}) {
  const router = useRouter();
  const params = useSearchParams();
  const frameId = params.get("frame") ?? frames[0]?.id ?? null;
  const tag = params.get("tag");
  const compare = params.get("compare") !== "0" && champion !== null;
  // ?parity=1 keeps the last run's input tensor and raw outputs on window for the parity check
  // against onnxruntime-node (e2e/playground.spec.ts).
  const parity = params.get("parity") === "1";
  const frame = frames.find((f) => f.id === frameId) ?? null;

  const [runtime, setRuntime] = useState<Runtime | null>(null);
  const [backend, setBackend] = useState<Backend>("wasm");
  const [threads, setThreads] = useState(2);
  // Threads need SharedArrayBuffer, which only a cross-origin isolated page has; the selector shows what really runs.
  const isolatedPage = useCrossOriginIsolated(true);
  const [repeat, setRepeat] = useState(20);
  const [progress, setProgress] = useState<Progress>(null);
  const [loads, setLoads] = useState<Record<string, LoadInfo>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [image, setImage] = useState<{ key: string; rgba: Rgba } | null>(null);
  const [localName, setLocalName] = useState<string | null>(null);
  const [sideA, setA] = useState<Side | null>(null);
  const [sideB, setB] = useState<Side | null>(null);
  const [th, setTh] = useState<Thresholds>(() => defaultThresholds(model.manifest.postprocess));
  const [heat, setHeat] = useState(0.45);
  const [showTruth, setShowTruth] = useState(true);
  const [explanation, setExplanation] = useState<Explanation | null>(null);

  // The runtime starts as soon as the page opens (and is found started on a second visit): a run pays only for its model.
  const effectiveThreads = isolatedPage ? threads : 1;
  const rt = () => runtimeFor(backend, effectiveThreads);
  // Which setting's runtime is up: the status line says when a changed setting's runtime is still starting.
  const [readyKey, setReadyKey] = useState<string | null>(null);
  const runtimeKey = `${backend}/${effectiveThreads}`;
  useEffect(() => {
    let live = true;
    runtimeFor(backend, effectiveThreads)
      .ready.then((r) => {
        if (!live) return;
        setRuntime({ backend: r.backend, threads: r.threads, isolated: r.isolated, webgpu: r.webgpu, runtimeMs: r.runtimeMs, note: r.note });
        setReadyKey(runtimeKey);
      })
      .catch((e: Error) => live && setError(`The runtime could not start: ${e.message}`));
    return () => {
      live = false;
    };
  }, [backend, effectiveThreads, runtimeKey]);

  // Loads the chosen library frame's pixels (an external resource).
  useEffect(() => {
    if (!frame || localName) return;
    let live = true;
    fetchFrame(frame.url)
      .then((rgba) => live && setImage({ key: frame.id, rgba }))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [frame, localName]);

  const setParam = (k: string, v: string | null) => {
    const sp = new URLSearchParams(params.toString());
    if (v === null) sp.delete(k);
    else sp.set(k, v);
    router.replace(`?${sp.toString()}`, { scroll: false });
  };

  async function ensure(m: PlaygroundModel) {
    const runtimeNow = rt();
    await runtimeNow.ready;
    const info = await loadModel(runtimeNow, m, (phase, l, t) =>
      setProgress({
        label: `${phase === "download" ? "Downloading" : phase === "verify" ? "Checking sha256 of" : "Creating a session for"} ${m.slug} v${m.version}`,
        loaded: l,
        total: t || 1,
      }),
    );
    // The first load on this page is the one worth showing; a later run's reuse of the same session says nothing new.
    setLoads((prev) =>
      prev[m.key]
        ? prev
        : { ...prev, [m.key]: { cached: info.cached, reused: info.reused, downloadMs: info.downloadMs, sessionMs: info.sessionMs, sizeBytes: m.sizeBytes } },
    );
  }

  async function runSide(m: PlaygroundModel, { key, rgba }: { key: string; rgba: Rgba }): Promise<Side> {
    await ensure(m);
    setProgress({ label: `Running ${m.slug} v${m.version} (${repeat} timed runs)`, loaded: 0, total: 1 });
    const run = await runModel(rt().client, m, rgba, repeat, th, parity);
    if (parity) Object.assign(window, { __sentinelParity: { key: m.key, input: run.input, outputs: run.outputs } });
    let read: Region[] | null = null;
    const first = interpret(m.manifest, run.outputs, run.transform, th);
    if (pipeline && first.kind === "text-regions") {
      if (pipeline.classifier) await ensure(pipeline.classifier);
      await ensure(pipeline.recognizer);
      setProgress({ label: `Reading ${first.regions.length} text regions`, loaded: 0, total: 1 });
      const t0 = performance.now();
      const r = await readRegions(rt().client, pipeline, rgba, first.regions);
      read = r.regions;
      run.ocrMs = performance.now() - t0;
      run.ocrRuns = r.runs;
    }
    return { run, read, imageKey: key };
  }

  async function run() {
    if (!image || !imageReady) return;
    const shot = image;
    setBusy(true);
    setError(null);
    try {
      setA(await runSide(model, shot));
      setB(compare && champion ? await runSide(champion, shot) : null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  async function onLocalFile(file: File | undefined) {
    if (!file) return;
    setError(null);
    try {
      const rgba = await decodeImage(file);
      setLocalName(file.name);
      setImage({ key: `local:${file.name}:${file.size}`, rgba });
      setA(null);
      setB(null);
    } catch (e) {
      setError(e instanceof Error ? `That image could not be read: ${e.message}` : "That image could not be read");
    }
  }

  // A frame picked in the list shows once its pixels arrive; until then the model cannot run on it, and a run still
  // going on the previous image is not drawn over the new one.
  const imageReady = image !== null && (localName !== null || image.key === frame?.id);
  const a = sideA && image && sideA.imageKey === image.key ? sideA : null;
  const b = sideB && image && sideB.imageKey === image.key ? sideB : null;
  // Thresholds apply to the stored outputs: changing them never re-runs the model.
  const ra = useMemo(() => (a ? withTexts(interpret(model.manifest, a.run.outputs, a.run.transform, th), a.read) : null), [a, th, model.manifest]);
  const rb = useMemo(() => (b && champion ? withTexts(interpret(champion.manifest, b.run.outputs, b.run.transform, th), b.read) : null), [b, th, champion]);
  const role = championRole === "parent" ? "parent" : "production";
  const diffs = ra && rb && champion ? diffInterpretations(rb, ra, 0.1, { a: `v${champion.version} (${role})`, b: `v${model.version}` }) : [];
  const tags = [...new Set(frames.flatMap((f) => f.tags))].sort();
  const shown = tag ? frames.filter((f) => f.tags.includes(tag)) : frames;
  const post = model.manifest.postprocess;
  const truth = localName ? null : (frame?.groundTruth ?? null);

  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="block text-xs text-muted">Backend</span>
            <Select value={backend} onChange={(e) => setBackend(e.target.value === "webgpu" ? "webgpu" : "wasm")} className="w-40" aria-label="Backend">
              <option value="wasm">WebAssembly (default)</option>
              <option value="webgpu" disabled={runtime !== null && !runtime.webgpu}>
                WebGPU{runtime !== null && !runtime.webgpu ? " (not offered by this browser)" : ""}
              </option>
            </Select>
          </label>
          <label className="text-sm">
            <span className="block text-xs text-muted">Threads</span>
            <Select
              value={isolatedPage ? threads : 1}
              onChange={(e) => setThreads(Number(e.target.value))}
              className="w-24"
              aria-label="Threads"
              disabled={!isolatedPage}
              aria-describedby={isolatedPage ? undefined : "threads-why"}
            >
              {[1, 2, 4, 8].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          </label>
          {isolatedPage ? null : (
            <p id="threads-why" className="basis-full text-xs text-muted">
              One thread: this page was opened without cross-origin isolation, so the runtime cannot share memory between threads. Reload the page to use more.
            </p>
          )}
          <label className="text-sm">
            <span className="block text-xs text-muted">Timed runs</span>
            <Select value={repeat} onChange={(e) => setRepeat(Number(e.target.value))} className="w-24" aria-label="Timed runs">
              {[1, 5, 20, 50].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          </label>
          {champion ? (
            <label className="flex items-center gap-2 pb-2 text-sm">
              <input type="checkbox" checked={compare} onChange={(e) => setParam("compare", e.target.checked ? null : "0")} />
              Compare with {championRole === "parent" ? "its parent" : champion.aliases.includes("production") ? "production" : "champion"} (v{champion.version}
              )
            </label>
          ) : null}
          <Button onClick={run} disabled={busy || !imageReady} className="ml-auto">
            {busy ? "Running…" : image && !imageReady ? "Loading frame…" : "Run model"}
          </Button>
        </div>
        {progress ? (
          <div className="mt-3">
            <p className="text-xs text-muted">{progress.label}</p>
            <div
              role="progressbar"
              aria-label={progress.label}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round((100 * progress.loaded) / progress.total)}
              className="mt-1 h-2 rounded bg-zinc-200 dark:bg-zinc-800"
            >
              <div className="h-2 rounded bg-brand-500 transition-all" style={{ width: `${Math.round((100 * progress.loaded) / progress.total)}%` }} />
            </div>
          </div>
        ) : null}
        <p role="status" data-testid="runtime-status" className="mt-2 text-xs text-muted">
          {runtime && readyKey === runtimeKey
            ? `Runtime ready: ${runtime.backend === "webgpu" ? "WebGPU" : "WebAssembly"}, ${runtime.threads} ${runtime.threads === 1 ? "thread" : "threads"} (started in ${runtime.runtimeMs.toFixed(0)} ms)`
            : "Starting the runtime…"}
        </p>
        {runtime?.note ? <p className="mt-2 text-xs text-amber-700 dark:text-amber-300">{runtime.note}</p> : null}
        {error ? (
          <div className="mt-3">
            <ErrorNote>{error}</ErrorNote>
          </div>
        ) : null}
      </Card>

      <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
        <Card className="space-y-3">
          <h2 className="text-sm font-semibold">Frames</h2>
          <div className="flex flex-wrap gap-1" role="group" aria-label="Filter frames by tag">
            <button
              type="button"
              onClick={() => setParam("tag", null)}
              aria-pressed={!tag}
              className={`rounded px-2 py-0.5 text-xs ${!tag ? "bg-brand-600 text-white" : "bg-zinc-100 dark:bg-zinc-800"}`}
            >
              all
            </button>
            {tags.map((t) => (
              <button
                key={t}
                type="button"
                onClick={() => setParam("tag", t)}
                aria-pressed={tag === t}
                className={`rounded px-2 py-0.5 text-xs ${tag === t ? "bg-brand-600 text-white" : "bg-zinc-100 dark:bg-zinc-800"}`}
              >
                {t}
              </button>
            ))}
          </div>
          {shown.length ? (
            <ul className="grid max-h-[28rem] grid-cols-2 gap-2 overflow-y-auto" aria-label="Frames">
              {shown.map((f) => (
                <li key={f.id}>
                  <button
                    type="button"
                    onClick={() => {
                      setLocalName(null);
                      setA(null);
                      setB(null);
                      setParam("frame", f.id);
                    }}
                    aria-pressed={!localName && f.id === frameId}
                    aria-label={`Frame ${f.name}`}
                    className={`block w-full overflow-hidden rounded border-2 ${!localName && f.id === frameId ? "border-brand-500" : "border-transparent"}`}
                  >
                    {/* eslint-disable-next-line @next/next/no-img-element -- frames are served by our own API with immutable caching */}
                    <img src={f.url} alt={f.name} width={f.width} height={f.height} loading="lazy" className="h-auto w-full" />
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No frames">Generate or upload frames on the Frames page, or use your own image below.</EmptyState>
          )}
          <label className="block text-xs text-muted">
            Your own image (stays in this browser)
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp"
              aria-label="Your own image"
              onChange={(e) => onLocalFile(e.target.files?.[0])}
              className="mt-1 block w-full text-xs"
            />
          </label>
        </Card>

        <div className="space-y-4">
          <Card className="flex flex-wrap items-center gap-4 text-sm">
            {post.kind === "boxes" || post.kind === "centernet" || post.kind === "sigmoid" ? (
              <Slider label="Score threshold" value={th.score} onChange={(v) => setTh({ ...th, score: v })} />
            ) : null}
            {post.kind === "boxes" || post.kind === "centernet" ? (
              <Slider label="IoU threshold" value={th.iou} onChange={(v) => setTh({ ...th, iou: v })} />
            ) : null}
            {post.kind === "segmentation" ? <Slider label="Mask opacity" value={heat} onChange={setHeat} /> : null}
            {post.kind === "db-text" ? (
              <>
                <Slider label="Binary threshold" value={th.binary} onChange={(v) => setTh({ ...th, binary: v })} />
                <Slider label="Box threshold" value={th.box} onChange={(v) => setTh({ ...th, box: v })} />
                <Slider label="Heat map opacity" value={heat} onChange={setHeat} />
              </>
            ) : null}
            {truth?.boxes?.length ? (
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={showTruth} onChange={(e) => setShowTruth(e.target.checked)} /> Ground truth ({truth.boxes.length})
              </label>
            ) : null}
            <span className="text-xs text-muted">Thresholds apply at once, without re-running the model.</span>
          </Card>
          {image ? (
            <div className={`grid gap-4 ${rb ? "xl:grid-cols-2" : ""}`}>
              <ResultPane
                title={`${model.slug} v${model.version}${model.aliases.length ? ` (${model.aliases.join(", ")})` : ""}`}
                image={image.rgba}
                result={ra}
                truth={truth}
                showTruth={showTruth}
                heat={heat}
                explanation={explanation}
              >
                {ra ? (
                  <ExplainPanel
                    client={() => rt().client}
                    prepare={() => ensure(model)}
                    model={model}
                    image={image.rgba}
                    result={ra}
                    thresholds={th}
                    explanation={explanation}
                    onExplanation={setExplanation}
                  />
                ) : null}
              </ResultPane>
              {rb && champion ? (
                <ResultPane
                  title={`${champion.slug} v${champion.version} (${role})`}
                  image={image.rgba}
                  result={rb}
                  truth={truth}
                  showTruth={showTruth}
                  heat={heat}
                />
              ) : null}
            </div>
          ) : (
            <EmptyState title="Pick a frame">Choose a frame on the left or open one of your own images.</EmptyState>
          )}
          {ra && rb ? (
            <Card>
              <h2 className="text-sm font-semibold">Differences from {role} on this frame</h2>
              {diffs.length ? (
                <ul className="mt-2 list-disc pl-5 text-sm" aria-label="Differences">
                  {diffs.map((d, i) => (
                    <li key={i}>
                      <Badge tone={d.kind === "score-change" ? "amber" : "red"}>{DIFFERENCE_LABELS[d.kind]}</Badge> {d.detail}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-sm text-muted">Same result as {role}.</p>
              )}
            </Card>
          ) : null}
          {a ? (
            <Card>
              <TimingTable
                backend={runtime?.backend ?? backend}
                threads={runtime?.threads ?? threads}
                rows={[
                  { label: `v${model.version}`, pre: a.run.preprocessMs, infer: a.run.inferenceMs, post: a.run.postprocessMs },
                  ...(b && champion
                    ? [{ label: `v${champion.version} (${role})`, pre: b.run.preprocessMs, infer: b.run.inferenceMs, post: b.run.postprocessMs }]
                    : []),
                ]}
              />
              {a.run.ocrMs !== undefined ? (
                <p className="mt-2 text-xs text-muted">
                  Reading text: <span data-testid="ocr-ms">{a.run.ocrMs.toFixed(0)}</span> ms in <span data-testid="ocr-runs">{a.run.ocrRuns}</span> batched{" "}
                  {a.run.ocrRuns === 1 ? "run" : "runs"} (direction classifier, then recogniser, at most {MAX_BATCH} regions a run)
                </p>
              ) : null}
              {runtime ? (
                <p className="mt-2 text-xs text-muted">
                  Runtime started in <span data-testid="runtime-ms">{runtime.runtimeMs.toFixed(0)}</span> ms, before the first model (once per tab and setting)
                </p>
              ) : null}
              <ul className="mt-2 text-xs text-muted" aria-label="Model loading">
                {Object.entries(loads).map(([key, l]) => (
                  <li key={key} data-testid={`load-${key}`}>
                    {l.reused ? (
                      <>
                        {key} ({formatBytes(l.sizeBytes)}): session kept from an earlier visit in this tab, ready in <span data-testid="session-ms">0</span> ms
                      </>
                    ) : (
                      <>
                        {key} ({formatBytes(l.sizeBytes)}): {l.cached ? "from the browser cache" : "downloaded"} in {l.downloadMs.toFixed(0)} ms, session
                        created in <span data-testid="session-ms">{l.sessionMs.toFixed(0)}</span> ms
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </div>
      </div>

      <BatchRunner
        version={{ slug: model.slug, version: model.version }}
        labels={model.manifest.labels}
        frames={shown}
        tag={tag}
        runOne={async (f) => {
          const rgba = await fetchFrame(f.url);
          await ensure(model);
          const r = await runModel(rt().client, model, rgba, 0, th);
          return { result: interpret(model.manifest, r.outputs, r.transform, th), ms: r.inferenceMs[0] ?? 0 };
        }}
        runChampion={
          compare && champion
            ? async (f) => {
                const rgba = await fetchFrame(f.url);
                await ensure(champion);
                const r = await runModel(rt().client, champion, rgba, 0, th);
                return { result: interpret(champion.manifest, r.outputs, r.transform, th), ms: r.inferenceMs[0] ?? 0 };
              }
            : undefined
        }
      />
    </div>
  );
}

function ResultPane({
  title,
  image,
  result,
  truth,
  showTruth,
  heat,
  explanation = null,
  children,
}: {
  title: string;
  image: Rgba;
  result: Interpretation | null;
  truth: PlaygroundFrame["groundTruth"];
  showTruth: boolean;
  heat: number;
  explanation?: Explanation | null;
  children?: React.ReactNode;
}) {
  return (
    <Card className="space-y-3">
      <h2 className="text-sm font-semibold">{title}</h2>
      <FrameCanvas
        image={image}
        result={result}
        truth={truth}
        showTruth={showTruth}
        heatOpacity={heat}
        explanation={explanation}
        label={`Frame with the output of ${title}${explanation ? ", and the explanation map" : ""}`}
      />
      {result ? <ResultView result={result} /> : <p className="text-sm text-muted">Press “Run model” to see what it does on this frame.</p>}
      {children}
    </Card>
  );
}

function Slider({ label, value, onChange }: { label: string; value: number; onChange: (v: number) => void }) {
  return (
    <label className="flex items-center gap-2">
      <span className="text-xs text-muted">{label}</span>
      <input type="range" min={0} max={1} step={0.01} value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={label} />
      <span className="w-10 font-mono text-xs tabular-nums">{value.toFixed(2)}</span>
    </label>
  );
}
