// The one adapter shipped here: the app itself serves cloud deployments at POST /api/v1/infer/{deployment}
// with onnxruntime-node, in a pool of worker threads with memory and time limits (infer-pool.ts), so an
// uploaded model never runs in the request process. Workers cache sessions by sha256; each request
// goes to the candidate with the rollout's probability (or by a caller's routing key, sticky), and the
// answer names the version that produced it.
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deployments, deploymentTargets, models, modelVersions } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import { env } from "@/server/env";
import { Invalid, NotFound, PreconditionFailed } from "@/server/errors";
import { BUCKETS, inRollout } from "../cohort";
import { percentOf } from "../state-machine";
import { InferencePool } from "./infer-pool";
import type { DesiredState, ServedVersion, ServingAdapter } from "./types";

// One pool per process, on globalThis so dev reloads and route bundles share it.
const holder = globalThis as { __sentinelInferPool?: InferencePool };
export function inferencePool(): InferencePool {
  return (holder.__sentinelInferPool ??= new InferencePool({
    size: env.INFER_WORKERS,
    queue: env.INFER_QUEUE,
    runTimeoutMs: env.INFER_TIMEOUT_MS,
    loadTimeoutMs: env.INFER_LOAD_TIMEOUT_MS,
    memoryMb: env.INFER_MEMORY_MB,
  }));
}
/** Tests swap in a pool with tighter limits. */
export function useInferencePool(pool: InferencePool): void {
  holder.__sentinelInferPool = pool;
}
/** Requests answered per deployment and version since the process started. */
const served = new Map<string, number>();

/**
 * Which side answers: with a routing key the same key always lands on the same side (and widening the
 * split never moves it back), like device buckets; without one, a fair coin weighted by the percent.
 */
export function chooseChannel(percent: number, key: string | null, random: () => number = Math.random): "stable" | "candidate" {
  if (percent <= 0) return "stable";
  if (key !== null) {
    const bucket = createHash("sha256").update(key).digest().readUInt32BE(0) % BUCKETS;
    return inRollout(bucket, percent) ? "candidate" : "stable";
  }
  return random() * 100 < percent ? "candidate" : "stable";
}

export async function desiredState(db: Db, deploymentId: string): Promise<DesiredState> {
  const [row] = await db
    .select({ d: deployments, model: models.slug, target: deploymentTargets.slug, kind: deploymentTargets.kind })
    .from(deployments)
    .innerJoin(models, eq(models.id, deployments.modelId))
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
    .where(eq(deployments.id, deploymentId));
  if (!row) throw new NotFound("Deployment");
  if (row.kind !== "cloud-online")
    throw new PreconditionFailed(`${row.target} is ${row.kind === "edge-fleet" ? "an edge fleet" : "a batch job"}; only cloud-online targets are served here`);
  const served = async (versionId: string, config: ServedVersion["config"]): Promise<ServedVersion> => {
    const [v] = await db
      .select({ number: modelVersions.number, sha256: modelVersions.artifactSha256, uri: modelVersions.artifactUri })
      .from(modelVersions)
      .where(and(eq(modelVersions.id, versionId)));
    return { version: v.number, sha256: v.sha256, artifactUri: v.uri, config };
  };
  const d = row.d;
  return {
    deploymentId: d.id,
    model: row.model,
    target: row.target,
    stable: await served(d.stableVersionId, d.stableConfig),
    candidate: d.candidateVersionId && d.state !== "idle" ? await served(d.candidateVersionId, d.candidateConfig ?? d.stableConfig) : null,
    candidatePercent: d.candidateVersionId ? percentOf(d) : 0,
  };
}

async function assertHeld(store: ArtifactStore, v: ServedVersion): Promise<string> {
  if (!v.sha256 || !(await store.exists(v.sha256)))
    throw new PreconditionFailed(`v${v.version}'s weights are not held by this portal (${v.artifactUri ?? "no artifact"}); it cannot be served here`);
  return v.sha256;
}

export type InferInput = Record<string, { dims: number[]; data: number[] }>;

export async function infer(db: Db, store: ArtifactStore, deploymentId: string, inputs: InferInput, key: string | null) {
  const desired = await desiredState(db, deploymentId);
  const channel = desired.candidate ? chooseChannel(desired.candidatePercent, key) : "stable";
  const v = channel === "candidate" ? desired.candidate! : desired.stable;
  // The workers load weights from a file: the store's own, or (for a bucket) a local copy checked against its hash.
  const path = await store.localFile(await assertHeld(store, v));
  const feeds: Record<string, { dims: number[]; data: Float32Array }> = {};
  for (const [name, t] of Object.entries(inputs)) {
    const size = t.dims.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new Invalid(`inputs.${name}: dims ${t.dims.join("x")} need ${size} values, got ${t.data.length}`);
    feeds[name] = { dims: t.dims, data: Float32Array.from(t.data) };
  }
  const out = await inferencePool().run(path, v.sha256!, feeds, `v${v.version}`);
  const k = `${deploymentId}/v${v.version}`;
  served.set(k, (served.get(k) ?? 0) + 1);
  const outputs = Object.fromEntries(Object.entries(out).map(([name, t]) => [name, { dims: t.dims, data: Array.from(t.data) }]));
  return { deployment: deploymentId, model: desired.model, version: v.version, channel, outputs };
}

/** Requests answered per version of a deployment in this process. */
export function servedCounts(deploymentId: string): Record<string, number> {
  return Object.fromEntries([...served].filter(([k]) => k.startsWith(`${deploymentId}/`)).map(([k, n]) => [k.slice(deploymentId.length + 1), n]));
}

/**
 * The local adapter reads the desired state per request and the workers load a model on first use, so
 * applying is making sure every version it will answer with has its weights in this portal's store:
 * a version registered by URI only would fail its first request, and the timeline says so at once.
 */
export function localOnnxAdapter(store: ArtifactStore): ServingAdapter {
  return {
    name: "local-onnxruntime",
    async apply(desired) {
      await assertHeld(store, desired.stable);
      if (desired.candidate) await assertHeld(store, desired.candidate);
    },
  };
}
