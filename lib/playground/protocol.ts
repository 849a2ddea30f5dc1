// Messages between the playground page and its inference worker.
import type { TManifest } from "@/server/registry/schemas";
import type { ExplainTarget, OcclusionParams } from "./explain";
import type { Thresholds } from "./interpret";
import type { Transform } from "./preprocess";

export type Backend = "wasm" | "webgpu";
export type WireTensor = { data: Float32Array; dims: number[]; type: string };

export type WorkerRequest =
  | { id: number; type: "init"; backend: Backend; threads: number }
  | { id: number; type: "load"; key: string; url: string; sha256: string }
  | {
      id: number;
      type: "infer";
      key: string;
      image: { data: Uint8ClampedArray; width: number; height: number };
      input: TManifest["input"];
      crop?: { x: number; y: number; w: number; h: number; rotate180?: boolean };
      /** Extra timed runs after one warm-up run (0: a single run). */
      repeat?: number;
      returnInput?: boolean;
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
  | { id: number; type: "ready"; backend: Backend; threads: number; isolated: boolean; webgpu: boolean; note?: string }
  | { id: number; type: "progress"; phase: "download" | "verify" | "session" | "explain"; loaded: number; total: number }
  | { id: number; type: "loaded"; key: string; inputNames: string[]; outputNames: string[]; cached: boolean; downloadMs: number; sessionMs: number }
  | { id: number; type: "result"; outputs: Record<string, WireTensor>; transform: Transform; timings: Timings; input?: WireTensor }
  | { id: number; type: "explained"; map: Float32Array; width: number; height: number; baseline: number; passes: number; params: OcclusionParams; ms: number }
  | { id: number; type: "error"; message: string };
