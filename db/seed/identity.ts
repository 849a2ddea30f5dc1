// Demo users (one per role) and teams.
import { findUserByEmail, createUser } from "@/server/auth/users";
import type { Role } from "@/server/auth/roles";
import type { Db } from "@/db/client";
import { teams } from "@/db/schema";

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "admin@example.com", name: "Ada Admin (demo)", role: "admin" },
  { email: "engineer@example.com", name: "Erin Engineer (demo)", role: "engineer" },
  { email: "viewer@example.com", name: "Victor Viewer (demo PM)", role: "viewer" },
];

export const DEMO_TEAMS = [
  { slug: "perception", name: "Perception" },
  { slug: "driver-monitoring", name: "Driver monitoring" },
  { slug: "platform", name: "ML platform" },
];

export async function seedIdentity(db: Db, password: string): Promise<void> {
  for (const u of DEMO_USERS) {
    if (!(await findUserByEmail(db, u.email))) await createUser(db, null, { ...u, password });
  }
  await db.insert(teams).values(DEMO_TEAMS).onConflictDoNothing();
}
