// Home page figures: what the platform holds, and recent activity.
import { count, desc, eq, notInArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, auditLog, teams, users } from "@/db/schema";
import { roleAtLeast, type Actor } from "@/server/auth/roles";
import { listNotifications } from "@/server/incidents/notify";
import { registryCounts } from "@/server/registry/service";
import { entityNames, firingNow, openIncidents } from "./oncall";

type Count = { label: string; value: number; href?: string };

// Identity events (sign-ins, sessions, locks, user and token changes) name people, addresses and
// browsers: they are for admins; everyone sees the work.
const IDENTITY_ENTITIES = ["user", "api_token", "session", "account", "address"];

export async function platformOverview(db: Db, actor: Actor) {
  const admin = roleAtLeast(actor.role, "admin");
  const [registry, [u], [t], [k]] = await Promise.all([
    registryCounts(db),
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(teams),
    db
      .select({ n: count() })
      .from(apiTokens)
      .where(admin ? undefined : eq(apiTokens.userId, actor.userId)),
  ]);
  const counts: Count[] = [
    { label: "Models", value: registry.models, href: "/models" },
    { label: "Model versions", value: registry.versions, href: "/models" },
    { label: "Users", value: u.n, href: admin ? "/admin/users" : undefined },
    { label: "Teams", value: t.n },
    { label: admin ? "API tokens" : "Your API tokens", value: k.n, href: admin ? "/admin/tokens" : "/tokens" },
  ];
  const recent = await db
    .select()
    .from(auditLog)
    .where(admin ? undefined : notInArray(auditLog.entityType, IDENTITY_ENTITIES))
    .orderBy(desc(auditLog.id))
    .limit(10);
  const [firing, incidentsOpen, names, notifications] = await Promise.all([
    firingNow(db),
    openIncidents(db),
    entityNames(db, recent),
    listNotifications(db, actor.userId, 5),
  ]);
  return {
    counts,
    firing,
    incidents: incidentsOpen,
    notifications,
    recent: recent.map((r) => ({ ...r, entity: names.get(`${r.entityType}:${r.entityId}`) ?? null })),
  };
}
