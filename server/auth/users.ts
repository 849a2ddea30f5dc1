// Users: create, change role, (de)activate (ending their sessions), verify credentials.
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import { Conflict, Forbidden, NotFound, PreconditionFailed } from "@/server/errors";
import { dummyHash, hashPassword, verifyPassword } from "./passwords";
import { endUserSessions } from "./sessions";
import type { Actor, Role } from "./roles";
import { ZChangeRole, ZCreateUser, ZSetActive } from "./schemas";
import type { z } from "zod";
import { forgetCachedTokens } from "@/server/tokens/service";

export type PublicUser = { id: string; email: string; name: string; role: Role; active: boolean; createdAt: Date; lastSignInAt: Date | null };

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  createdAt: users.createdAt,
  lastSignInAt: users.lastSignInAt,
};

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  return row;
}

export async function getUserById(db: Db, id: string): Promise<PublicUser | undefined> {
  const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id));
  return row;
}

export async function listUsers(db: Db): Promise<PublicUser[]> {
  return db.select(publicColumns).from(users).orderBy(asc(users.email)).limit(1000);
}

/** `actor` null: created from the shell or by seeding. */
export async function createUser(db: Db, actor: Actor | null, input: unknown): Promise<PublicUser> {
  const data = ZCreateUser.parse(input);
  const passwordHash = await hashPassword(data.password);
  return db.transaction(async (tx) => {
    if (await findUserByEmail(tx, data.email)) throw new Conflict(`A user with email ${data.email} already exists`);
    const [row] = await tx
      .insert(users)
      .values({ email: data.email, name: data.name ?? data.email.split("@")[0], role: data.role, passwordHash })
      .returning(publicColumns);
    await writeAudit(tx, actor, { action: "user.create", entityType: "user", entityId: row.id, after: row });
    return row;
  });
}

export async function changeRole(db: Db, actor: Actor, input: z.input<typeof ZChangeRole>): Promise<PublicUser> {
  const { userId, role } = ZChangeRole.parse(input);
  const out = await db.transaction(async (tx) => {
    const before = await getUserById(tx, userId);
    if (!before) throw new NotFound("User");
    if (before.id === actor.userId && role !== "admin") {
      throw new PreconditionFailed("You cannot remove your own admin role; ask another admin");
    }
    const [after] = await tx.update(users).set({ role }).where(eq(users.id, userId)).returning(publicColumns);
    await writeAudit(tx, actor, { action: "user.change_role", entityType: "user", entityId: userId, before, after });
    return after;
  });
  // Cached token answers carry the role and the active flag.
  forgetCachedTokens();
  return out;
}

export async function setUserActive(db: Db, actor: Actor, input: z.input<typeof ZSetActive>): Promise<PublicUser> {
  const { userId, active } = ZSetActive.parse(input);
  if (userId === actor.userId && !active) throw new Forbidden("You cannot deactivate yourself");
  const out = await db.transaction(async (tx) => {
    const before = await getUserById(tx, userId);
    if (!before) throw new NotFound("User");
    const [after] = await tx.update(users).set({ active }).where(eq(users.id, userId)).returning(publicColumns);
    // A deactivated user's open sessions end now, on every replica, not when their cookies expire.
    const sessionsEnded = active ? 0 : await endUserSessions(tx, userId, "deactivated");
    await writeAudit(tx, actor, {
      action: active ? "user.activate" : "user.deactivate",
      entityType: "user",
      entityId: userId,
      before,
      after: active ? after : { ...after, sessionsEnded },
    });
    return after;
  });
  // Cached token answers carry the role and the active flag.
  forgetCachedTokens();
  return out;
}

export type CredentialResult = { ok: true; user: PublicUser } | { ok: false; reason: "invalid" | "inactive" };

/**
 * Verifies email and password; unknown email and wrong password look the same to the caller.
 * No writes: throttling (throttle.ts) and the session with its audit row (sessions.ts) follow.
 */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<CredentialResult> {
  const row = await findUserByEmail(db, email);
  if (!row || !row.passwordHash) {
    await verifyPassword(await dummyHash(), password);
    return { ok: false, reason: "invalid" };
  }
  if (!(await verifyPassword(row.passwordHash, password))) return { ok: false, reason: "invalid" };
  if (!row.active) return { ok: false, reason: "inactive" };
  return { ok: true, user: (await getUserById(db, row.id))! };
}
