// Server-side browser sessions: started at sign-in, checked on every request, ended by sign-out,
// "sign out everywhere", revocation of one session, or deactivation of the user.
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, userSessions } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import { NotFound } from "@/server/errors";
import type { Actor, Role } from "./roles";
import { ZEndSession } from "./schemas";

export type SessionEndReason = "sign_out" | "sign_out_everywhere" | "revoked" | "deactivated";

/** lastSeenAt is refreshed at most this often, so most requests only read. */
const TOUCH_AFTER_MS = 5 * 60 * 1000;

export type StartSessionInput = {
  method: "credentials" | "oidc";
  userAgent?: string | null;
  address?: string | null;
  maxAgeMs: number;
};

/** Records the sign-in: a new session row, lastSignInAt and one audit row, in one transaction. */
export async function startSession(db: Db, user: { id: string; email: string; role: Role }, input: StartSessionInput) {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .insert(userSessions)
      .values({
        userId: user.id,
        method: input.method,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
        address: input.address?.slice(0, 100) ?? null,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + input.maxAgeMs),
      })
      .returning();
    await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
    await writeAudit(
      tx,
      { userId: user.id, email: user.email, role: user.role },
      {
        action: "user.sign_in",
        entityType: "session",
        entityId: row.id,
        after: { method: row.method, address: row.address, userAgent: row.userAgent, expiresAt: row.expiresAt },
      },
    );
    return row;
  });
}

/**
 * True when the session is open, unexpired, belongs to `userId` and the user is active. A cookie
 * whose session was ended anywhere (another replica included) stops working on its next request.
 */
export async function isSessionLive(db: Db, sessionId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ lastSeenAt: userSessions.lastSeenAt })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.id, sessionId),
        eq(userSessions.userId, userId),
        isNull(userSessions.endedAt),
        gt(userSessions.expiresAt, sql`now()`),
        eq(users.active, true),
      ),
    );
  if (!row) return false;
  if (Date.now() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db
      .update(userSessions)
      .set({ lastSeenAt: new Date() })
      .where(and(eq(userSessions.id, sessionId), lt(userSessions.lastSeenAt, new Date(Date.now() - TOUCH_AFTER_MS))));
  }
  return true;
}

export type SessionView = {
  id: string;
  method: string;
  userAgent: string | null;
  address: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  current: boolean;
};

/** The actor's own open sessions, newest first; the one making the request is marked current. */
export async function listMySessions(db: Db, actor: Actor): Promise<SessionView[]> {
  const rows = await db
    .select({
      id: userSessions.id,
      method: userSessions.method,
      userAgent: userSessions.userAgent,
      address: userSessions.address,
      createdAt: userSessions.createdAt,
      lastSeenAt: userSessions.lastSeenAt,
      expiresAt: userSessions.expiresAt,
    })
    .from(userSessions)
    .where(and(eq(userSessions.userId, actor.userId), isNull(userSessions.endedAt), gt(userSessions.expiresAt, sql`now()`)))
    .orderBy(desc(userSessions.lastSeenAt))
    .limit(200);
  return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
}

/** Ends open sessions matching `where`; returns their ids. Callers write the audit row. */
async function endWhere(db: Db, userId: string, reason: SessionEndReason, sessionId?: string): Promise<string[]> {
  const rows = await db
    .update(userSessions)
    .set({ endedAt: new Date(), endReason: reason })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt), sessionId ? eq(userSessions.id, sessionId) : undefined))
    .returning({ id: userSessions.id });
  return rows.map((r) => r.id);
}

/** Sign-out from the browser (next-auth's signOut event): ends the cookie's own session. */
export async function endSessionOnSignOut(db: Db, sessionId: string, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, email: users.email, role: users.role }).from(users).where(eq(users.id, userId));
    if (!user) return;
    const ended = await endWhere(tx, userId, "sign_out", sessionId);
    // Signing out of an already ended session changes nothing and leaves no trace.
    if (!ended.length) return;
    await writeAudit(
      tx,
      { userId: user.id, email: user.email, role: user.role, sessionId },
      {
        action: "user.sign_out",
        entityType: "session",
        entityId: sessionId,
      },
    );
  });
}

/** Ends one of the actor's own sessions (e.g. a laptop left signed in). */
export async function endMySession(db: Db, actor: Actor, input: unknown): Promise<{ ended: string }> {
  const { sessionId } = ZEndSession.parse(input);
  return db.transaction(async (tx) => {
    // Someone else's session id and an unknown one look the same.
    const ended = await endWhere(tx, actor.userId, "revoked", sessionId);
    if (!ended.length) throw new NotFound("Session");
    await writeAudit(tx, actor, { action: "session.revoke", entityType: "session", entityId: sessionId });
    return { ended: sessionId };
  });
}

/** "Sign out everywhere": every open session of the actor, the current one included. */
export async function endAllMySessions(db: Db, actor: Actor): Promise<{ ended: number }> {
  return db.transaction(async (tx) => {
    const ended = await endWhere(tx, actor.userId, "sign_out_everywhere");
    await writeAudit(tx, actor, { action: "session.end_all", entityType: "user", entityId: actor.userId, after: { ended: ended.length } });
    return { ended: ended.length };
  });
}

/** For deactivation: ends every open session of a user inside the caller's transaction. */
export async function endUserSessions(tx: Db, userId: string, reason: SessionEndReason): Promise<number> {
  return (await endWhere(tx, userId, reason)).length;
}
