// Resolves the signed-in user from the session cookie: the cookie's session row must be open (checked
// in the jwt callback, see options.ts), and role and active flag are re-read from the database.
import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { getDb } from "@/server/db";
import { authOptions } from "./options";
import type { Actor } from "./roles";
import { getUserById } from "./users";

/** null when nobody is signed in or the account was deactivated since. */
export async function getSessionActor(requestId?: string): Promise<Actor | null> {
  const session = await getServerSession(authOptions());
  const uid = session?.user?.id;
  if (!uid) return null;
  const user = await getUserById(await getDb(), uid);
  if (!user || !user.active) return null;
  return { userId: user.id, email: user.email, role: user.role, requestId, sessionId: session?.sessionId };
}

/** For server-rendered pages: the actor, or a redirect to the sign-in page. */
export async function requirePageActor(): Promise<Actor> {
  const actor = await getSessionActor();
  if (!actor) redirect("/signin");
  return actor;
}
