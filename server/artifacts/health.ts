// This replica's own view of the artifact store, for its health answer and metrics. A file the replica cannot
// see (its directory lacks what the shared database lists) is its own problem: it is reported here, by the
// replica, and never written into the shared row that every replica reads.
import { metrics } from "@/server/http/metrics";
import { artifactStore } from "./index";

type State = { store: "local" | "s3" | null; checkedAt: Date | null; unseen: Set<string> };
const g = globalThis as { __sentinelArtifactHealth?: State };
const state: State = (g.__sentinelArtifactHealth ??= { store: null, checkedAt: null, unseen: new Set() });

function publish(): void {
  metrics.artifactsUnseen.set(state.unseen.size);
}

/** A full integrity check's result: the digests this replica could not see replace the previous list. */
export function recordIntegrityCheck(store: "local" | "s3", unseen: string[]): void {
  state.store = store;
  state.checkedAt = new Date();
  state.unseen = new Set(unseen);
  publish();
}

/** One file's check (an engineer's "verify"): seen or not, by this replica. */
export function noteArtifactSeen(sha256: string, seen: boolean): void {
  if (seen) state.unseen.delete(sha256);
  else state.unseen.add(sha256);
  publish();
}

export function artifactHealth() {
  const unseen = state.unseen.size;
  return {
    status: unseen ? ("degraded" as const) : ("ok" as const),
    // Before the first check: the store this process is configured with.
    store: state.store ?? artifactStore.kind,
    unseen,
    checkedAt: state.checkedAt?.toISOString() ?? null,
    ...(unseen
      ? { problem: `This replica cannot see ${unseen} stored file(s) the database lists; every replica must use the same artifact store (ARTIFACT_STORE_URL)` }
      : {}),
  };
}
