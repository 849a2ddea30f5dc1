// Automated responses to firing alerts: per-model rules engineers edit, queued in the alert's
// transaction, run once per alert by the worker, and recorded on the alert with their outcome.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import {
  alertResponseRules,
  alertResponses,
  alerts,
  deployments,
  deploymentTargets,
  driftMonitors,
  modelAliases,
  models,
  modelVersions,
  users,
  webhookTargets,
} from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { stepRollout } from "@/server/deployments/service";
import { DomainError, Invalid, NotFound } from "@/server/errors";
import { declareIncidentFromAlert } from "@/server/incidents/service";
import { logger } from "@/server/log";
import { modelBySlug } from "@/server/registry/lookup";
import { retrainPayload } from "./payloads";
import { ZModelRules, ZRuleId, ZSetResponseRule } from "./schemas";
import { baseUrlOf, enqueueDelivery, type WebhookDeps } from "./service";

type Alert = typeof alerts.$inferSelect;
type Rule = typeof alertResponseRules.$inferSelect;
export type ResponseResult = { state: "done" | "skipped" | "failed"; outcome: string; link?: string | null };
type ResponseContext = { db: Db; alert: Alert; model: string | null; config: Record<string, unknown>; deps: WebhookDeps };

/** One automated response: a label for the editor, an optional config check, and what it does. */
type Responder = {
  label: string;
  /** retrain needs a training-pipeline webhook target. */
  needsTarget?: boolean;
  run: (ctx: ResponseContext) => Promise<ResponseResult>;
};

/** The system acting on its own behalf: an admin-role user that cannot sign in (no password, inactive). */
const SYSTEM_EMAIL = "automated-responses@sentinel.system";

async function systemActor(db: Db, alert: Alert): Promise<Actor> {
  // Created on first use; the creation is a change to the users table, so it is audited like any other.
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ email: SYSTEM_EMAIL, name: "Sentinel automated responses", role: "admin", active: false })
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email, role: users.role, active: users.active });
    if (created)
      await writeAudit(tx, null, {
        action: "user.create",
        entityType: "user",
        entityId: created.id,
        after: { ...created, reason: "system user for automated responses" },
      });
  });
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${SYSTEM_EMAIL}`);
  // The label names the alert: deployment timelines show it as who paused and why.
  return { userId: u.id, email: `Sentinel, responding to alert “${alert.title}”`, role: "admin", requestId: `alert:${alert.id}` };
}

/** The version an alert is about: the drift monitor's version, else the model's production version. */
async function alertVersion(db: Db, alert: Alert): Promise<number | null> {
  const monitorId = alert.ruleKey.match(/^drift:([0-9a-f-]{36})$/)?.[1];
  if (monitorId) {
    const [m] = await db.select({ version: driftMonitors.version }).from(driftMonitors).where(eq(driftMonitors.id, monitorId));
    if (m) return m.version;
  }
  if (!alert.modelId) return null;
  const [p] = await db
    .select({ n: modelVersions.number })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.modelId, alert.modelId), eq(modelAliases.alias, "production")));
  return p?.n ?? null;
}

async function pauseRollout({ db, alert }: ResponseContext): Promise<ResponseResult> {
  if (!alert.modelId) return { state: "skipped", outcome: "The alert names no model" };
  const version = await alertVersion(db, alert);
  // A drift alert is about its monitor's version; other kinds pause whatever candidate is rolling out.
  const inFlight = await db
    .select({ id: deployments.id, revision: deployments.revision, target: deploymentTargets.name, candidate: modelVersions.number })
    .from(deployments)
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
    .innerJoin(modelVersions, eq(modelVersions.id, deployments.candidateVersionId))
    .where(
      and(
        eq(deployments.modelId, alert.modelId),
        eq(deployments.state, "canary"),
        alert.ruleKey.startsWith("drift:") && version ? eq(modelVersions.number, version) : undefined,
      ),
    );
  if (!inFlight.length) return { state: "skipped", outcome: `No rollout${version && alert.ruleKey.startsWith("drift:") ? ` of v${version}` : ""} in flight` };
  const actor = await systemActor(db, alert);
  const done: string[] = [];
  const failed: string[] = [];
  for (const d of inFlight) {
    try {
      await stepRollout(db, actor, "pause", { deploymentId: d.id, revision: d.revision, idempotencyKey: `alert:${alert.id}:pause:${d.id}` });
      done.push(`v${d.candidate} on ${d.target}`);
    } catch (err) {
      failed.push(`${d.target}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const link = `/deployments/${inFlight[0].id}`;
  if (!done.length) return { state: "failed", outcome: `Could not pause: ${failed.join("; ")}`, link };
  return { state: "done", outcome: `Paused the rollout of ${done.join(", ")}${failed.length ? `; could not pause ${failed.join("; ")}` : ""}`, link };
}

async function requestRetraining({ db, alert, model, config, deps }: ResponseContext): Promise<ResponseResult> {
  const targetId = typeof config.targetId === "string" ? config.targetId : null;
  const [t] = targetId ? await db.select().from(webhookTargets).where(eq(webhookTargets.id, targetId)) : [];
  if (!t) return { state: "failed", outcome: "The training pipeline's webhook target is gone; pick another in the response rules" };
  if (!t.enabled) return { state: "skipped", outcome: `The training pipeline target ${t.name} is disabled` };
  const lookbackDays = typeof config.lookbackDays === "number" ? config.lookbackDays : 14;
  const payload = retrainPayload(alert, model, await alertVersion(db, alert), lookbackDays, baseUrlOf(deps));
  const d = await enqueueDelivery(db, { target: t, alertId: alert.id, event: "retrain", payload, now: deps.now });
  return { state: "done", outcome: `Asked ${t.name} to retrain on ${lookbackDays} days of data up to the alert (delivery ${d.id.slice(0, 8)})` };
}

async function openIncident({ db, alert, deps }: ResponseContext): Promise<ResponseResult> {
  const incident = await declareIncidentFromAlert(db, alert.id, null, { now: deps.now });
  const link = `/incidents/${incident.id}`;
  if (incident.existing) return { state: "skipped", outcome: `An incident is already open for this alert: ${incident.title}`, link };
  return { state: "done", outcome: `Opened a ${incident.severity} incident: ${incident.title}`, link };
}

/**
 * The response kinds. Adding one is one entry here (e.g. `"open-incident": { label, run }`); the
 * editor, validation and the worker all read this map.
 */
export const RESPONDERS: Record<string, Responder> = {
  "pause-rollout": { label: "Pause a rollout of the version", run: pauseRollout },
  retrain: { label: "Trigger retraining", needsTarget: true, run: requestRetraining },
  "open-incident": { label: "Open an incident", run: openIncident },
};

export function responseKinds() {
  return Object.entries(RESPONDERS).map(([kind, r]) => ({ kind, label: r.label, needsTarget: Boolean(r.needsTarget) }));
}

// ---- Rules (engineers) ----

export async function listResponseRules(db: Db, input: unknown) {
  const { model } = ZModelRules.parse(input);
  const m = await modelBySlug(db, model);
  const [rules, targets] = await Promise.all([
    db
      .select()
      .from(alertResponseRules)
      .where(eq(alertResponseRules.modelId, m.id))
      .orderBy(asc(alertResponseRules.alertKind), asc(alertResponseRules.response)),
    db
      .select({ id: webhookTargets.id, name: webhookTargets.name, enabled: webhookTargets.enabled })
      .from(webhookTargets)
      .where(eq(webhookTargets.format, "retrain"))
      .orderBy(asc(webhookTargets.name)),
  ]);
  return { rules, kinds: responseKinds(), retrainTargets: targets };
}

/** Adds or changes the rule for (model, alert kind, response). */
export async function setResponseRule(db: Db, actor: Actor, input: unknown) {
  const p = ZSetResponseRule.parse(input);
  const responder = RESPONDERS[p.response];
  if (!responder) throw new Invalid(`Unknown response ${p.response}; choose one of ${Object.keys(RESPONDERS).join(", ")}`);
  const m = await modelBySlug(db, p.model);
  const config: Record<string, unknown> = {};
  if (responder.needsTarget) {
    if (!p.targetId) throw new Invalid(`${responder.label} needs a training pipeline webhook target`);
    const [t] = await db.select({ format: webhookTargets.format }).from(webhookTargets).where(eq(webhookTargets.id, p.targetId));
    if (!t) throw new NotFound("Webhook target");
    if (t.format !== "retrain") throw new Invalid(`That target sends ${t.format} messages; pick a target whose format is retrain`);
    config.targetId = p.targetId;
    config.lookbackDays = p.lookbackDays ?? 14;
  }
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(alertResponseRules)
      .where(and(eq(alertResponseRules.modelId, m.id), eq(alertResponseRules.alertKind, p.alertKind), eq(alertResponseRules.response, p.response)));
    const [row] = await tx
      .insert(alertResponseRules)
      .values({ modelId: m.id, alertKind: p.alertKind, response: p.response, config, enabled: p.enabled, createdBy: actor.userId })
      .onConflictDoUpdate({
        target: [alertResponseRules.modelId, alertResponseRules.alertKind, alertResponseRules.response],
        set: { config, enabled: p.enabled },
      })
      .returning();
    await writeAudit(tx, actor, {
      action: before ? "alert_response.update" : "alert_response.create",
      entityType: "alert_response_rule",
      entityId: row.id,
      before: before ?? undefined,
      after: { ...row, model: m.slug },
    });
    return row;
  });
}

export async function deleteResponseRule(db: Db, actor: Actor, input: unknown) {
  const { id } = ZRuleId.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(alertResponseRules).where(eq(alertResponseRules.id, id)).returning();
    if (!row) throw new NotFound("Response rule");
    await writeAudit(tx, actor, { action: "alert_response.delete", entityType: "alert_response_rule", entityId: id, before: row });
    return { id };
  });
}

// ---- Running ----

/** Inside the alert's transaction when it starts firing: one pending response per enabled rule (unique per alert and response). */
export async function enqueueAlertResponses(tx: Db, alert: Pick<Alert, "id" | "modelId" | "kind">): Promise<number> {
  if (!alert.modelId) return 0;
  const rules: Rule[] = await tx
    .select()
    .from(alertResponseRules)
    .where(
      and(
        eq(alertResponseRules.modelId, alert.modelId),
        eq(alertResponseRules.alertKind, alert.kind),
        eq(alertResponseRules.enabled, true),
        inArray(alertResponseRules.response, Object.keys(RESPONDERS)),
      ),
    );
  if (!rules.length) return 0;
  const rows = await tx
    .insert(alertResponses)
    .values(rules.map((r) => ({ alertId: alert.id, ruleId: r.id, response: r.response, config: r.config })))
    .onConflictDoNothing()
    .returning({ id: alertResponses.id });
  return rows.length;
}

/**
 * Runs pending responses. Each is claimed and run inside one transaction with `skip locked`, so on
 * PostgreSQL two replicas never run the same one; the response's effects (a paused rollout, a
 * retrain delivery) commit together with its recorded outcome.
 */
export async function runPendingResponses(db: Db, deps: WebhookDeps = {}, limit = 10): Promise<number> {
  let ran = 0;
  for (let i = 0; i < limit; i++) {
    const more = await db.transaction(async (tx) => {
      const [row] = await queryRows(tx, sql`select id from ${alertResponses} where state = 'pending' order by created_at limit 1 for update skip locked`);
      if (!row) return false;
      const [r] = await tx
        .select()
        .from(alertResponses)
        .where(eq(alertResponses.id, String(row.id)));
      const [a] = await tx
        .select({ a: alerts, model: models.slug })
        .from(alerts)
        .leftJoin(models, eq(models.id, alerts.modelId))
        .where(eq(alerts.id, r.alertId));
      const responder = RESPONDERS[r.response];
      let result: ResponseResult;
      try {
        // In a savepoint: a responder that fails mid-way leaves nothing behind, and its outcome is still recorded.
        result = responder
          ? await tx.transaction((sp) => responder.run({ db: sp, alert: a.a, model: a.model, config: r.config, deps }))
          : { state: "failed", outcome: `No responder named ${r.response}` };
      } catch (err) {
        if (!(err instanceof DomainError)) logger.error({ err, responseId: r.id }, "automated response failed");
        result = { state: "failed", outcome: err instanceof Error ? err.message : String(err) };
      }
      const finishedAt = deps.now ?? new Date();
      await tx
        .update(alertResponses)
        .set({ state: result.state, outcome: result.outcome, link: result.link ?? null, finishedAt })
        .where(eq(alertResponses.id, r.id));
      await writeAudit(tx, null, {
        action: `alert_response.${result.state}`,
        entityType: "alert",
        entityId: r.alertId,
        after: { response: r.response, outcome: result.outcome },
      });
      return true;
    });
    if (!more) break;
    ran++;
  }
  return ran;
}
