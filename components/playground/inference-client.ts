"use client";
// A promise API over the inference worker: one request id per message, progress passed through.
import type { Backend, WorkerRequest, WorkerResponse } from "@/lib/playground/protocol";

type Pending = { resolve: (m: WorkerResponse) => void; reject: (e: Error) => void; onProgress?: (m: Extract<WorkerResponse, { type: "progress" }>) => void };
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type Request = DistributiveOmit<WorkerRequest, "id">;

export class InferenceClient {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL("./inference.worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      if (e.data.type === "progress") return p.onProgress?.(e.data);
      this.pending.delete(e.data.id);
      if (e.data.type === "error") p.reject(new Error(e.data.message));
      else p.resolve(e.data);
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(e.message || "The inference worker crashed"));
      this.pending.clear();
    };
  }

  send<T extends WorkerResponse["type"]>(req: Request, expect: T, onProgress?: Pending["onProgress"]): Promise<Extract<WorkerResponse, { type: T }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (m) => (m.type === expect ? resolve(m as Extract<WorkerResponse, { type: T }>) : reject(new Error(`Unexpected ${m.type} from the worker`))),
        reject,
        onProgress,
      });
      this.worker.postMessage({ ...req, id });
    });
  }

  /** Starts a request and returns its id with the answer, so the caller can cancel it. */
  start<T extends WorkerResponse["type"]>(req: Request, expect: T, onProgress?: Pending["onProgress"]) {
    const id = this.nextId;
    return { id, done: this.send(req, expect, onProgress) };
  }

  /** Asks the worker to stop request `target`; it then fails with "Explanation cancelled". */
  cancel(target: number) {
    this.worker.postMessage({ id: this.nextId++, type: "cancel", target } satisfies WorkerRequest);
  }

  init(backend: Backend, threads: number) {
    return this.send({ type: "init", backend, threads }, "ready");
  }

  terminate() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error("Cancelled"));
    this.pending.clear();
  }
}
