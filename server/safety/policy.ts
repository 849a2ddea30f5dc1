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
