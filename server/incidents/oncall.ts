// On-call rotations read side: who is on call now for each rotation (weekly turns, overrides win).
import { asc, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { oncallOverrides, oncallRotations, users } from "@/db/schema";
import { onCallAt } from "./rotation";

export type OnCallNow = { rotationId: string; rotation: string; service: string; userId: string | null; email: string | null; name: string | null; override: boolean; until: Date | null };

export async function onCallNow(db: Db, now = new Date()): Promise<OnCallNow[]> {
  const rotations = await db.select().from(oncallRotations).orderBy(asc(oncallRotations.name)).limit(100);
  if (!rotations.length) return [];
  const overrides = await db.select().from(oncallOverrides).where(inArray(oncallOverrides.rotationId, rotations.map((r) => r.id)));
  const who = rotations.map((r) => ({ r, at: onCallAt(r, overrides.filter((o) => o.rotationId === r.id), now) }));
  const ids = [...new Set(who.map((w) => w.at.userId).filter((x): x is string => Boolean(x)))];
  const people = ids.length ? await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids)) : [];
  return who.map(({ r, at }) => {
    const p = people.find((u) => u.id === at.userId);
    return { rotationId: r.id, rotation: r.name, service: r.service, userId: at.userId, email: p?.email ?? null, name: p?.name ?? null, override: at.override, until: at.until };
  });
}

/** The rotations an incident pages: those covering one of the runbook's services, else all of them. */
export function rotationsFor(all: readonly OnCallNow[], services: readonly string[]): OnCallNow[] {
  const s = services.map((x) => x.toLowerCase());
  const hit = all.filter((r) => s.includes(r.service.toLowerCase()));
  return hit.length ? hit : [...all];
}
