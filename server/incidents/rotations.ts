// On-call rotations write side: admins set up weekly rotations; engineers record overrides (swaps, holidays). Audited.
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { oncallOverrides, oncallRotations, users } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Forbidden, Invalid, NotFound } from "@/server/errors";
import { ZAddOverride, ZCreateRotation } from "./schemas";

async function activeActors(db: Db, ids: string[]) {
  const rows = ids.length
    ? await db.select({ id: users.id, email: users.email, role: users.role, active: users.active }).from(users).where(inArray(users.id, ids))
    : [];
  const bad = ids.filter((id) => !rows.some((r) => r.id === id && r.active && r.role !== "viewer"));
  if (bad.length) throw new Invalid("On-call people must be active engineers or admins");
  return rows;
}

export async function createRotation(db: Db, actor: Actor, input: unknown) {
  if (actor.role !== "admin") throw new Forbidden("Setting up rotations needs an admin");
  const p = ZCreateRotation.parse(input);
  return db.transaction(async (tx) => {
    await activeActors(tx, p.members);
    const [row] = await tx
      .insert(oncallRotations)
      .values({ name: p.name, service: p.service, members: p.members, startsAt: p.startsAt, periodDays: p.periodDays })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`A rotation called “${p.name}” exists already`);
    await writeAudit(tx, actor, { action: "oncall.rotation.create", entityType: "oncall_rotation", entityId: row.id, after: p });
    return row;
  });
}

export async function addOverride(db: Db, actor: Actor, input: unknown) {
  if (actor.role === "viewer") throw new Forbidden("Recording an on-call override needs the engineer role");
  const p = ZAddOverride.parse(input);
  if (p.endsAt <= p.startsAt) throw new Invalid("The override must end after it starts");
  return db.transaction(async (tx) => {
    const [r] = await tx.select({ id: oncallRotations.id, name: oncallRotations.name }).from(oncallRotations).where(eq(oncallRotations.id, p.rotationId));
    if (!r) throw new NotFound("Rotation");
    await activeActors(tx, [p.userId]);
    const [row] = await tx
      .insert(oncallOverrides)
      .values({ ...p, createdBy: actor.userId })
      .returning();
    await writeAudit(tx, actor, {
      action: "oncall.override",
      entityType: "oncall_rotation",
      entityId: r.id,
      after: { userId: p.userId, startsAt: p.startsAt, endsAt: p.endsAt, reason: p.reason },
    });
    return row;
  });
}

/** Rotations with their members in order and the overrides still to come, for the on-call page. */
export async function listRotations(db: Db, now = new Date()) {
  const rotations = await db.select().from(oncallRotations).orderBy(asc(oncallRotations.name)).limit(100);
  const ids = rotations.map((r) => r.id);
  const overrides = ids.length
    ? await db
        .select({ o: oncallOverrides, email: users.email })
        .from(oncallOverrides)
        .innerJoin(users, eq(users.id, oncallOverrides.userId))
        .where(and(inArray(oncallOverrides.rotationId, ids), gt(oncallOverrides.endsAt, now)))
        .orderBy(desc(oncallOverrides.startsAt))
        .limit(500)
    : [];
  const memberIds = [...new Set(rotations.flatMap((r) => r.members))];
  const people = memberIds.length ? await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, memberIds)) : [];
  return rotations.map((r) => ({
    id: r.id,
    name: r.name,
    service: r.service,
    periodDays: r.periodDays,
    startsAt: r.startsAt,
    members: r.members.map((m) => people.find((p) => p.id === m)?.email ?? "unknown"),
    overrides: overrides
      .filter((o) => o.o.rotationId === r.id)
      .map((o) => ({ id: o.o.id, email: o.email, startsAt: o.o.startsAt, endsAt: o.o.endsAt, reason: o.o.reason })),
  }));
}
