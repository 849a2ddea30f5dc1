// Messages between the playground page and its inference worker.
import type { TManifest } from "@/server/registry/schemas";
import type { ExplainTarget, OcclusionParams } from "./explain";
import type { Thresholds } from "./interpret";
import type { Transform } from "./preprocess";

export type Backend = "wasm" | "webgpu";
export type WireTensor = { data: Float32Array; dims: number[]; type: string };
export type Crop = { x: number; y: number; w: number; h: number; rotate180?: boolean };

/** At most this many crops go into one batched run: a recogniser's output is about 1 MB per crop. */
export const MAX_BATCH = 16;

export type WorkerRequest =
  | { id: number; type: "init"; backend: Backend; threads: number }
  | { id: number; type: "load"; key: string; url: string; sha256: string }
  | {
      id: number;
      type: "infer";
      key: string;
      image: { data: Uint8ClampedArray; width: number; height: number };
      input: TManifest["input"];
      crop?: Crop;
      /** Extra timed runs after one warm-up run (0: a single run). */
      repeat?: number;
      returnInput?: boolean;
    }
  /** Many crops of one image through one model: stacked along the batch axis, so a tiny model pays its per-run cost once per frame. */
  | {
      id: number;
      type: "infer-batch";
      key: string;
      image: { data: Uint8ClampedArray; width: number; height: number };
      input: TManifest["input"];
      crops: Crop[];
    }
  | { id: number; type: "run-tensor"; key: string; inputName: string; data: Float32Array; dims: number[] }
  | {
      id: number;
      type: "explain";
      key: string;
      image: { data: Uint8ClampedArray; width: number; height: number };
      manifest: Pick<TManifest, "input" | "postprocess" | "labels">;
      thresholds: Thresholds;
      target: ExplainTarget;
      params: OcclusionParams;
    }
  /** Stops the explanation with id `target` before its next forward pass; it answers with an error "Explanation cancelled". */
  | { id: number; type: "cancel"; target: number };

export type Timings = { preprocessMs: number[]; inferenceMs: number[] };

export type WorkerResponse =
  /** `runtimeMs`: loading the runtime and starting its WebAssembly module, paid once per worker, before any model. */
  | { id: number; type: "ready"; backend: Backend; threads: number; isolated: boolean; webgpu: boolean; runtimeMs: number; note?: string }
  | { id: number; type: "progress"; phase: "download" | "verify" | "session" | "explain"; loaded: number; total: number }
  /** `reused`: the worker still held this session from an earlier page (no download, no session creation); `evicted`: a session released to make room. */
  | {
      id: number;
      type: "loaded";
      key: string;
      inputNames: string[];
      outputNames: string[];
      cached: boolean;
      reused: boolean;
      downloadMs: number;
      sessionMs: number;
      evicted?: string;
    }
  | { id: number; type: "result"; outputs: Record<string, WireTensor>; transform: Transform; timings: Timings; input?: WireTensor }
  /** One entry per crop, in order; `runs`: how many model runs the batch took. */
  | { id: number; type: "batch-result"; outputs: Record<string, WireTensor>[]; inferenceMs: number; runs: number }
  | { id: number; type: "explained"; map: Float32Array; width: number; height: number; baseline: number; passes: number; params: OcclusionParams; ms: number }
  | { id: number; type: "error"; message: string };
