// On-call rotations read side: who is on call now for each rotation (weekly turns, overrides win).
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, oncallOverrides, oncallRotations, runbooks, teams, users } from "@/db/schema";
import { commandRights } from "./policy";
import { onCallAt } from "./rotation";

export type OnCallNow = {
  rotationId: string;
  rotation: string;
  service: string;
  userId: string | null;
  email: string | null;
  name: string | null;
  override: boolean;
  until: Date | null;
};

export async function onCallNow(db: Db, now = new Date()): Promise<OnCallNow[]> {
  const rotations = await db.select().from(oncallRotations).orderBy(asc(oncallRotations.name)).limit(100);
  if (!rotations.length) return [];
  const overrides = await db
    .select()
    .from(oncallOverrides)
    .where(
      inArray(
        oncallOverrides.rotationId,
        rotations.map((r) => r.id),
      ),
    );
  const who = rotations.map((r) => ({
    r,
    at: onCallAt(
      r,
      overrides.filter((o) => o.rotationId === r.id),
      now,
    ),
  }));
  const ids = [...new Set(who.map((w) => w.at.userId).filter((x): x is string => Boolean(x)))];
  const people = ids.length ? await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids)) : [];
  return who.map(({ r, at }) => {
    const p = people.find((u) => u.id === at.userId);
    return {
      rotationId: r.id,
      rotation: r.name,
      service: r.service,
      userId: at.userId,
      email: p?.email ?? null,
      name: p?.name ?? null,
      override: at.override,
      until: at.until,
    };
  });
}

/**
 * The rotations an incident pages: those covering one of the runbook's services (an explicit route); else the owning
 * team's rotation from the catalog (the default); else all of them.
 */
export function rotationsFor(all: readonly OnCallNow[], services: readonly string[], owningRotationId: string | null = null): OnCallNow[] {
  const s = services.map((x) => x.toLowerCase());
  const hit = all.filter((r) => s.includes(r.service.toLowerCase()));
  if (hit.length) return hit;
  const own = owningRotationId ? all.filter((r) => r.rotationId === owningRotationId) : [];
  return own.length ? own : [...all];
}

/**
 * Who is on call now for a model's team: rotations whose service names the model's team (slug or name)
 * or a service listed by a runbook linked to the model. Only rotations with someone on call.
 */
export async function onCallForModel(db: Db, model: { slug: string; team: string }, now = new Date()): Promise<OnCallNow[]> {
  const [all, team, books] = await Promise.all([
    onCallNow(db, now),
    db.select({ name: teams.name }).from(teams).where(eq(teams.slug, model.team)).limit(1),
    db
      .select({ links: runbooks.links })
      .from(runbooks)
      .where(sql`${runbooks.links}->'models' @> ${JSON.stringify([model.slug])}::jsonb`)
      .limit(50),
  ]);
  const services = new Set([model.team, team[0]?.name ?? "", ...books.flatMap((b) => b.links.services)].filter(Boolean).map((s) => s.toLowerCase()));
  return all.filter((r) => r.userId && services.has(r.service.toLowerCase()));
}

/**
 * Commanders of the model's open incidents whose command carries deployment rights (server/incidents/policy.ts): a
 * person who declared by hand without being on call or an admin commands the incident but is not listed here.
 */
export async function openIncidentCommanders(db: Db, modelId: string): Promise<string[]> {
  const rows = await db
    .select({ id: incidents.commanderId, grant: incidents.commanderGrant, role: users.role })
    .from(incidents)
    .leftJoin(users, eq(users.id, incidents.commanderId))
    .where(and(eq(incidents.modelId, modelId), ne(incidents.status, "resolved")))
    .limit(100);
  // Being on call is its own rule in the deployment policy, so it need not be looked up here.
  const counted = rows.filter((r) => commandRights({ commanderId: r.id, commanderRole: r.role, commanderGrant: r.grant, commanderOnCall: false }).allowed);
  return [...new Set(counted.map((r) => r.id).filter((x): x is string => Boolean(x)))];
}
