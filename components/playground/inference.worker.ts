/// <reference lib="webworker" />
// Runs ONNX models with onnxruntime-web off the main thread: downloads the model once (checked
// against its sha256 and cached by hash), creates sessions, preprocesses frames and times runs.
import type * as OrtTypes from "onnxruntime-web";
import { groupsByWidth, stackPadded } from "@/lib/playground/batch";
import { occlusionMap, targetScore } from "@/lib/playground/explain";
import { interpret } from "@/lib/playground/interpret";
import { cropRgba, preprocess } from "@/lib/playground/preprocess";
import { MAX_BATCH, type Backend, type WireTensor, type WorkerRequest, type WorkerResponse } from "@/lib/playground/protocol";
import { warmupModelBytes } from "@/lib/playground/warmup-model";

declare const self: DedicatedWorkerGlobalScope;

type Ort = typeof OrtTypes;
let ort: Ort | null = null;
let backend: Backend = "wasm";
let ready: Extract<WorkerResponse, { type: "ready" }> | null = null;
/** Sessions by model key, least recently used first. The worker outlives a page (components/playground/runtime.ts), so a
 * second visit finds its session here; the cap bounds what a long browsing session keeps in memory. */
const sessions = new Map<string, { session: OrtTypes.InferenceSession; sha256: string }>();
const MAX_SESSIONS = 6;
const cancelled = new Set<number>();

const post = (msg: WorkerResponse, transfer: Transferable[] = []) => self.postMessage(msg, transfer);
const hex = (buf: ArrayBuffer) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");

async function init(id: number, wanted: Backend, threads: number) {
  // The WebAssembly runtime is configured once per worker: the page starts another worker for other settings.
  if (ready) return post({ ...ready, id });
  const t0 = performance.now();
  const webgpu =
    "gpu" in navigator && Boolean(await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter().catch(() => null));
  backend = wanted === "webgpu" && webgpu ? "webgpu" : "wasm";
  // The runtime loads lazily: only when a model is about to run, never in the page's first bundle.
  ort = backend === "webgpu" ? await import("onnxruntime-web/webgpu") : await import("onnxruntime-web/wasm");
  ort.env.wasm.wasmPaths = "/ort/";
  const isolated = self.crossOriginIsolated;
  ort.env.wasm.numThreads = isolated ? Math.max(1, threads) : 1;
  // Start the runtime now (fetch and instantiate its WebAssembly module) with a one-node model, so the first real
  // session measures the model, not the runtime.
  const warm = await ort.InferenceSession.create(warmupModelBytes(), { executionProviders: ["wasm"] });
  await warm.run({ x: new ort.Tensor("float32", new Float32Array([0]), [1]) });
  await warm.release();
  ready = {
    id,
    type: "ready",
    backend,
    threads: ort.env.wasm.numThreads,
    isolated,
    webgpu,
    runtimeMs: performance.now() - t0,
    note: isolated ? undefined : "This page is not cross-origin isolated, so the runtime uses one thread.",
  };
  post(ready);
}

async function fetchModel(id: number, url: string, sha256: string): Promise<{ bytes: ArrayBuffer; cached: boolean }> {
  const cacheKey = `/model-cache/${sha256}`;
  const cache = "caches" in self ? await caches.open("sentinel-models") : null;
  const hit = await cache?.match(cacheKey);
  if (hit) {
    const bytes = await hit.arrayBuffer();
    if (hex(await crypto.subtle.digest("SHA-256", bytes)) === sha256) return { bytes, cached: true };
    await cache?.delete(cacheKey);
  }
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok || !res.body) {
    let detail = `HTTP ${res.status}`;
    try {
      detail = ((await res.json()) as { detail?: string }).detail ?? detail;
    } catch {
      // not JSON
    }
    throw new Error(`The model could not be downloaded: ${detail}`);
  }
  const total = Number(res.headers.get("content-length") ?? 0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    post({ id, type: "progress", phase: "download", loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.byteLength;
  }
  post({ id, type: "progress", phase: "verify", loaded, total });
  const got = hex(await crypto.subtle.digest("SHA-256", bytes));
  if (got !== sha256)
    throw new Error(
      `The downloaded model does not match its registered sha256 (expected ${sha256.slice(0, 12)}…, got ${got.slice(0, 12)}…); refusing to run it.`,
    );
  await cache?.put(cacheKey, new Response(bytes.slice().buffer, { headers: { "content-type": "application/octet-stream" } }));
  return { bytes: bytes.buffer, cached: false };
}

async function load(id: number, key: string, url: string, sha256: string) {
  if (!ort) throw new Error("The runtime is not initialised");
  const held = sessions.get(key);
  if (held && held.sha256 === sha256) {
    touch(key, held);
    const { session } = held;
    return post({
      id,
      type: "loaded",
      key,
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
      cached: true,
      reused: true,
      downloadMs: 0,
      sessionMs: 0,
    });
  }
  const t0 = performance.now();
  const { bytes, cached } = await fetchModel(id, url, sha256);
  const t1 = performance.now();
  post({ id, type: "progress", phase: "session", loaded: 0, total: 1 });
  const session = await ort.InferenceSession.create(new Uint8Array(bytes), {
    executionProviders: backend === "webgpu" ? ["webgpu", "wasm"] : ["wasm"],
    graphOptimizationLevel: "all",
  });
  await sessions.get(key)?.session.release();
  sessions.delete(key);
  let evicted: string | undefined;
  if (sessions.size >= MAX_SESSIONS) {
    const [oldest, entry] = sessions.entries().next().value!;
    sessions.delete(oldest);
    await entry.session.release();
    evicted = oldest;
  }
  sessions.set(key, { session, sha256 });
  post({
    id,
    type: "loaded",
    key,
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    cached,
    reused: false,
    downloadMs: t1 - t0,
    sessionMs: performance.now() - t1,
    evicted,
  });
}

function touch(key: string, entry: { session: OrtTypes.InferenceSession; sha256: string }) {
  sessions.delete(key);
  sessions.set(key, entry);
}

function toWire(t: OrtTypes.Tensor): WireTensor {
  const data = t.data instanceof Float32Array ? new Float32Array(t.data) : Float32Array.from(t.data as ArrayLike<number>, Number);
  return { data, dims: [...t.dims], type: t.type };
}

async function runOnce(session: OrtTypes.InferenceSession, inputName: string, data: Float32Array, dims: number[]) {
  const tensor = new ort!.Tensor("float32", data, dims);
  const t0 = performance.now();
  const out = await session.run({ [inputName]: tensor });
  return { out, ms: performance.now() - t0 };
}

/** Crops stacked along the batch axis, MAX_BATCH per run, similar widths together (a recogniser's crops are padded to
 * the widest of their run); each output is split back per crop, in the request's order. A model whose batch axis is
 * fixed at 1 fails the stacked run, and then runs crop by crop. */
async function inferBatch(msg: Extract<WorkerRequest, { type: "infer-batch" }>, session: OrtTypes.InferenceSession) {
  const inputName = session.inputNames.includes(msg.input.name) ? msg.input.name : session.inputNames[0];
  const pres = msg.crops.map((c) => preprocess(cropRgba(msg.image, c, c.rotate180), msg.input));
  const results: Record<string, WireTensor>[] = new Array(pres.length);
  let inferenceMs = 0;
  let runs = 0;
  const runGroup = async (idx: number[]) => {
    const stacked = idx.length === 1 ? pres[idx[0]] : stackPadded(idx.map((i) => pres[i]));
    const { out, ms } = await runOnce(session, inputName, stacked.data, stacked.dims);
    inferenceMs += ms;
    runs++;
    for (const [name, t] of Object.entries(out)) {
      const w = toWire(t);
      const size = w.data.length / idx.length;
      idx.forEach((crop, k) => {
        results[crop] ??= {};
        results[crop][name] = { data: w.data.slice(k * size, (k + 1) * size), dims: [1, ...w.dims.slice(1)], type: w.type };
      });
    }
  };
  const batchable = msg.input.layout !== "NHWC";
  const groups = batchable
    ? groupsByWidth(
        pres.map((p) => p.dims[3]),
        MAX_BATCH,
      )
    : pres.map((_, i) => [i]);
  for (const idx of groups) {
    try {
      await runGroup(idx);
    } catch (e) {
      if (idx.length === 1) throw e;
      console.warn(`A batched run of ${idx.length} crops failed (${e instanceof Error ? e.message : String(e)}); running them one at a time`);
      for (const i of idx) await runGroup([i]);
    }
  }
  const transfer = results.flatMap((r) => Object.values(r).map((t) => t.data.buffer));
  post({ id: msg.id, type: "batch-result", outputs: results, inferenceMs, runs }, transfer);
}

/** Occlusion sensitivity of one prediction: the same loop as in Node, with this session as the model. */
async function explain(msg: Extract<WorkerRequest, { type: "explain" }>, session: OrtTypes.InferenceSession) {
  const inputName = session.inputNames.includes(msg.manifest.input.name) ? msg.manifest.input.name : session.inputNames[0];
  const t0 = performance.now();
  const r = await occlusionMap(
    msg.image,
    msg.params,
    async (img) => {
      // A task boundary per pass: the WASM run resolves without one, and a "cancel" message is only read between tasks.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const pre = preprocess(img, msg.manifest.input);
      const { out } = await runOnce(session, inputName, pre.data, pre.dims);
      const outputs = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, toWire(v)]));
      return targetScore(interpret(msg.manifest, outputs, pre.transform, msg.thresholds), msg.target);
    },
    {
      onProgress: (loaded, total) => post({ id: msg.id, type: "progress", phase: "explain", loaded, total }),
      cancelled: () => cancelled.has(msg.id),
    },
  );
  post(
    {
      id: msg.id,
      type: "explained",
      map: r.map,
      width: r.width,
      height: r.height,
      baseline: r.baseline,
      passes: r.passes,
      params: r.params,
      ms: performance.now() - t0,
    },
    [r.map.buffer],
  );
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  try {
    if (msg.type === "cancel") return void cancelled.add(msg.target);
    if (msg.type === "init") return await init(msg.id, msg.backend, msg.threads);
    if (msg.type === "load") return await load(msg.id, msg.key, msg.url, msg.sha256);
    const held = sessions.get(msg.key);
    if (!held) throw new Error("The model is not loaded yet");
    touch(msg.key, held);
    const { session } = held;
    if (msg.type === "explain") return await explain(msg, session);
    if (msg.type === "infer-batch") return await inferBatch(msg, session);
    if (msg.type === "run-tensor") {
      const { out, ms } = await runOnce(session, msg.inputName, msg.data, msg.dims);
      const outputs = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, toWire(v)]));
      return post({
        id: msg.id,
        type: "result",
        outputs,
        transform: { scaleX: 1, scaleY: 1, padX: 0, padY: 0, width: 0, height: 0 },
        timings: { preprocessMs: [], inferenceMs: [ms] },
      });
    }
    const src = msg.crop ? cropRgba(msg.image, msg.crop, msg.crop.rotate180) : msg.image;
    const inputName = session.inputNames.includes(msg.input.name) ? msg.input.name : session.inputNames[0];
    const preprocessMs: number[] = [];
    const inferenceMs: number[] = [];
    const runs = Math.max(0, msg.repeat ?? 0);
    let last: Awaited<ReturnType<typeof runOnce>> | null = null;
    let pre: ReturnType<typeof preprocess> | null = null;
    // With repeats, the first run warms up caches and JIT and is left out of the timings.
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      pre = preprocess(src, msg.input);
      const preMs = performance.now() - t0;
      last = await runOnce(session, inputName, pre.data, pre.dims);
      if (runs === 0 || i > 0) {
        preprocessMs.push(preMs);
        inferenceMs.push(last.ms);
      }
    }
    const outputs = Object.fromEntries(Object.entries(last!.out).map(([k, v]) => [k, toWire(v)]));
    const transfer = Object.values(outputs).map((o) => o.data.buffer);
    const input = msg.returnInput ? { data: pre!.data, dims: pre!.dims, type: "float32" } : undefined;
    post({ id: msg.id, type: "result", outputs, transform: pre!.transform, timings: { preprocessMs, inferenceMs }, input }, transfer);
  } catch (err) {
    post({ id: msg.id, type: "error", message: err instanceof Error ? err.message : String(err) });
  } finally {
    cancelled.delete(msg.id);
  }
};
