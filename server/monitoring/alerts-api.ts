// Alerts as machines read them (GET /api/v1/alerts): filtered by state, severity and model, most severe first.
import { and, desc, eq, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { alerts, incidents, models } from "@/db/schema";
import { ZSlug } from "@/server/registry/schemas";

/** The portal's alert severities, least to most urgent. */
export const ALERT_SEVERITIES = ["info", "ticket", "warning", "page"] as const;

const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : v);

/** Query string of GET /api/v1/alerts; `open` (the default) is pending and firing together. */
export const ZApiListAlerts = z.strictObject({
  state: z.preprocess(lower, z.enum(["pending", "firing", "resolved", "open", "all"])).default("open"),
  severity: z.preprocess(lower, z.enum(ALERT_SEVERITIES)).optional(),
  model: ZSlug.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TApiListAlerts = z.input<typeof ZApiListAlerts>;

const severityRank = sql`case ${alerts.severity} when 'page' then 0 when 'warning' then 1 when 'ticket' then 2 when 'info' then 3 else 4 end`;

export async function listAlertsForApi(db: Db, input: unknown, now = new Date()) {
  const q = ZApiListAlerts.parse(input);
  const where: SQL[] = [];
  if (q.state === "open") where.push(ne(alerts.state, "resolved"));
  else if (q.state !== "all") where.push(eq(alerts.state, q.state));
  if (q.severity) where.push(eq(alerts.severity, q.severity));
  if (q.model) where.push(eq(models.slug, q.model));
  // The newest incident declared from the alert, so a machine can follow it instead of declaring again.
  const incidentId = sql<
    string | null
  >`(select ${incidents.id} from ${incidents} where ${incidents.alertId} = ${alerts.id} order by ${incidents.declaredAt} desc limit 1)`;
  const rows = await db
    .select({ a: alerts, model: models.slug, incidentId })
    .from(alerts)
    .leftJoin(models, eq(models.id, alerts.modelId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(severityRank, desc(alerts.startedAt))
    .limit(q.limit);
  return {
    items: rows.map(({ a, model, incidentId: inc }) => ({
      id: a.id,
      title: a.title,
      kind: a.kind,
      severity: a.severity,
      state: a.state,
      silenced: a.state !== "resolved" && !!a.silencedUntil && a.silencedUntil > now,
      model,
      source: a.source,
      fingerprint: a.externalFingerprint,
      labels: a.labels,
      ruleKey: a.ruleKey,
      subject: a.subject,
      startedAt: a.startedAt,
      firingAt: a.firingAt,
      resolvedAt: a.resolvedAt,
      lastEvaluatedAt: a.lastEvaluatedAt,
      acknowledgedAt: a.acknowledgedAt,
      silencedUntil: a.silencedUntil,
      incidentId: inc,
      evidence: a.evidence,
    })),
  };
}
