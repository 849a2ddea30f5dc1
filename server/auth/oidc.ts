// Which local user an OIDC sign-in becomes: the user already bound to the identity, a user linked
// by a verified email (never an admin), a new viewer, or nobody.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Role } from "./roles";
import { findUserByEmail, getUserById, type PublicUser } from "./users";

export type OidcIdentity = {
  /** "<issuer>#<sub>": stable per person at one provider, unlike the email. */
  subject: string;
  email: string | null;
  /** Only the boolean `true` from the provider counts; a missing claim or "true" as a string does not. */
  emailVerified: boolean;
  name: string;
};

type LocalCandidate = { id: string; role: Role; active: boolean; oidcSubject: string | null };

export type OidcLinkDecision =
  | { action: "use"; userId: string }
  | { action: "link"; userId: string }
  | { action: "create" }
  | { action: "refuse"; reason: "no_email" | "email_unverified" | "admin_not_linked" | "bound_elsewhere" | "inactive" };

/**
 * Pure: `bySubject` is the user already bound to this identity, `byEmail` the user whose email
 * matches. Linking by email hands the provider a local account, so it needs the provider's word
 * that the person owns that address, and never reaches an admin (an admin binds their identity by
 * hand); a new account is only made for a verified email, so nobody claims an address they do not own.
 */
export function decideOidcLink(
  identity: Pick<OidcIdentity, "email" | "emailVerified">,
  bySubject: LocalCandidate | undefined,
  byEmail: LocalCandidate | undefined,
): OidcLinkDecision {
  if (bySubject) return bySubject.active ? { action: "use", userId: bySubject.id } : { action: "refuse", reason: "inactive" };
  if (!identity.email) return { action: "refuse", reason: "no_email" };
  if (!identity.emailVerified) return { action: "refuse", reason: "email_unverified" };
  if (!byEmail) return { action: "create" };
  if (byEmail.oidcSubject) return { action: "refuse", reason: "bound_elsewhere" };
  if (byEmail.role === "admin") return { action: "refuse", reason: "admin_not_linked" };
  if (!byEmail.active) return { action: "refuse", reason: "inactive" };
  return { action: "link", userId: byEmail.id };
}

export type OidcSignInResult = { ok: true; user: PublicUser } | { ok: false; reason: Extract<OidcLinkDecision, { action: "refuse" }>["reason"] };

/** Applies the decision: binds or creates in one transaction with its audit row; refusals are audited too. */
export async function resolveOidcSignIn(db: Db, identity: OidcIdentity): Promise<OidcSignInResult> {
  return db.transaction(async (tx) => {
    const [bySubject] = await tx.select().from(users).where(eq(users.oidcSubject, identity.subject));
    const byEmail = identity.email ? await findUserByEmail(tx, identity.email) : undefined;
    const decision = decideOidcLink(identity, bySubject, byEmail);
    switch (decision.action) {
      case "use":
        return { ok: true, user: (await getUserById(tx, decision.userId))! };
      case "link": {
        await tx.update(users).set({ oidcSubject: identity.subject }).where(eq(users.id, decision.userId));
        const user = (await getUserById(tx, decision.userId))!;
        await writeAudit(tx, null, {
          action: "user.link_oidc",
          entityType: "user",
          entityId: user.id,
          after: { subject: identity.subject, email: identity.email },
        });
        return { ok: true, user };
      }
      case "create": {
        const email = identity.email!.toLowerCase();
        const [row] = await tx
          .insert(users)
          .values({ email, name: identity.name || email, role: "viewer", oidcSubject: identity.subject })
          .returning({ id: users.id });
        const user = (await getUserById(tx, row.id))!;
        await writeAudit(tx, null, { action: "user.create_oidc", entityType: "user", entityId: user.id, after: { ...user, subject: identity.subject } });
        return { ok: true, user };
      }
      case "refuse":
        await writeAudit(tx, null, {
          action: "auth.oidc_refused",
          entityType: "account",
          entityId: identity.email?.toLowerCase() ?? identity.subject,
          after: { subject: identity.subject, reason: decision.reason, emailVerified: identity.emailVerified },
        });
        return { ok: false, reason: decision.reason };
    }
  });
}

/** The user bound to an OIDC identity, for the session that follows a successful sign-in. */
export async function findUserByOidcSubject(db: Db, subject: string): Promise<PublicUser | undefined> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.oidcSubject, subject));
  return row ? getUserById(db, row.id) : undefined;
}
