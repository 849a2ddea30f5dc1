// Alerts: raised and resolved by evaluations (deduplicated by rule and subject), acknowledged and silenced by people.
import { and, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, incidents, models, users } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { NotFound, PreconditionFailed } from "@/server/errors";
import { onAlertTransition } from "@/server/webhooks/alert-hooks";
import { displayState, nextAlertState, type OpenAlert } from "./alert-state";
import { alertEvidenceView } from "./evidence";
import { ZAlertId, ZListAlerts, ZSilenceAlert, type AlertKind } from "./schemas";

export type AlertRow = typeof alerts.$inferSelect;

export type AlertRule = {
  ruleKey: string;
  subject: string;
  kind: AlertKind;
  severity: string;
  /** Null for alerts about no single model (e.g. a team's cost budget). */
  modelId: string | null;
  title: string;
  /** How long the condition must hold before the alert fires. */
  forMs: number;
  /** Alerts raised elsewhere (Alertmanager): the sender, its fingerprint and its labels. */
  source?: string;
  externalFingerprint?: string;
  labels?: Record<string, string>;
};
export type AlertStep = { at: Date; condition: boolean; evidence: Record<string, unknown>; severity?: string; title?: string };

type Draft = Omit<AlertRow, "id"> & { id?: string };

/** What an evaluation tick adds up across its rules: alert rows written (created or updated). */
export type AlertTally = { alertsTouched: number };

/**
 * Runs the rule's evaluations (oldest first) through the lifecycle and writes the outcome: at most
 * one open alert per rule and subject, resolved ones kept as history. Transitions to firing and to
 * resolved are audited as the system. Returns how many alert rows it wrote (created or updated).
 */
export async function applyAlertSteps(db: Db, rule: AlertRule, steps: readonly AlertStep[]): Promise<number> {
  if (!steps.length) return 0;
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.ruleKey, rule.ruleKey), eq(alerts.subject, rule.subject), ne(alerts.state, "resolved")))
      .for("update");
    let open: Draft | null = existing ?? null;
    const finished: Draft[] = [];
    const events: { action: string; alert: Draft }[] = [];
    for (const step of steps) {
      if (open && step.at < open.lastEvaluatedAt) continue; // already seen
      const t = nextAlertState(open ? ({ state: open.state, startedAt: open.startedAt } as OpenAlert) : null, step.condition, step.at, rule.forMs);
      if (t.action === "none") continue;
      if (t.action === "open") {
        open = {
          ruleKey: rule.ruleKey,
          subject: rule.subject,
          kind: rule.kind,
          severity: step.severity ?? rule.severity,
          modelId: rule.modelId,
          title: step.title ?? rule.title,
          state: t.state,
          evidence: step.evidence,
          startedAt: step.at,
          firingAt: t.state === "firing" ? step.at : null,
          lastEvaluatedAt: step.at,
          resolvedAt: null,
          acknowledgedBy: null,
          acknowledgedAt: null,
          silencedBy: null,
          silencedUntil: null,
          silenceReason: null,
          source: rule.source ?? "sentinel",
          externalFingerprint: rule.externalFingerprint ?? null,
          labels: rule.labels ?? {},
        };
        if (t.state === "firing") events.push({ action: "alert.fire", alert: open });
      } else if (t.action === "update" && open) {
        // Mutated in place: audit events hold this object and read its id after the write.
        Object.assign(open, {
          state: t.state,
          evidence: step.evidence,
          lastEvaluatedAt: step.at,
          severity: step.severity ?? open.severity,
          title: step.title ?? open.title,
          labels: rule.labels ?? open.labels,
        });
        if (t.becameFiring) {
          open.firingAt = step.at;
          events.push({ action: "alert.fire", alert: open });
        }
      } else if (t.action === "resolve" && open) {
        const wasFiring = open.state === "firing";
        Object.assign(open, { state: "resolved", resolvedAt: step.at, lastEvaluatedAt: step.at });
        if (wasFiring) events.push({ action: "alert.resolve", alert: open });
        finished.push(open);
        open = null;
      }
    }
    const written = [...finished, ...(open ? [open] : [])];
    for (const a of written) {
      const { id, ...values } = a;
      if (id) await tx.update(alerts).set(values).where(eq(alerts.id, id));
      else a.id = (await tx.insert(alerts).values(values).returning({ id: alerts.id }))[0].id;
    }
    for (const e of events) {
      await writeAudit(tx, null, {
        action: e.action,
        entityType: "alert",
        entityId: e.alert.id ?? "",
        after: { ruleKey: e.alert.ruleKey, subject: e.alert.subject, severity: e.alert.severity, title: e.alert.title },
      });
      // Routing: webhook deliveries and automated responses, queued in this transaction (server/webhooks).
      await onAlertTransition(tx, e.alert, e.action);
    }
    return written.length;
  });
}

async function alertById(db: Db, id: string): Promise<AlertRow> {
  const [a] = await db.select().from(alerts).where(eq(alerts.id, id));
  if (!a) throw new NotFound(`Alert ${id}`);
  return a;
}

export async function acknowledgeAlert(db: Db, actor: Actor, input: unknown, now = new Date()) {
  const { alertId } = ZAlertId.parse(input);
  return db.transaction(async (tx) => {
    const before = await alertById(tx, alertId);
    if (before.state === "resolved") throw new PreconditionFailed("This alert is already resolved; there is nothing to acknowledge");
    if (before.acknowledgedAt) throw new PreconditionFailed("This alert is already acknowledged");
    const [after] = await tx.update(alerts).set({ acknowledgedBy: actor.userId, acknowledgedAt: now }).where(eq(alerts.id, alertId)).returning();
    await writeAudit(tx, actor, {
      action: "alert.acknowledge",
      entityType: "alert",
      entityId: alertId,
      before: { acknowledgedAt: null },
      after: { acknowledgedAt: now, title: after.title },
    });
    return after;
  });
}

export async function silenceAlert(db: Db, actor: Actor, input: unknown, now = new Date()) {
  const { alertId, reason, minutes } = ZSilenceAlert.parse(input);
  return db.transaction(async (tx) => {
    const before = await alertById(tx, alertId);
    if (before.state === "resolved") throw new PreconditionFailed("This alert is already resolved; silence the rule's next alert instead");
    const until = new Date(now.getTime() + minutes * 60_000);
    const [after] = await tx
      .update(alerts)
      .set({ silencedBy: actor.userId, silencedUntil: until, silenceReason: reason })
      .where(eq(alerts.id, alertId))
      .returning();
    await writeAudit(tx, actor, {
      action: "alert.silence",
      entityType: "alert",
      entityId: alertId,
      before: { silencedUntil: before.silencedUntil, silenceReason: before.silenceReason },
      after: { silencedUntil: until, silenceReason: reason, title: after.title },
    });
    return after;
  });
}

export async function unsilenceAlert(db: Db, actor: Actor, input: unknown) {
  const { alertId } = ZAlertId.parse(input);
  return db.transaction(async (tx) => {
    const before = await alertById(tx, alertId);
    if (!before.silencedUntil) throw new PreconditionFailed("This alert is not silenced");
    const [after] = await tx.update(alerts).set({ silencedBy: null, silencedUntil: null, silenceReason: null }).where(eq(alerts.id, alertId)).returning();
    await writeAudit(tx, actor, {
      action: "alert.unsilence",
      entityType: "alert",
      entityId: alertId,
      before: { silencedUntil: before.silencedUntil, silenceReason: before.silenceReason },
      after: { silencedUntil: null },
    });
    return after;
  });
}

export async function listAlerts(db: Db, input: unknown = {}, now = new Date()) {
  const q = ZListAlerts.parse(input);
  const where: SQL[] = [];
  const silenced = sql`${alerts.silencedUntil} is not null and ${alerts.silencedUntil} > ${now}`;
  if (q.state === "open") where.push(ne(alerts.state, "resolved"));
  else if (q.state === "firing" || q.state === "pending") where.push(eq(alerts.state, q.state), sql`not (${silenced})`);
  else if (q.state === "silenced") where.push(ne(alerts.state, "resolved"), silenced);
  else if (q.state === "resolved") where.push(eq(alerts.state, "resolved"));
  if (q.model) where.push(eq(models.slug, q.model));
  const ackUser = sql<string | null>`(select ${users.email} from ${users} where ${users.id} = ${alerts.acknowledgedBy})`;
  const silenceUser = sql<string | null>`(select ${users.email} from ${users} where ${users.id} = ${alerts.silencedBy})`;
  // The open incident declared from the alert, so the list offers "Open incident" instead of declaring again.
  const incident = sql<{
    id: string;
    number: number;
  } | null>`(select json_build_object('id', ${incidents.id}, 'number', ${incidents.number}) from ${incidents} where ${incidents.alertId} = ${alerts.id} and ${incidents.status} <> 'resolved' order by ${incidents.declaredAt} desc limit 1)`;
  const rows = await db
    .select({ alert: alerts, model: models.slug, modelName: models.name, acknowledgedByEmail: ackUser, silencedByEmail: silenceUser, incident })
    .from(alerts)
    .leftJoin(models, eq(models.id, alerts.modelId))
    .where(where.length ? and(...where) : undefined)
    // Open before resolved, then the most severe, then the newest.
    .orderBy(
      sql`case ${alerts.state} when 'resolved' then 1 else 0 end`,
      sql`case ${alerts.severity} when 'critical' then 0 when 'page' then 1 when 'warning' then 2 when 'ticket' then 3 else 4 end`,
      sql`case ${alerts.state} when 'firing' then 0 when 'pending' then 1 else 2 end`,
      desc(alerts.startedAt),
    )
    .limit(q.limit);
  return rows.map((r) => ({
    ...r.alert,
    model: r.model,
    modelName: r.modelName,
    acknowledgedByEmail: r.acknowledgedByEmail,
    silencedByEmail: r.silencedByEmail,
    incident: r.incident,
    display: displayState(r.alert, now),
    ...alertEvidenceView({ kind: r.alert.kind, model: r.model, evidence: r.alert.evidence }),
  }));
}

/** Firing alerts nobody silenced: the badge on the Alerts entry of the navigation. */
export async function firingAlertCount(db: Db, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(alerts)
    .where(and(eq(alerts.state, "firing"), sql`(${alerts.silencedUntil} is null or ${alerts.silencedUntil} <= ${now})`));
  return Number(row?.n ?? 0);
}

export async function openAlertCounts(db: Db, modelIds: string[], now = new Date()) {
  if (!modelIds.length) return new Map<string, { firing: number; pending: number; silenced: number }>();
  const rows = await db
    .select({ modelId: alerts.modelId, state: alerts.state, silencedUntil: alerts.silencedUntil })
    .from(alerts)
    .where(and(inArray(alerts.modelId, modelIds), ne(alerts.state, "resolved")));
  const out = new Map<string, { firing: number; pending: number; silenced: number }>();
  for (const r of rows) {
    const c = out.get(r.modelId!) ?? { firing: 0, pending: 0, silenced: 0 };
    const d = displayState(r, now);
    if (d === "firing") c.firing++;
    else if (d === "pending") c.pending++;
    else if (d === "silenced") c.silenced++;
    out.set(r.modelId!, c);
  }
  return out;
}
