// Who may change a deployment, and how: the one rule the service, pages, buttons and shortcuts all consult; pure, client-importable.
import type { Role } from "@/server/auth/roles";
import { blockingGates, type GateKey } from "./gates";
import { percentOf, transition, type Action, type ActionKind, type Snapshot } from "./state-machine";

export type PolicyActor = { userId: string; role: Role };

export type PolicyContext = {
  environment: { name: string; protected: boolean };
  state: Snapshot;
  /** The last version that was stable on this target (in flight: the stable version), or null when there is none. */
  rollbackTo: number | null;
  /** The version promotion would put forward (gates were evaluated for it), or null. */
  gateVersion: number | null;
  /** The failing gates for `gateVersion` (or the candidate in flight) on a protected environment, in words. */
  failingGates: readonly { key: GateKey; label: string; reason: string }[];
  /** A safety-relevant model's canary may go this far before the sign-off gate applies. */
  canaryMaxPercent: number;
  /** People on call now for the model's team, and commanders of open incidents on the model whose command carries rights (server/incidents/policy.ts). */
  onCall: readonly { userId: string; email: string | null }[];
  commanders: readonly string[];
};

export type Decision = {
  allowed: boolean;
  /** Why not, in words, or (when allowed) on whose authority; shown next to the button. */
  reason: string;
  /** The actor must write why (recorded in the audit log and on the timeline). */
  needsReason: boolean;
  /** The role the action is allowed under. */
  as: "admin" | "engineer" | "on-call" | "commander" | null;
};

/** Going back (to the last stable version), pausing and aborting reduce exposure; everything else widens it. */
export function isSafeDirection(ctx: Pick<PolicyContext, "rollbackTo">, a: Action): boolean {
  if (a.kind === "pause" || a.kind === "abort") return true;
  return a.kind === "rollback" && ctx.rollbackTo !== null && a.version === ctx.rollbackTo;
}

const article = (role: Role) => (role === "engineer" || role === "admin" ? "an" : "a");

function whoIsOnCall(ctx: PolicyContext): string {
  const names = ctx.onCall.map((o) => o.email).filter((x): x is string => Boolean(x));
  return names.length ? ` (on call now: ${names.join(", ")})` : "";
}

/**
 * The failing gates one action would go past (none outside protected environments); `plan` is the rollout
 * plan a canary start would use when it differs from the current one. Non-empty means only an admin, with a reason.
 */
export function gatesInTheWay(
  ctx: Pick<PolicyContext, "environment" | "state" | "failingGates" | "canaryMaxPercent">,
  action: Action,
  plan?: readonly number[],
) {
  if (!ctx.environment.protected) return [];
  const state = plan && action.kind === "canary.start" ? { ...ctx.state, plan: [...plan] } : ctx.state;
  const t = transition(state, action);
  if (!t.ok) return [];
  const failing = ctx.failingGates.map((g) => ({ ...g, state: "fail" as const }));
  // Completing a rollout puts the candidate on every device: 100%, not the idle state's 0.
  return blockingGates(failing, { kind: action.kind, toPercent: t.event === "complete" ? 100 : percentOf(t.next) }, ctx.canaryMaxPercent);
}

export function canChangeDeployment(actor: PolicyActor | null, ctx: PolicyContext, action: Action): Decision {
  const t = transition(ctx.state, action);
  if (!t.ok) return { allowed: false, reason: t.reason, needsReason: false, as: null };
  // The rollout analysis (no actor) follows the plan a person set; its authority was checked when the plan was set.
  if (!actor) return { allowed: true, reason: "Done by the rollout analysis", needsReason: false, as: null };
  const env = ctx.environment.name;
  const overrideNeeded = gatesInTheWay(ctx, action).length > 0;
  if (actor.role === "viewer") {
    const safe = ctx.environment.protected && isSafeDirection(ctx, action);
    return {
      allowed: false,
      reason: `Viewers cannot change deployments${safe ? `; request a rollback and the on-call admin is paged${whoIsOnCall(ctx)}` : ""}`,
      needsReason: false,
      as: null,
    };
  }
  if (actor.role === "admin") return { allowed: true, reason: `${env}: allowed to admins`, needsReason: overrideNeeded, as: "admin" };
  if (!ctx.environment.protected) return { allowed: true, reason: `${env} deployments are changed by engineers`, needsReason: false, as: "engineer" };
  if (isSafeDirection(ctx, action)) {
    if (ctx.onCall.some((o) => o.userId === actor.userId))
      return { allowed: true, reason: "You are on call for this model's team; write why", needsReason: true, as: "on-call" };
    if (ctx.commanders.includes(actor.userId))
      return { allowed: true, reason: "You command an open incident on this model; write why", needsReason: true, as: "commander" };
    return {
      allowed: false,
      reason: `${env} rollbacks need the engineer on call for this model's team${whoIsOnCall(ctx)}, the commander of an open incident on it (assigned by an admin or the on-call engineer), or an admin; you are ${article(actor.role)} ${actor.role} not on call`,
      needsReason: false,
      as: null,
    };
  }
  const what =
    action.kind === "rollback"
      ? `Rolling back to v${action.version} (not the last stable version)`
      : action.kind === "promote" || action.kind === "canary.start" || action.kind === "advance" || action.kind === "resume"
        ? "Promotion"
        : "This change";
  return {
    allowed: false,
    reason: `${what} on ${env} needs an admin, with gates and four-eyes approval; you are ${article(actor.role)} ${actor.role}`,
    needsReason: false,
    as: null,
  };
}

export type AllowedAction = { action: Action; decision: Decision };

/** The buttons a deployment offers in its state, each with its decision for this actor; the first is the one to press. */
export function allowedActions(actor: PolicyActor | null, ctx: PolicyContext, opts: { only?: readonly ActionKind[] } = {}): AllowedAction[] {
  const s = ctx.state;
  const inFlight = s.state !== "idle" && s.candidate !== null;
  const candidates: Action[] = [];
  if (ctx.rollbackTo !== null) candidates.push({ kind: "rollback", version: ctx.rollbackTo });
  if (inFlight) {
    if (s.state === "canary") candidates.push({ kind: "advance" }, { kind: "pause" });
    if (s.state === "paused") candidates.push({ kind: "resume" });
    candidates.push({ kind: "abort" });
  } else if (ctx.gateVersion !== null && ctx.gateVersion !== s.stable) {
    candidates.push({ kind: "canary.start", version: ctx.gateVersion }, { kind: "promote", version: ctx.gateVersion });
  }
  return candidates
    .filter((a) => !opts.only || opts.only.includes(a.kind))
    .filter((a) => transition(s, a).ok)
    .map((action) => ({ action, decision: canChangeDeployment(actor, ctx, action) }));
}

/** The version a rollback returns to: in flight the stable one; otherwise the version the last promotion replaced, unless rolled back from since, else the newest older one. */
export function lastStableVersion(
  s: Pick<Snapshot, "stable" | "candidate">,
  events: readonly { kind: string; fromVersion: number | null }[],
  versions: readonly { number: number; status: string }[],
): number | null {
  if (s.candidate !== null) return s.stable;
  const rolledBackFrom = new Set(events.filter((e) => e.kind === "rollback").map((e) => e.fromVersion));
  const lastGood =
    events.find(
      (e) => (e.kind === "promote" || e.kind === "complete") && e.fromVersion !== null && e.fromVersion !== s.stable && !rolledBackFrom.has(e.fromVersion),
    )?.fromVersion ?? null;
  return lastGood ?? versions.find((v) => v.number < s.stable && v.status !== "archived")?.number ?? null;
}

/** Putting a version on a target for the first time widens exposure: engineers outside protected environments, admins anywhere. */
export function canDeployTo(actor: PolicyActor, environment: { name: string; protected: boolean }): Decision {
  if (actor.role === "admin") return { allowed: true, reason: `${environment.name}: allowed to admins`, needsReason: false, as: "admin" };
  if (actor.role === "engineer" && !environment.protected)
    return { allowed: true, reason: `${environment.name} deployments are made by engineers`, needsReason: false, as: "engineer" };
  return {
    allowed: false,
    reason: `Deploying to ${environment.name} needs ${environment.protected ? "an admin" : "an engineer"}; you are ${article(actor.role)} ${actor.role}`,
    needsReason: false,
    as: null,
  };
}

/** Four-eyes approval of a release for a deployment: an admin who did not author the version. */
export function canApproveRelease(actor: PolicyActor, version?: { number: number; createdBy: string | null }): Decision {
  if (actor.role !== "admin") return { allowed: false, reason: "Approving a release needs an admin", needsReason: false, as: null };
  if (version && version.createdBy === actor.userId)
    return { allowed: false, reason: `You authored v${version.number}; four-eyes approval needs another admin`, needsReason: false, as: null };
  return { allowed: true, reason: "Admins approve releases they did not author", needsReason: false, as: "admin" };
}

/** Withdrawing a four-eyes approval: the admin who gave it, while no promotion or canary start has used it. */
export function canWithdrawApproval(actor: PolicyActor, approval: { approvedBy: string; usedAt: Date | null }): Decision {
  if (approval.approvedBy !== actor.userId)
    return { allowed: false, reason: "Only the admin who approved may withdraw the approval", needsReason: false, as: null };
  if (approval.usedAt)
    return { allowed: false, reason: "A promotion or canary already went ahead on this approval; it stays on record", needsReason: false, as: null };
  return { allowed: true, reason: "You approved it and nothing has used it yet", needsReason: true, as: "admin" };
}

/** Going past failing gates on a protected environment: admins, with a written reason. */
export function canOverrideGates(actor: PolicyActor): Decision {
  if (actor.role !== "admin")
    return { allowed: false, reason: `Going past failing gates needs an admin; you are ${article(actor.role)} ${actor.role}`, needsReason: false, as: null };
  return { allowed: true, reason: "Admins may go past failing gates with a written reason", needsReason: true, as: "admin" };
}

/** Deployment targets (fleets, services) are created by admins. */
export function canCreateTarget(actor: PolicyActor): Decision {
  if (actor.role !== "admin")
    return {
      allowed: false,
      reason: `Creating a deployment target needs an admin; you are ${article(actor.role)} ${actor.role}`,
      needsReason: false,
      as: null,
    };
  return { allowed: true, reason: "Admins create deployment targets", needsReason: false, as: "admin" };
}
