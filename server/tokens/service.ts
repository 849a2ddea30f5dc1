// API tokens for machines: shown once, stored as sha256, scoped, revocable, never above the owner's role.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, devices, users } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import { roleAtLeast, SCOPES, type Actor, type Scope } from "@/server/auth/roles";
import { Forbidden, NotFound, PreconditionFailed } from "@/server/errors";
import { ZCreateToken, ZRevokeToken, type TCreateToken } from "./schemas";

const TOKEN_PREFIX = "snt_";

/** A new secret and the columns that identify it; the secret itself is never stored. */
export function mintTokenSecret(): { secret: string; prefix: string; tokenHash: string } {
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { secret, prefix: secret.slice(0, 10), tokenHash: hashToken(secret) };
}

// Tokens carry 256 random bits, so a fast hash is enough (no offline guessing to slow down).
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

const publicColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  createdAt: apiTokens.createdAt,
};

/** Creates a token for `ownerId` (the actor itself unless an admin acts for someone). Returns the secret once. */
export async function createToken(db: Db, actor: Actor, input: TCreateToken, ownerId: string = actor.userId) {
  const data = ZCreateToken.parse(input);
  if (ownerId !== actor.userId && !roleAtLeast(actor.role, "admin")) throw new Forbidden("Only admins create tokens for others");
  if (actor.tokenId && !actor.scopes?.includes("admin")) {
    // A token may mint tokens only within its own scopes.
    const beyond = data.scopes.filter((s) => !actor.scopes?.includes(s));
    if (beyond.length) throw new Forbidden(`This token cannot grant scopes it does not hold: ${beyond.join(", ")}`);
  }
  return db.transaction(async (tx) => {
    const [owner] = await tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, ownerId));
    if (!owner) throw new NotFound("User");
    if (!owner.active) throw new PreconditionFailed("The user is deactivated");
    const tooHigh = data.scopes.filter((s) => !roleAtLeast(owner.role, SCOPES[s]));
    if (tooHigh.length) {
      throw new Forbidden(`A ${owner.role} cannot hold these scopes: ${tooHigh.join(", ")}`);
    }
    const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: ownerId,
        name: data.name,
        prefix: secret.slice(0, 10),
        tokenHash: hashToken(secret),
        scopes: [...new Set(data.scopes)],
        expiresAt: data.expiresAt ?? null,
      })
      .returning(publicColumns);
    await writeAudit(tx, actor, { action: "token.create", entityType: "api_token", entityId: row.id, after: row });
    return { ...row, token: secret };
  });
}

export type TokenState = "active" | "revoked" | "expired";
function tokenState(t: { revokedAt: Date | null; expiresAt: Date | null }, now: number): TokenState {
  if (t.revokedAt) return "revoked";
  return t.expiresAt && t.expiresAt.getTime() <= now ? "expired" : "active";
}

export async function listTokens(db: Db, actor: Actor, opts: { all?: boolean } = {}) {
  const all = opts.all && roleAtLeast(actor.role, "admin");
  const now = Date.now();
  const rows = await db
    .select({ ...publicColumns, ownerEmail: users.email })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(all ? undefined : eq(apiTokens.userId, actor.userId))
    .orderBy(desc(apiTokens.createdAt))
    .limit(500);
  return rows.map((r) => ({
    ...r,
    state: tokenState(r, now),
  }));
}

export async function revokeToken(db: Db, actor: Actor, input: { tokenId: string }) {
  const { tokenId } = ZRevokeToken.parse(input);
  return db.transaction(async (tx) => {
    // Scope in the lookup: someone else's token is "not found" unless the actor is an admin.
    const owned = roleAtLeast(actor.role, "admin") ? undefined : eq(apiTokens.userId, actor.userId);
    const [before] = await tx.select(publicColumns).from(apiTokens).where(and(eq(apiTokens.id, tokenId), owned));
    if (!before) throw new NotFound("Token");
    if (before.revokedAt) return before;
    const [after] = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, tokenId)).returning(publicColumns);
    await writeAudit(tx, actor, { action: "token.revoke", entityType: "api_token", entityId: tokenId, before, after });
    return after;
  });
}

/** Resolves a bearer secret to the acting user, or null when unknown, revoked, expired or owner inactive. */
export async function authenticateToken(db: Db, secret: string): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const [row] = await db
    .select({
      id: apiTokens.id,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      userId: users.id,
      email: users.email,
      role: users.role,
      active: users.active,
      deviceId: devices.id,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(devices, eq(devices.tokenId, apiTokens.id))
    .where(and(eq(apiTokens.tokenHash, hashToken(secret)), isNull(apiTokens.revokedAt)));
  if (!row || !row.active) return null;
  const now = Date.now();
  if (row.expiresAt && row.expiresAt.getTime() <= now) return null;
  // Bookkeeping, not a user action: not audited, and written at most once a minute per token.
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date(now) }).where(eq(apiTokens.id, row.id));
  }
  const scopes = row.scopes.filter((s): s is Scope => s in SCOPES);
  return { userId: row.userId, email: row.email, role: row.role, tokenId: row.id, scopes, ...(row.deviceId ? { deviceId: row.deviceId } : {}) };
}

/** Whether the actor may use `scope`: role always, and the token's scopes when acting through one. */
export function actorHasScope(actor: Actor, scope: Scope): boolean {
  if (!roleAtLeast(actor.role, SCOPES[scope])) return false;
  if (actor.tokenId) return Boolean(actor.scopes?.includes(scope) || actor.scopes?.includes("admin"));
  return true;
}
