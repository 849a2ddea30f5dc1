// API tokens for machines: shown once, stored as sha256, scoped, revocable, never above the owner's role.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, devices, users } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import { roleAtLeast, SCOPES, type Actor, type Scope } from "@/server/auth/roles";
import { Forbidden, Invalid, NotFound, PreconditionFailed, Unauthorized } from "@/server/errors";
import { DEFAULT_API_TOKEN_DAYS, ZCreateToken, ZRevokeToken } from "./schemas";

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
  parentTokenId: apiTokens.parentTokenId,
};

const DAY_MS = 86_400_000;

/** Ids of every token minted from `tokenId`, at any depth (lineage is a tree: a child is always newer). */
function descendantsOf(tokenId: string): SQL {
  return sql`${apiTokens.id} in (
    with recursive d(id) as (
      select id from api_tokens where parent_token_id = ${tokenId}
      union select t.id from api_tokens t join d on t.parent_token_id = d.id
    ) select id from d)`;
}

/** Ids of `tokenId` and every token above it in its lineage. */
function lineageOf(tokenId: string): SQL {
  return sql`${apiTokens.id} in (
    with recursive a(id, parent) as (
      select id, parent_token_id from api_tokens where id = ${tokenId}
      union select t.id, t.parent_token_id from api_tokens t join a on t.id = a.parent
    ) select id from a)`;
}

export type CreateTokenOptions = {
  /** Only the browser UI passes this: a person may choose a token that never expires. */
  allowNoExpiry?: boolean;
};

/**
 * Creates a token for `ownerId` (the actor itself unless an admin acts for someone). Returns the secret once.
 * Without an expiry it lasts DEFAULT_API_TOKEN_DAYS; "never" needs `allowNoExpiry` (a person in the UI).
 * A token minted by a token records its parent, never outlives it, and is revoked with it.
 */
export async function createToken(db: Db, actor: Actor, input: unknown, ownerId: string = actor.userId, opts: CreateTokenOptions = {}) {
  const data = ZCreateToken.parse(input);
  if (data.expiresAt === null && (!opts.allowNoExpiry || actor.tokenId)) {
    throw new Invalid(`Tokens made through the API must expire: omit expiresAt for ${DEFAULT_API_TOKEN_DAYS} days or give a date`);
  }
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
    let expiresAt = data.expiresAt === undefined ? new Date(Date.now() + DEFAULT_API_TOKEN_DAYS * DAY_MS) : data.expiresAt;
    if (actor.tokenId) {
      // Locked so a concurrent revocation of the parent either sees this child or refuses it here.
      const [parent] = await tx.select(publicColumns).from(apiTokens).where(eq(apiTokens.id, actor.tokenId)).for("update");
      if (!parent || parent.revokedAt || (parent.expiresAt && parent.expiresAt.getTime() <= Date.now()))
        throw new Unauthorized("The API token is invalid, expired or revoked");
      if (parent.expiresAt && expiresAt && expiresAt > parent.expiresAt) {
        if (data.expiresAt) throw new Invalid(`This token expires at ${parent.expiresAt.toISOString()}; a token it mints cannot expire later`);
        expiresAt = parent.expiresAt;
      }
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
        expiresAt,
        parentTokenId: actor.tokenId ?? null,
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

export async function revokeToken(db: Db, actor: Actor, input: unknown) {
  const { tokenId } = ZRevokeToken.parse(input);
  const out = await db.transaction(async (tx) => {
    // Scope in the lookup: someone else's token is "not found" unless the actor is an admin, and,
    // through a token, only one that carries the admin scope (a narrow token of an admin is not an admin).
    const anyOwner = roleAtLeast(actor.role, "admin") && (!actor.tokenId || Boolean(actor.scopes?.includes("admin")));
    const owned = anyOwner ? undefined : eq(apiTokens.userId, actor.userId);
    const [before] = await tx
      .select(publicColumns)
      .from(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), owned))
      .for("update");
    if (!before) throw new NotFound("Token");
    const now = new Date();
    let after = before;
    if (!before.revokedAt) {
      [after] = await tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, tokenId)).returning(publicColumns);
      await writeAudit(tx, actor, { action: "token.revoke", entityType: "api_token", entityId: tokenId, before, after });
    }
    // Whatever the token minted goes with it, at any depth, each with its own audit row.
    const children = await tx
      .select(publicColumns)
      .from(apiTokens)
      .where(and(descendantsOf(tokenId), isNull(apiTokens.revokedAt)))
      .for("update");
    if (children.length) {
      const revoked = await tx
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(
          inArray(
            apiTokens.id,
            children.map((c) => c.id),
          ),
        )
        .returning(publicColumns);
      for (const child of revoked) {
        const was = children.find((c) => c.id === child.id);
        await writeAudit(tx, actor, {
          action: "token.revoke",
          entityType: "api_token",
          entityId: child.id,
          before: was,
          after: { ...child, revokedWith: tokenId },
        });
      }
    }
    return after;
  });
  forgetCachedTokens();
  return out;
}

/** Resolves a bearer secret to the acting user, or null when unknown, revoked, expired or owner inactive. */
export async function authenticateToken(db: Db, secret: string): Promise<Actor | null> {
  return (await lookupToken(db, secret))?.actor ?? null;
}

// A short-lived cache of authenticateToken's positive answers for the high-rate machine door
// (MLflow tracking: a training job sends hundreds of calls a minute, and on the embedded database
// the token lookup was a fifth of a small call's time). Keyed by the token's hash; never holds a refusal.
// Revocation, role and activity changes made by THIS process take effect at once: they call
// forgetCachedTokens() after their commit, which bumps a generation that every entry (and every
// lookup in flight when it happened) must match. Changes made by ANOTHER replica sharing the database
// take effect here within TOKEN_CACHE_MS. Expiry is checked on every hit against the stored time.
// On globalThis, so that every route bundle of the Next.js server shares one cache and one generation.
export const TOKEN_CACHE_MS = 2_000;
type TokenCache = { generation: number; entries: Map<string, { actor: Actor; expiresAt: number | null; at: number; generation: number }> };
const tokenCache: TokenCache = ((globalThis as { __sentinelTokenCache?: TokenCache }).__sentinelTokenCache ??= { generation: 0, entries: new Map() });

/** Drops every cached token answer in this process; call after committing a change that can refuse a token. */
export function forgetCachedTokens(): void {
  tokenCache.generation++;
  tokenCache.entries.clear();
}

/** authenticateToken with the cache above: at most TOKEN_CACHE_MS stale, and only for other replicas' changes. */
export async function authenticateTokenCached(db: Db, secret: string): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const key = hashToken(secret);
  const now = Date.now();
  const hit = tokenCache.entries.get(key);
  if (hit && hit.generation === tokenCache.generation && now - hit.at < TOKEN_CACHE_MS && (hit.expiresAt === null || hit.expiresAt > now)) return hit.actor;
  const generation = tokenCache.generation;
  const found = await lookupToken(db, secret);
  if (!found) {
    tokenCache.entries.delete(key);
    return null;
  }
  if (generation === tokenCache.generation) {
    if (tokenCache.entries.size >= 1000) tokenCache.entries.clear();
    tokenCache.entries.set(key, { actor: found.actor, expiresAt: found.expiresAt, at: now, generation });
  }
  return found.actor;
}

const LAST_USED_MS = 60_000;
const LAST_USED_DEVICE_MS = 3_600_000;

async function lookupToken(db: Db, secret: string): Promise<{ actor: Actor; expiresAt: number | null } | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const [row] = await db
    .select({
      id: apiTokens.id,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      parentTokenId: apiTokens.parentTokenId,
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
  if (row.parentTokenId) {
    // Revocation cascades when it happens; checking the lineage too covers rows written before lineage existed.
    const [dead] = await db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(lineageOf(row.parentTokenId), sql`(${apiTokens.revokedAt} is not null or ${apiTokens.expiresAt} <= now())`))
      .limit(1);
    if (dead) return null;
  }
  // Bookkeeping, not a user action: not audited, and written at most once a minute per token. A device credential
  // polls its manifest every few minutes and is almost always answered 304: an hourly stamp keeps that poll free of
  // writes 11 times out of 12 (the device's reports record when it was last seen).
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > (row.deviceId ? LAST_USED_DEVICE_MS : LAST_USED_MS)) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, row.id));
  }
  const scopes = row.scopes.filter((s): s is Scope => s in SCOPES);
  const actor: Actor = { userId: row.userId, email: row.email, role: row.role, tokenId: row.id, scopes, ...(row.deviceId ? { deviceId: row.deviceId } : {}) };
  // A token minted by a token never outlives it, so its own expiry bounds the lineage's too.
  return { actor, expiresAt: row.expiresAt?.getTime() ?? null };
}

/** Whether the actor may use `scope`: role always, and the token's scopes when acting through one. */
export function actorHasScope(actor: Actor, scope: Scope): boolean {
  if (!roleAtLeast(actor.role, SCOPES[scope])) return false;
  if (actor.tokenId) return Boolean(actor.scopes?.includes(scope) || actor.scopes?.includes("admin"));
  return true;
}
