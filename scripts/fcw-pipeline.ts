// The FCW team's training pipeline as a webhook receiver: what a "Trigger retraining" response rule points at. It checks
// Sentinel's signature, accepts one job per alert, and runs examples/fcw-detector/train.py through the MLflow client with
// the alert's trigger tag, so the new run (and the version it registers) links back to the alert on the portal.
// Jobs run one at a time, in this process: the receiver is the pipeline's front door, not part of the portal.
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifySignature } from "@/server/webhooks/sign";
import { runTraining, type TrainingOptions, type TrainingResult } from "./fcw-train-lib";

const MAX_BODY_BYTES = 1024 * 1024;

// Only what the pipeline acts on; the evidence and the alert summary ride along unread.
const ZRetrain = z.object({
  event: z.literal("retrain"),
  alert_id: z.string().uuid(),
  model: z.string().min(1).max(200).nullable(),
  version: z.number().int().nullable(),
  reason: z.string().max(2000),
  dataWindow: z.object({ from: z.string(), to: z.string() }),
  runTag: z.object({ key: z.string().min(1).max(250), value: z.string().max(5000) }),
});

export type RetrainJob = {
  id: string;
  alertId: string;
  deliveryId: string | null;
  model: string;
  reason: string;
  state: "queued" | "running" | "succeeded" | "failed";
  receivedAt: string;
  finishedAt: string | null;
  runId: string | null;
  version: number | null;
  error: string | null;
};

export type PipelineOptions = {
  /** The webhook target's signing secret (shown once when the target is created). */
  secret: string;
  /** The portal the training logs to (MLflow tracking URI) and a token with runs and models write scopes. */
  uri: string;
  token: string;
  python: { command: string; args: string[] };
  /** The portal model this pipeline trains (its slug); alerts for other models are refused. */
  model: string;
  /** The MLflow registered-model name to register the retrained version under; none = log the run only. */
  registerAs?: string;
  /** Training size: the full run by default; tests pass a few frames and steps. */
  training?: Partial<Pick<TrainingOptions, "epochs" | "limit" | "maxSteps">>;
  outDir?: string;
  log?: (line: string) => void;
};

type Reply = { status: number; body: unknown };

/** Starts the receiver on 127.0.0.1 (port 0 = any free one). */
export async function startRetrainPipeline(o: PipelineOptions, port = 0) {
  const jobs: RetrainJob[] = [];
  const outDir = o.outDir ?? path.join(os.tmpdir(), `fcw-pipeline-${process.pid}`);
  let queue: Promise<void> = Promise.resolve();
  const log = o.log ?? (() => {});

  async function train(job: RetrainJob, tag: { key: string; value: string }): Promise<void> {
    job.state = "running";
    log(`job ${job.id}: retraining ${job.model} for alert ${job.alertId} (${job.reason})`);
    try {
      const r: TrainingResult = await runTraining(o.python, {
        uri: o.uri,
        token: o.token,
        // The fix the pipeline applies: the balanced day/night sample.
        nightShare: 0.5,
        epochs: o.training?.epochs ?? 40,
        limit: o.training?.limit,
        maxSteps: o.training?.maxSteps,
        out: path.join(outDir, `${job.id}.onnx`),
        register: o.registerAs,
        runName: `retrain-${job.alertId.slice(0, 8)}`,
        description: `Retrained on the balanced day/night set after alert “${job.reason}”`,
        tags: { [tag.key]: tag.value },
        log: (line) => log(`job ${job.id}: ${line}`),
      });
      Object.assign(job, { state: "succeeded", runId: r.run_id, version: r.version ?? null });
    } catch (err) {
      Object.assign(job, { state: "failed", error: err instanceof Error ? err.message.slice(0, 2000) : String(err) });
    } finally {
      job.finishedAt = new Date().toISOString();
      log(`job ${job.id}: ${job.state}${job.runId ? `, run ${job.runId}` : ""}${job.error ? `: ${job.error}` : ""}`);
    }
  }

  function receive(body: string, headers: http.IncomingHttpHeaders): Reply {
    const signature = headers[SIGNATURE_HEADER.toLowerCase()];
    if (!verifySignature(o.secret, typeof signature === "string" ? signature : null, body))
      return { status: 401, body: { error: "Bad or stale signature: check that this pipeline holds the webhook target's current secret" } };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { status: 400, body: { error: "The body is not JSON" } };
    }
    const event = (json as { event?: unknown } | null)?.event;
    // The portal's "Send test" button: answer it without starting anything.
    if (event === "test") return { status: 200, body: { ok: true, message: "The training pipeline is listening" } };
    const parsed = ZRetrain.safeParse(json);
    if (!parsed.success)
      return { status: 400, body: { error: `Not a retrain request: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` } };
    const p = parsed.data;
    if (p.model !== o.model) return { status: 422, body: { error: `This pipeline retrains ${o.model}, not ${p.model ?? "an alert without a model"}` } };
    const deliveryId = typeof headers[DELIVERY_HEADER.toLowerCase()] === "string" ? String(headers[DELIVERY_HEADER.toLowerCase()]) : null;
    // A retried delivery, or a second rule answering the same alert, gets the job already started.
    const existing = jobs.find((j) => j.alertId === p.alert_id);
    if (existing) return { status: 200, body: { job: existing, duplicate: true } };
    const job: RetrainJob = {
      id: `job-${jobs.length + 1}`,
      alertId: p.alert_id,
      deliveryId,
      model: p.model,
      reason: p.reason,
      state: "queued",
      receivedAt: new Date().toISOString(),
      finishedAt: null,
      runId: null,
      version: null,
      error: null,
    };
    jobs.push(job);
    queue = queue.then(() => train(job, p.runTag));
    return { status: 202, body: { job } };
  }

  const server = http.createServer((req, res) => {
    const send = (r: Reply) => res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r.body));
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/jobs") return send({ status: 200, body: { jobs } });
    if (req.method === "GET" && url.pathname === "/healthz") return send({ status: 200, body: { ok: true } });
    if (url.pathname !== "/retrain") return send({ status: 404, body: { error: "POST /retrain (signed), GET /jobs" } });
    if (req.method !== "POST") return send({ status: 405, body: { error: "POST only" } });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        send({ status: 413, body: { error: `The body is over ${MAX_BODY_BYTES} bytes` } });
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      if (!res.headersSent) send(receive(Buffer.concat(chunks).toString("utf8"), req.headers));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jobs: () => jobs.map((j) => ({ ...j })),
    /** Resolves when every accepted job has finished. */
    idle: () => queue,
    close: async () => {
      await queue;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
