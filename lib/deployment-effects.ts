// Plain-words effects of deployment actions, for confirmations and the timeline; pure, shared by server and browser.
export type EffectTarget = {
  name: string;
  kind: "cloud-online" | "cloud-batch" | "edge-fleet";
  devices: number;
  environment: string;
  /** From device reports: how many report running `version` (the one a rollback removes), how many have not caught up or not reported. */
  reported?: { version: number; running: number; pending: number; unreported: number };
};
export type EffectState = { state: "idle" | "canary" | "paused"; stable: number; candidate: number | null; step: number; plan: readonly number[] };
export type EffectAction = { kind: "promote" | "canary.start" | "rollback"; version: number } | { kind: "advance" | "pause" | "resume" | "abort" };

const n = (x: number) => x.toLocaleString("en-US");

export function targetLabel(t: EffectTarget): string {
  return t.kind === "edge-fleet" ? `fleet ${t.name}` : t.kind === "cloud-online" ? `online service ${t.name}` : `batch job ${t.name}`;
}

/** Who is affected at a percent: devices on a fleet, traffic share on cloud targets. */
function reach(t: EffectTarget, percent: number): string {
  if (t.kind === "edge-fleet") {
    if (percent >= 100) return `${n(t.devices)} devices`;
    const expected = Math.round((t.devices * percent) / 100);
    return expected < 1 ? `${percent}% of ${n(t.devices)} devices` : `about ${n(expected)} devices`;
  }
  return t.kind === "cloud-online" ? `${percent}% of requests` : `${percent}% of batch partitions`;
}

export function effectText(t: EffectTarget, s: EffectState, a: EffectAction): string {
  const where = targetLabel(t);
  const pct = s.state === "idle" ? 0 : (s.plan[s.step] ?? 100);
  switch (a.kind) {
    case "promote":
      return `Promote v${a.version} on ${where} (${t.environment}): ${reach(t, 100)} switch from v${s.stable}`;
    case "canary.start":
      return `Start a canary of v${a.version} on ${where} (${t.environment}): ${reach(t, s.plan[0] ?? 1)} first, the rest stay on v${s.stable}`;
    case "advance": {
      if (s.step >= s.plan.length - 1) return `Complete the rollout on ${where}: v${s.candidate} becomes stable on ${reach(t, 100)}`;
      const next = s.plan[s.step + 1];
      return `Advance the canary of v${s.candidate} on ${where} from ${pct}% to ${next}%: ${reach(t, next)} on v${s.candidate}`;
    }
    case "pause":
      return `Pause the canary of v${s.candidate} on ${where} at ${pct}%: ${reach(t, pct)} stay on v${s.candidate}, no more switch`;
    case "resume":
      return `Resume the canary of v${s.candidate} on ${where} at ${pct}%`;
    case "abort":
      return `Abort the canary of v${s.candidate} on ${where}: ${reach(t, pct)} return to v${s.stable}`;
    case "rollback": {
      const removed = s.candidate ?? s.stable;
      const head = `Roll back ${where} (${t.environment}) from v${removed} to v${a.version}`;
      if (t.kind !== "edge-fleet")
        return `${head}: ${s.candidate !== null ? `the ${pct}% of ${t.kind === "cloud-online" ? "requests" : "batch partitions"} on v${removed} move` : `${reach(t, 100)} move`} to v${a.version}`;
      const r = t.reported && t.reported.version === removed ? t.reported : null;
      if (!r) return `${head}: ${reach(t, s.candidate !== null ? pct : 100)} (expected from the plan; no device reports yet) switch back`;
      const rest = [r.pending ? `${n(r.pending)} not yet on their assigned version` : "", r.unreported ? `${n(r.unreported)} not reported` : ""].filter(
        Boolean,
      );
      return `${head}: ${n(r.running)} device${r.running === 1 ? "" : "s"} report running v${removed} and return to v${a.version} at their next check-in${rest.length ? ` (of ${n(t.devices)}: ${rest.join(", ")})` : ""}`;
    }
  }
}
