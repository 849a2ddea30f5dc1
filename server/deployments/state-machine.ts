// The deployment state machine, pure: which action is allowed in which state, and what it changes.
export type DeploymentState = "idle" | "canary" | "paused";
export type Snapshot = { state: DeploymentState; stable: number; candidate: number | null; step: number; plan: readonly number[] };
export type Action =
  | { kind: "promote"; version: number }
  | { kind: "canary.start"; version: number }
  | { kind: "advance" }
  | { kind: "pause" }
  | { kind: "resume" }
  | { kind: "abort" }
  | { kind: "rollback"; version: number };
export type ActionKind = Action["kind"];

/** What an accepted action did; `event` is the timeline kind (an advance past the last step is "complete"). */
export type Transition = { ok: true; next: Snapshot; event: ActionKind | "complete"; from: number; to: number } | { ok: false; reason: string };

export function percentOf(s: Pick<Snapshot, "state" | "step" | "plan">): number {
  return s.state === "idle" ? 0 : (s.plan[s.step] ?? 100);
}

const refuse = (reason: string): Transition => ({ ok: false, reason });

export function transition(s: Snapshot, a: Action): Transition {
  const inFlight = s.state !== "idle" && s.candidate !== null;
  const flight = inFlight ? `a rollout of v${s.candidate} is in progress at ${percentOf(s)}%` : "";
  const idle: Snapshot = { ...s, state: "idle", candidate: null, step: 0 };
  switch (a.kind) {
    case "promote":
      if (inFlight) return refuse(`Cannot promote: ${flight}; advance it to the end or abort it first`);
      if (a.version === s.stable) return refuse(`v${a.version} is already the stable version`);
      return { ok: true, next: { ...idle, stable: a.version }, event: "promote", from: s.stable, to: a.version };
    case "canary.start":
      if (inFlight) return refuse(`Cannot start a canary: ${flight}`);
      if (a.version === s.stable) return refuse(`v${a.version} is already the stable version; a canary needs a different version`);
      return { ok: true, next: { ...s, state: "canary", candidate: a.version, step: 0 }, event: "canary.start", from: s.stable, to: a.version };
    case "advance":
      if (!inFlight) return refuse("Nothing to advance: no rollout is in progress");
      if (s.state === "paused") return refuse(`The rollout of v${s.candidate} is paused; resume it before advancing`);
      if (s.step >= s.plan.length - 1) return { ok: true, next: { ...idle, stable: s.candidate! }, event: "complete", from: s.stable, to: s.candidate! };
      return { ok: true, next: { ...s, step: s.step + 1 }, event: "advance", from: s.stable, to: s.candidate! };
    case "pause":
      if (!inFlight) return refuse("Nothing to pause: no rollout is in progress");
      if (s.state === "paused") return refuse(`The rollout of v${s.candidate} is already paused`);
      return { ok: true, next: { ...s, state: "paused" }, event: "pause", from: s.stable, to: s.candidate! };
    case "resume":
      if (!inFlight) return refuse("Nothing to resume: no rollout is in progress");
      if (s.state !== "paused") return refuse(`The rollout of v${s.candidate} is not paused`);
      return { ok: true, next: { ...s, state: "canary" }, event: "resume", from: s.stable, to: s.candidate! };
    case "abort":
      if (!inFlight) return refuse("Nothing to abort: no rollout is in progress");
      return { ok: true, next: idle, event: "abort", from: s.candidate!, to: s.stable };
    case "rollback": {
      const current = s.candidate ?? s.stable;
      if (!inFlight && a.version === s.stable) return refuse(`Everything already runs v${a.version}`);
      return { ok: true, next: { ...idle, stable: a.version }, event: "rollback", from: inFlight ? current : s.stable, to: a.version };
    }
  }
}
