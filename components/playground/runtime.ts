"use client";
// The tab's inference runtime: one worker that outlives the playground page, so a second visit in the same tab finds
// its runtime started and its sessions created. onnxruntime-web configures its WebAssembly runtime once per worker, so
// another backend or thread count starts a new worker (and releases the old one with its sessions).
import type { Backend, WorkerResponse } from "@/lib/playground/protocol";
import { InferenceClient } from "./inference-client";
import type { PlaygroundModel } from "./types";

type Ready = Extract<WorkerResponse, { type: "ready" }>;
type Loaded = Extract<WorkerResponse, { type: "loaded" }>;
export type Runtime = { client: InferenceClient; backend: Backend; threads: number; ready: Promise<Ready> };

let current: (Runtime & { loads: Map<string, Promise<Loaded>> }) | null = null;

export function runtimeFor(backend: Backend, threads: number): Runtime {
  if (current && current.backend === backend && current.threads === threads) return current;
  current?.client.terminate();
  const client = new InferenceClient();
  const ready = client.init(backend, threads);
  const made = { client, backend, threads, ready, loads: new Map<string, Promise<Loaded>>() };
  // A worker that failed to start is not kept: the next call tries again.
  ready.catch(() => {
    if (current === made) current = null;
  });
  current = made;
  return made;
}

/** Loads a model once per worker; concurrent callers share the load. The worker's answer says whether it reused a session. */
export function loadModel(rt: Runtime, m: PlaygroundModel, onProgress?: (phase: string, loaded: number, total: number) => void): Promise<Loaded> {
  const held = current?.client === rt.client ? current.loads : null;
  const known = held?.get(m.key);
  if (known) return known.then((info) => ({ ...info, reused: true, downloadMs: 0, sessionMs: 0 }));
  const p = rt.client.send({ type: "load", key: m.key, url: m.downloadUrl, sha256: m.sha256 }, "loaded", (e) => onProgress?.(e.phase, e.loaded, e.total));
  held?.set(m.key, p);
  p.then(
    (info) => info.evicted && held?.delete(info.evicted),
    () => held?.delete(m.key),
  );
  return p;
}
