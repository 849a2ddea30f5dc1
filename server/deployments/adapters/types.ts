// Serving adapters carry a cloud deployment's desired state (stable version, candidate, traffic split)
// into whatever serves it. The portal's state machine decides; an adapter only makes it so.
import type { RuntimeConfig } from "@/db/schema/deployments";

export type ServedVersion = { version: number; sha256: string | null; artifactUri: string | null; config: RuntimeConfig };
export type DesiredState = {
  deploymentId: string;
  model: string;
  target: string;
  stable: ServedVersion;
  candidate: ServedVersion | null;
  /** Share of requests the candidate answers, 0-100. */
  candidatePercent: number;
};

export interface ServingAdapter {
  readonly name: string;
  /** Make the serving side match `desired` (idempotent: applying the same state twice changes nothing). */
  apply(desired: DesiredState): Promise<void>;
}
