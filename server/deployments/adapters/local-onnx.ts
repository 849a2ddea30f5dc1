// The one adapter shipped here: the app itself serves cloud deployments at POST /api/v1/infer/{deployment}
// with onnxruntime-node. Sessions are loaded from the artifact store by sha256 and cached; each request
// goes to the candidate with the rollout's probability (or by a caller's routing key, sticky), and the
// answer names the version that produced it.
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import * as ort from "onnxruntime-node";
import type { Db } from "@/db/client";
import { deployments, deploymentTargets, models, modelVersions } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import { Invalid, NotFound, PreconditionFailed } from "@/server/errors";
import { BUCKETS, inRollout } from "../cohort";
import { percentOf } from "../state-machine";
import type { DesiredState, ServedVersion, ServingAdapter } from "./types";

/** Sessions by artifact sha256; a few models at most on one app server. */
const sessions = new Map<string, Promise<ort.InferenceSession>>();
const MAX_SESSIONS = 8;
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
  if (row.kind !== "cloud-online") throw new PreconditionFailed(`${row.target} is ${row.kind === "edge-fleet" ? "an edge fleet" : "a batch job"}; only cloud-online targets are served here`);
  const served = async (versionId: string, config: ServedVersion["config"]): Promise<ServedVersion> => {
    const [v] = await db.select({ number: modelVersions.number, sha256: modelVersions.artifactSha256, uri: modelVersions.artifactUri }).from(modelVersions).where(and(eq(modelVersions.id, versionId)));
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

async function sessionFor(store: ArtifactStore, v: ServedVersion): Promise<ort.InferenceSession> {
  if (!v.sha256 || !store.exists(v.sha256)) throw new PreconditionFailed(`v${v.version}'s weights are not held by this portal (${v.artifactUri ?? "no artifact"}); it cannot be served here`);
  let s = sessions.get(v.sha256);
  if (!s) {
    if (sessions.size >= MAX_SESSIONS) {
      const [oldest] = sessions.keys();
      void sessions.get(oldest)?.then((x) => x.release()).catch(() => undefined);
      sessions.delete(oldest);
    }
    s = ort.InferenceSession.create(store.pathFor(v.sha256), { intraOpNumThreads: 1, interOpNumThreads: 1 });
    sessions.set(v.sha256, s);
    s.catch(() => sessions.delete(v.sha256!));
  }
  return s;
}

export type InferInput = Record<string, { dims: number[]; data: number[] }>;

export async function infer(db: Db, store: ArtifactStore, deploymentId: string, inputs: InferInput, key: string | null) {
  const desired = await desiredState(db, deploymentId);
  const channel = desired.candidate ? chooseChannel(desired.candidatePercent, key) : "stable";
  const v = channel === "candidate" ? desired.candidate! : desired.stable;
  const session = await sessionFor(store, v);
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    const t = inputs[name];
    if (!t) throw new Invalid(`inputs.${name} is missing; v${v.version} takes ${session.inputNames.join(", ")}`);
    const size = t.dims.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new Invalid(`inputs.${name}: dims ${t.dims.join("x")} need ${size} values, got ${t.data.length}`);
    feeds[name] = new ort.Tensor("float32", Float32Array.from(t.data), t.dims);
  }
  let out: ort.InferenceSession.OnnxValueMapType;
  try {
    out = await session.run(feeds);
  } catch (err) {
    throw new Invalid(`v${v.version} could not run these inputs: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  }
  const k = `${deploymentId}/v${v.version}`;
  served.set(k, (served.get(k) ?? 0) + 1);
  const outputs = Object.fromEntries(Object.entries(out).map(([name, t]) => [name, { dims: [...t.dims], data: Array.from(t.data as Float32Array) }]));
  return { deployment: deploymentId, model: desired.model, version: v.version, channel, outputs };
}

/** Requests answered per version of a deployment in this process. */
export function servedCounts(deploymentId: string): Record<string, number> {
  return Object.fromEntries([...served].filter(([k]) => k.startsWith(`${deploymentId}/`)).map(([k, n]) => [k.slice(deploymentId.length + 1), n]));
}

/** The local adapter reads the desired state per request, so applying it only warms the sessions. */
export function localOnnxAdapter(store: ArtifactStore): ServingAdapter {
  return {
    name: "local-onnxruntime",
    async apply(desired) {
      for (const v of [desired.stable, desired.candidate]) if (v?.sha256 && store.exists(v.sha256)) await sessionFor(store, v);
    },
  };
}
