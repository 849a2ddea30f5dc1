// Who may write runbooks; pure, client-importable, with the reason in words.
import { roleAtLeast, type Role } from "@/server/auth/roles";

export type RunbookDecision = { allowed: boolean; reason: string };

/** Creating a runbook or saving a new version: engineers and admins (every save is a version with its author). */
export function canEditRunbook(actor: { role: Role }): RunbookDecision {
  if (!roleAtLeast(actor.role, "engineer")) return { allowed: false, reason: "Editing runbooks needs the engineer role" };
  return { allowed: true, reason: "Engineers and admins edit runbooks" };
}
