// Who may sign off a release and who hands out the safety-reviewer permission; pure, client-importable, with reasons in words.
import type { Role } from "@/server/auth/roles";

export type SafetyDecision = { allowed: boolean; reason: string };

/** Sign-offs: holders of the safety-reviewer permission (any role), as a person in the portal, never with an API token. */
export function canSignOff(who: { safetyReviewer: boolean; viaToken: boolean }): SafetyDecision {
  if (!who.safetyReviewer) return { allowed: false, reason: "Signing off a release needs the safety-reviewer permission; ask an admin to grant it" };
  if (who.viaToken) return { allowed: false, reason: "Sign-offs are made by a person in the portal, not with an API token" };
  return { allowed: true, reason: "You hold the safety-reviewer permission" };
}

/** Granting and revoking the safety-reviewer permission: admins. */
export function canManageReviewers(actor: { role: Role }): SafetyDecision {
  if (actor.role !== "admin") return { allowed: false, reason: "Granting the safety-reviewer permission needs an admin" };
  return { allowed: true, reason: "Admins grant and revoke the safety-reviewer permission" };
}

/** A model is safety-relevant when its `safety-relevant` tag says so: its releases then need a safety sign-off (server/deployments/gates.ts). */
export const SAFETY_RELEVANT_TAG = "safety-relevant";
export function isSafetyRelevant(tags: Record<string, string> | null | undefined): boolean {
  return tags?.[SAFETY_RELEVANT_TAG] === "true";
}

/** Withdrawing a sign-off: its reviewer or an admin, and only while no promotion has used it. */
export function canWithdrawSignOff(actor: { userId: string; role: Role }, s: { reviewerId: string; withdrawn: boolean; used: boolean }): SafetyDecision {
  if (s.withdrawn) return { allowed: false, reason: "This sign-off was already withdrawn" };
  if (s.used) return { allowed: false, reason: "A promotion already went ahead on this sign-off; it stays on record. Record a new decision instead" };
  if (actor.userId !== s.reviewerId && actor.role !== "admin")
    return { allowed: false, reason: "Only the reviewer who signed it off, or an admin, may withdraw a sign-off" };
  return { allowed: true, reason: actor.userId === s.reviewerId ? "You signed it off" : "Admins may withdraw sign-offs" };
}
