// Test helpers: a migrated database with one user per role, and tRPC callers acting as them.
import { TRPCError } from "@trpc/server";
import type { Database } from "@/db/client";
import { createTestDatabase } from "@/db/test-db";
import type { Actor, Role } from "@/server/auth/roles";
import { createUser } from "@/server/auth/users";
import { createCaller } from "@/server/routers/_app";

export const TEST_PASSWORD = "correct horse battery";

export type TestEnv = Database & { url?: string; actors: Record<Role, Actor>; caller: (role: Role | null) => ReturnType<typeof createCaller> };

export async function setupTestEnv(): Promise<TestEnv> {
  const database = await createTestDatabase();
  const actorFor = async (role: Role): Promise<Actor> => {
    const u = await createUser(database.db, null, { email: `${role}@test.local`, role, password: TEST_PASSWORD });
    return { userId: u.id, email: u.email, role, requestId: `test-${role}` };
  };
  const actors: Record<Role, Actor> = { viewer: await actorFor("viewer"), engineer: await actorFor("engineer"), admin: await actorFor("admin") };
  return {
    ...database,
    actors,
    caller: (role) => createCaller({ db: database.db, actor: role ? actors[role] : null, requestId: "test" }),
  };
}

/** The tRPC error code a call was refused with; fails the test when the call succeeded or threw something else. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(e)}`);
  return e.code;
}
