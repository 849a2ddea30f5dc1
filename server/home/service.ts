// Home page figures: what the platform holds, and recent activity.
import { count } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, auditLog, teams, users } from "@/db/schema";
import { listAudit } from "@/server/audit/service";
import { registryCounts } from "@/server/registry/service";

export async function platformOverview(db: Db) {
  const [registry, [u], [t], [k], [a]] = await Promise.all([
    registryCounts(db),
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(teams),
    db.select({ n: count() }).from(apiTokens),
    db.select({ n: count() }).from(auditLog),
  ]);
  const counts: { label: string; value: number; href: string }[] = [
    { label: "Models", value: registry.models, href: "/models" },
    { label: "Model versions", value: registry.versions, href: "/models" },
    { label: "Users", value: u.n, href: "/admin/users" },
    { label: "Teams", value: t.n, href: "/admin/users" },
    { label: "API tokens", value: k.n, href: "/tokens" },
    { label: "Audit events", value: a.n, href: "/admin/audit" },
  ];
  const recent = await listAudit(db, { limit: 10 });
  return { counts, recent: recent.items };
}
