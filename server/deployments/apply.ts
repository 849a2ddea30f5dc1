// Carries a committed deployment change out to serving: reads the desired state of a cloud-online
// deployment, calls the serving adapter's apply(desired) with a bounded retry, and records the outcome
// (applied, or failed with the reason) on the deployment timeline. The change itself
// is already committed when this runs: a failure here is reported, never rolled back.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deploymentEvents, deployments, deploymentTargets } from "@/db/schema";
import { artifactStore } from "@/server/artifacts";
import { DomainError } from "@/server/errors";
import { logger } from "@/server/log";
import { desiredState, localOnnxAdapter } from "./adapters/local-onnx";
import type { DesiredState, ServingAdapter } from "./adapters/types";

export type ServingOutcome = { status: "applied" | "failed"; adapter: string; attempts: number; reason: string | null } | { status: "skipped"; reason: string };

const ATTEMPTS = 3;
const BACKOFF_MS = 200;

// One adapter per process, on globalThis so route bundles and dev reloads share it; tests swap in their own.
const holder = globalThis as { __sentinelServingAdapter?: ServingAdapter };
export function servingAdapter(): ServingAdapter {
  return (holder.__sentinelServingAdapter ??= localOnnxAdapter(artifactStore));
}
/** Replaces the process's adapter (undefined restores the local one). */
export function useServingAdapter(adapter: ServingAdapter | undefined): void {
  holder.__sentinelServingAdapter = adapter;
}

/** A refusal with a reason (missing weights, a gone deployment) will not pass on a retry; a crash or a timeout may. */
const transient = (err: unknown) => !(err instanceof DomainError) || err.code === "UNAVAILABLE";
const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function servedWords(d: DesiredState): string {
  return d.candidate && d.candidatePercent > 0 ? `v${d.stable.version} and v${d.candidate.version} at ${d.candidatePercent}%` : `v${d.stable.version}`;
}

/**
 * Applies the deployment's current desired state after a change committed. Edge fleets and batch jobs
 * pull their manifests themselves, so only cloud-online targets are pushed. Never throws: the caller's
 * change stands whatever happens here, and the outcome is on the timeline.
 */
export async function applyServing(
  db: Db,
  deploymentId: string,
  opts: { adapter?: ServingAdapter; attempts?: number; backoffMs?: number } = {},
): Promise<ServingOutcome> {
  const adapter = opts.adapter ?? servingAdapter();
  const attempts = Math.max(1, opts.attempts ?? ATTEMPTS);
  const backoffMs = opts.backoffMs ?? BACKOFF_MS;
  try {
    const [row] = await db
      .select({ kind: deploymentTargets.kind, revision: deployments.revision })
      .from(deployments)
      .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
      .where(eq(deployments.id, deploymentId));
    if (!row) return { status: "skipped", reason: "deployment not found" };
    if (row.kind !== "cloud-online") return { status: "skipped", reason: `${row.kind} targets pull their manifests` };
    let desired: DesiredState | null = null;
    let tried = 0;
    let failure: unknown = null;
    while (tried < attempts) {
      tried++;
      try {
        // Read afresh on every attempt: a later change may have committed meanwhile, and the adapter should get the newest state.
        desired = await desiredState(db, deploymentId);
        await adapter.apply(desired);
        failure = null;
        break;
      } catch (err) {
        failure = err;
        if (!transient(err) || tried >= attempts) break;
        await sleep(backoffMs * 2 ** (tried - 1));
      }
    }
    const ok = failure === null;
    const reason = ok ? null : reasonOf(failure);
    const summary = ok
      ? `Serving updated by ${adapter.name}: answers with ${servedWords(desired!)}`
      : `Serving update by ${adapter.name} failed after ${tried} attempt${tried > 1 ? "s" : ""}: ${reason}. The change is saved; the next change or a retry applies it`;
    const detail = {
      adapter: adapter.name,
      attempts: tried,
      reason,
      desired: desired && { stable: desired.stable.version, candidate: desired.candidate?.version ?? null, candidatePercent: desired.candidatePercent },
    };
    // The timeline row is the record: the change it follows was audited with its actor, and this is the system's doing.
    await db.insert(deploymentEvents).values({
      deploymentId,
      actorUserId: null,
      actorLabel: "serving adapter",
      kind: ok ? "serving.applied" : "serving.failed",
      toVersion: desired ? (desired.candidate?.version ?? desired.stable.version) : null,
      summary,
      detail,
      revision: row.revision,
    });
    if (!ok) logger.warn({ deploymentId, adapter: adapter.name, attempts: tried, reason }, "serving adapter did not apply the deployment");
    return { status: ok ? "applied" : "failed", adapter: adapter.name, attempts: tried, reason };
  } catch (err) {
    // Recording the outcome failed (the database went away): the committed change still stands.
    logger.error({ err, deploymentId }, "could not record the serving outcome");
    return { status: "failed", adapter: adapter.name, attempts: 0, reason: reasonOf(err) };
  }
}

/** The one call a mutation makes after its transaction commits; hands the result back unchanged. */
export async function thenApplyServing<T extends { deploymentId: string; replayed?: boolean }>(db: Db, result: T): Promise<T> {
  if (!result.replayed) await applyServing(db, result.deploymentId);
  return result;
}
