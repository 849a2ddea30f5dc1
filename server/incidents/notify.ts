// Telling the admins (in-app and through the alert routing's webhooks) when someone else acts on a protected deployment or asks them to.
import { and, desc, eq, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { notifications, users, webhookTargets } from "@/db/schema";
import { baseUrlOf, enqueueDelivery, targetMatches } from "@/server/webhooks/service";

export type Announcement = {
  kind: "deployment.mitigated" | "rollback.requested" | "signoff.overridden";
  title: string;
  body: string;
  /** A portal path, e.g. /incidents/<id>. */
  href: string;
  modelId: string | null;
  /** The alert behind it, for webhook filters (kind and severity); none matches targets without filters. */
  alert: { id: string; kind: string; severity: string } | null;
  detail?: Record<string, unknown>;
  /** Only these people in-app (the on-call admins); default every active admin. */
  userIds?: string[];
};

/** Written in the caller's transaction: the notification exists exactly when the action does; the webhook worker sends after commit. */
export async function announce(tx: Db, a: Announcement): Promise<{ notified: string[]; deliveries: number }> {
  const people = a.userIds?.length
    ? await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(and(inArray(users.id, a.userIds), eq(users.active, true)))
    : await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(and(eq(users.role, "admin"), eq(users.active, true)))
        .limit(200);
  if (people.length)
    await tx
      .insert(notifications)
      .values(people.map((p) => ({ userId: p.id, kind: a.kind, title: a.title, body: a.body, href: a.href, detail: a.detail ?? {} })));
  const targets = await tx
    .select()
    .from(webhookTargets)
    .where(
      and(
        eq(webhookTargets.enabled, true),
        a.modelId ? or(isNull(webhookTargets.modelId), eq(webhookTargets.modelId, a.modelId)) : isNull(webhookTargets.modelId),
      ),
    );
  const url = `${baseUrlOf({})}${a.href}`;
  let deliveries = 0;
  for (const t of targets) {
    if (!targetMatches(t, { modelId: a.modelId, severity: a.alert?.severity ?? "page", kind: a.alert?.kind ?? t.kinds[0] ?? "drift" })) continue;
    const payload =
      t.format === "slack"
        ? {
            text: `:leftwards_arrow_with_hook: ${a.title}`,
            blocks: [{ type: "section", text: { type: "mrkdwn", text: `*${a.title}*\n${a.body}\n<${url}|Open in Sentinel>` } }],
          }
        : { event: a.kind, title: a.title, body: a.body, url, alertId: a.alert?.id ?? null, ...a.detail };
    await enqueueDelivery(tx, { target: t, alertId: a.alert?.id ?? null, event: a.kind, payload });
    deliveries++;
  }
  return { notified: people.map((p) => p.email), deliveries };
}

/** A person's newest notifications, for the home page. */
export async function listNotifications(db: Db, userId: string, limit = 10) {
  return db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit);
}
