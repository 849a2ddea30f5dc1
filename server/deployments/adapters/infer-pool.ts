// Runs uploaded ONNX models outside the request process: a small pool of worker processes, each with a
// V8 heap limit, a deadline per model load and per run (a worker that misses it is killed and
// replaced), and a bounded queue (full: 503). A hostile model (a graph that runs for minutes, or
// allocates until it dies) costs one worker, not the portal.
//
// Processes, not worker_threads: onnxruntime-node runs a session on a native thread, and terminating a
// worker thread while a run is in flight aborts the whole process ("terminate called after throwing an
// instance of 'Napi::Error'", seen in infer-pool.test.ts). SIGKILL on a child is always safe, and the
// kernel's OOM killer picks the child that allocated, not the portal.
import { spawn, type ChildProcess } from "node:child_process";
import { DomainError, Invalid } from "@/server/errors";

export type Tensor = { dims: number[]; data: Float32Array };
export type PoolOptions = {
  size: number;
  queue: number;
  runTimeoutMs: number;
  loadTimeoutMs: number;
  /** V8 heap per worker (--max-old-space-size); onnxruntime's own buffers are native memory, bounded by the deadlines and the queue. */
  memoryMb: number;
};

/** Too many requests waiting: the caller should retry later. */
export class Busy extends DomainError {
  constructor(message: string) {
    super("UNAVAILABLE", message);
  }
}

// The worker: plain CommonJS run with node -e (no bundler between it and Node), so onnxruntime-node is
// required from node_modules at run time. Sessions are cached per worker by sha256.
const WORKER_SOURCE = `
const parentPort = { on: (e, f) => process.on(e, f), postMessage: (m) => process.send(m) };
const ort = require("onnxruntime-node");
const sessions = new Map();
parentPort.on("message", async (m) => {
  try {
    let s = sessions.get(m.sha256);
    if (!s) {
      if (sessions.size >= 4) { const [k] = sessions.keys(); sessions.get(k).release().catch(() => {}); sessions.delete(k); }
      s = await ort.InferenceSession.create(m.path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
      sessions.set(m.sha256, s);
    }
    parentPort.postMessage({ id: m.id, stage: "loaded" });
    const feeds = {};
    for (const name of s.inputNames) {
      const t = m.inputs[name];
      if (!t) return parentPort.postMessage({ id: m.id, ok: false, invalid: true, error: "inputs." + name + " is missing; the model takes " + s.inputNames.join(", ") });
      feeds[name] = new ort.Tensor("float32", t.data, t.dims);
    }
    const out = await s.run(feeds);
    const outputs = {};
    for (const [name, t] of Object.entries(out)) outputs[name] = { dims: Array.from(t.dims, Number), data: Float32Array.from(t.data) };
    parentPort.postMessage({ id: m.id, ok: true, outputs });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, invalid: true, error: String(e && e.message ? e.message : e).split("\\n")[0] });
  }
});
`;

type Job = {
  id: number;
  path: string;
  sha256: string;
  inputs: Record<string, Tensor>;
  label: string;
  resolve: (o: Record<string, Tensor>) => void;
  reject: (e: Error) => void;
};
type Slot = { worker: ChildProcess; job: Job | null; timer: NodeJS.Timeout | null; loaded: Set<string> };

export class InferencePool {
  private slots: Slot[] = [];
  private waiting: Job[] = [];
  private nextId = 1;
  /** Workers stopped for running out of time or memory since start: for tests and metrics. */
  stopped = 0;

  constructor(private readonly o: PoolOptions) {}

  /** Jobs on a worker and jobs in the queue, now: for tests and metrics. */
  get load(): { running: number; waiting: number } {
    return { running: this.slots.filter((s) => s.job).length, waiting: this.waiting.length };
  }

  /** Runs the model at `path` (content id `sha256`) on `inputs`; `label` names it in errors ("v3"). */
  run(path: string, sha256: string, inputs: Record<string, Tensor>, label: string): Promise<Record<string, Tensor>> {
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, path, sha256, inputs, label, resolve, reject };
      const free = this.freeSlot();
      if (free) return this.start(free, job);
      if (this.waiting.length >= this.o.queue) return reject(new Busy(`Inference is busy (${this.o.queue} requests waiting); retry in a few seconds`));
      this.waiting.push(job);
    });
  }

  /** Stops every worker (tests, shutdown). */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    for (const w of this.waiting.splice(0)) w.reject(new Busy("Inference is shutting down"));
    for (const s of slots) s.worker.kill("SIGKILL");
  }

  private freeSlot(): Slot | null {
    const idle = this.slots.find((s) => !s.job);
    if (idle) return idle;
    if (this.slots.length < this.o.size) {
      const slot = this.spawn();
      this.slots.push(slot);
      return slot;
    }
    return null;
  }

  private spawn(): Slot {
    const worker = spawn(process.execPath, [`--max-old-space-size=${this.o.memoryMb}`, "-e", WORKER_SOURCE], {
      cwd: process.cwd(),
      // Only what Node needs: the portal's secrets (database URL, session secret) stay out of reach of a model.
      env: { PATH: process.env.PATH ?? "", NODE_ENV: process.env.NODE_ENV ?? "production" },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
    });
    // The pool is an implementation detail: it must never keep the process alive on its own.
    worker.unref();
    worker.channel?.unref();
    const slot: Slot = { worker, job: null, timer: null, loaded: new Set() };
    worker.on("message", (m: { id: number; stage?: "loaded"; ok?: boolean; invalid?: boolean; error?: string; outputs?: Record<string, Tensor> }) => {
      const job = slot.job;
      if (!job || m.id !== job.id) return;
      if (m.stage === "loaded") {
        slot.loaded.add(job.sha256);
        this.arm(slot, this.o.runTimeoutMs, `${job.label} took longer than ${this.o.runTimeoutMs / 1000} s to run`);
        return;
      }
      this.finish(slot);
      if (m.ok && m.outputs) job.resolve(m.outputs);
      else job.reject(new Invalid(`${job.label} could not run these inputs: ${m.error ?? "unknown error"}`));
    });
    // Out of heap (V8 aborts), killed by the kernel, or any crash: the job fails clearly and the slot is replaced.
    worker.on("error", (err) => this.fail(slot, `could not start (${err.message.split("\n")[0]})`));
    worker.on("exit", (code, signal) =>
      this.fail(
        slot,
        signal === "SIGKILL"
          ? `was killed (out of memory?)`
          : signal === "SIGABRT" || code === 134
            ? `ran out of memory (limit ${this.o.memoryMb} MB)`
            : `stopped unexpectedly (${signal ?? `exit code ${code}`})`,
      ),
    );
    return slot;
  }

  private start(slot: Slot, job: Job) {
    slot.job = job;
    const loading = !slot.loaded.has(job.sha256);
    this.arm(
      slot,
      loading ? this.o.loadTimeoutMs : this.o.runTimeoutMs,
      loading
        ? `${job.label} took longer than ${this.o.loadTimeoutMs / 1000} s to load`
        : `${job.label} took longer than ${this.o.runTimeoutMs / 1000} s to run`,
    );
    // Copies the inputs into the worker (structured clone over IPC).
    slot.worker.send({ id: job.id, path: job.path, sha256: job.sha256, inputs: job.inputs });
  }

  private arm(slot: Slot, ms: number, why: string) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      this.stopped++;
      this.fail(slot, why, true);
      slot.worker.kill("SIGKILL");
    }, ms);
    slot.timer.unref();
  }

  private finish(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    const next = this.waiting.shift();
    if (next) this.start(slot, next);
  }

  /** The slot's worker is gone (or being stopped): fail its job, drop it, and give the next job a fresh worker. */
  private fail(slot: Slot, why: string, timedOut = false) {
    if (!this.slots.includes(slot)) return;
    if (slot.timer) clearTimeout(slot.timer);
    this.slots = this.slots.filter((s) => s !== slot);
    const job = slot.job;
    slot.job = null;
    if (job) job.reject(new Invalid(timedOut ? `${why}; its worker was stopped` : `${job.label} ${why}; its worker was stopped`));
    const next = this.waiting.shift();
    if (next) {
      const free = this.freeSlot();
      if (free) this.start(free, next);
      else this.waiting.unshift(next);
    }
  }
}
