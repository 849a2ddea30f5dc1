// Who may change a catalog entry; pure and client-importable, the one place the rule lives.
import { roleAtLeast, type Role } from "@/server/auth/roles";

export type CatalogDecision = { allowed: boolean; reason: string };

/**
 * Admins change any entry. Engineers change entries of their own teams — a team's members are the people in the
 * on-call rotations of what it owns — and may hand an entry only to a team they belong to. Viewers change nothing.
 */
export function canEditCatalogEntity(
  actor: { role: Role },
  e: { currentOwner: { id: string; slug: string } | null; newOwner: { id: string; slug: string }; actorTeamIds: ReadonlySet<string> },
): CatalogDecision {
  if (actor.role === "admin") return { allowed: true, reason: "Admins change any catalog entry" };
  if (!roleAtLeast(actor.role, "engineer")) return { allowed: false, reason: "Changing the catalog needs the engineer role; you are a viewer" };
  if (e.currentOwner && !e.actorTeamIds.has(e.currentOwner.id))
    return {
      allowed: false,
      reason: `This entry belongs to ${e.currentOwner.slug}; only its members (people in one of its on-call rotations) or an admin can change it`,
    };
  if (!e.actorTeamIds.has(e.newOwner.id))
    return { allowed: false, reason: `You are not in a ${e.newOwner.slug} on-call rotation, so you cannot give it this entry; ask an admin` };
  return { allowed: true, reason: "Engineers change their own teams' entries" };
}
