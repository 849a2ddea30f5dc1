// Outgoing webhooks: admin-managed targets and allow-list, deliveries enqueued with alert transitions,
// sent by the worker with retries, and what each alert caused (notifications, responses, training runs).
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { alertResponses, alerts, models, runs, runTags, users, webhookAllowlist, webhookAttempts, webhookDeliveries, webhookTargets } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { env } from "@/server/env";
import { Conflict, NotFound } from "@/server/errors";
import { logger } from "@/server/log";
import { retryDelayMs } from "./backoff";
import { postWebhook } from "./http";
import { genericPayload, slackPayload, testPayload, type AlertEvent } from "./payloads";
import { DELIVERY_HEADER, EVENT_HEADER, generateSecret, SIGNATURE_HEADER, signatureHeader } from "./sign";
import { buildAllowList, checkDestination, normaliseAllowEntry, type AllowList, type Resolver } from "./ssrf";
import { SEVERITIES, TRIGGER_TAG, ZAllowEntry, ZCreateTarget, ZDeliveryLog, ZTargetId, ZUpdateTarget } from "./schemas";

/** Seams for tests: a fake resolver, a fixed clock, the portal's public URL for links in messages. */
export type WebhookDeps = { resolver?: Resolver; now?: Date; baseUrl?: string; timeoutMs?: number; leaseMs?: number };

type TargetRow = typeof webhookTargets.$inferSelect;
type AlertRow = typeof alerts.$inferSelect;
export const DELIVERY_PAGE_SIZE = 25;
/**
 * A claim covers ONE send (at most REQUEST_TIMEOUT_MS) with a wide margin; a crashed worker's claim
 * lapses then. Claiming a batch under one lease let a slow receiver outlast it and another replica
 * send the batch's tail again.
 */
const CLAIM_LEASE_MS = 60_000;

export const baseUrlOf = (deps: WebhookDeps) => (deps.baseUrl ?? env.NEXTAUTH_URL ?? "").replace(/\/$/, "");

export async function loadAllowList(db: Db): Promise<AllowList> {
  const rows = await db.select({ entry: webhookAllowlist.entry }).from(webhookAllowlist);
  return buildAllowList(rows.map((r) => r.entry));
}

async function modelIdOf(db: Db, slug: string | null | undefined): Promise<string | null> {
  if (!slug) return null;
  const [m] = await db.select({ id: models.id }).from(models).where(eq(models.slug, slug));
  if (!m) throw new NotFound(`Model ${slug}`);
  return m.id;
}

/** The target as pages see it: never the secret. */
function publicTarget(t: TargetRow, model: string | null) {
  const { secret: _s, ...rest } = t;
  return { ...rest, model };
}

async function targetById(db: Db, id: string): Promise<TargetRow> {
  const [t] = await db.select().from(webhookTargets).where(eq(webhookTargets.id, id));
  if (!t) throw new NotFound("Webhook target");
  return t;
}

export async function listTargets(db: Db) {
  const rows = await db
    .select({ t: webhookTargets, model: models.slug })
    .from(webhookTargets)
    .leftJoin(models, eq(models.id, webhookTargets.modelId))
    .orderBy(asc(webhookTargets.name));
  return rows.map((r) => publicTarget(r.t, r.model));
}

export async function createTarget(db: Db, actor: Actor, input: unknown, deps: WebhookDeps = {}) {
  const p = ZCreateTarget.parse(input);
  await checkDestination(p.url, await loadAllowList(db), deps.resolver);
  const modelId = await modelIdOf(db, p.model);
  const secret = generateSecret();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookTargets)
      .values({ name: p.name, url: p.url, format: p.format, secret, modelId, minSeverity: p.minSeverity ?? null, kinds: p.kinds, createdBy: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`A webhook target named ${p.name} already exists`);
    const view = publicTarget(row, p.model ?? null);
    await writeAudit(tx, actor, { action: "webhook.create", entityType: "webhook_target", entityId: row.id, after: view });
    return { target: view, secret };
  });
}

export async function updateTarget(db: Db, actor: Actor, input: unknown, deps: WebhookDeps = {}) {
  const p = ZUpdateTarget.parse(input);
  const before = await targetById(db, p.id);
  if (p.url !== undefined && p.url !== before.url) await checkDestination(p.url, await loadAllowList(db), deps.resolver);
  const set: Partial<typeof webhookTargets.$inferInsert> = { updatedAt: new Date() };
  if (p.name !== undefined) set.name = p.name;
  if (p.url !== undefined) set.url = p.url;
  if (p.enabled !== undefined) set.enabled = p.enabled;
  if (p.model !== undefined) set.modelId = await modelIdOf(db, p.model);
  if (p.minSeverity !== undefined) set.minSeverity = p.minSeverity;
  if (p.kinds !== undefined) set.kinds = p.kinds;
  return db.transaction(async (tx) => {
    const [after] = await tx.update(webhookTargets).set(set).where(eq(webhookTargets.id, p.id)).returning();
    const { secret: _a, ...b } = before;
    const { secret: _b, ...a } = after;
    await writeAudit(tx, actor, { action: "webhook.update", entityType: "webhook_target", entityId: p.id, before: b, after: a });
    return publicTarget(after, p.model ?? null);
  });
}

export async function deleteTarget(db: Db, actor: Actor, input: unknown) {
  const { id } = ZTargetId.parse(input);
  return db.transaction(async (tx) => {
    const before = await targetById(tx, id);
    await tx.delete(webhookTargets).where(eq(webhookTargets.id, id));
    await writeAudit(tx, actor, { action: "webhook.delete", entityType: "webhook_target", entityId: id, before: publicTarget(before, null) });
    return { id };
  });
}

/** A new secret, shown once; the old one stops working at once (receivers update theirs). */
export async function rotateSecret(db: Db, actor: Actor, input: unknown) {
  const { id } = ZTargetId.parse(input);
  const secret = generateSecret();
  return db.transaction(async (tx) => {
    const t = await targetById(tx, id);
    await tx.update(webhookTargets).set({ secret, updatedAt: new Date() }).where(eq(webhookTargets.id, id));
    await writeAudit(tx, actor, { action: "webhook.rotate_secret", entityType: "webhook_target", entityId: id, after: { name: t.name } });
    return { id, secret };
  });
}

export async function listAllowlist(db: Db) {
  return db
    .select({
      id: webhookAllowlist.id,
      entry: webhookAllowlist.entry,
      note: webhookAllowlist.note,
      createdAt: webhookAllowlist.createdAt,
      createdBy: users.email,
    })
    .from(webhookAllowlist)
    .leftJoin(users, eq(users.id, webhookAllowlist.createdBy))
    .orderBy(asc(webhookAllowlist.entry));
}

export async function addAllowEntry(db: Db, actor: Actor, input: unknown) {
  const p = ZAllowEntry.parse(input);
  const entry = normaliseAllowEntry(p.entry);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(webhookAllowlist).values({ entry, note: p.note, createdBy: actor.userId }).onConflictDoNothing().returning();
    if (!row) throw new Conflict(`${entry} is already on the allow-list`);
    await writeAudit(tx, actor, { action: "webhook.allow", entityType: "webhook_allowlist", entityId: row.id, after: { entry, note: p.note } });
    return row;
  });
}

export async function removeAllowEntry(db: Db, actor: Actor, input: unknown) {
  const { id } = ZTargetId.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(webhookAllowlist).where(eq(webhookAllowlist.id, id)).returning();
    if (!row) throw new NotFound("Allow-list entry");
    await writeAudit(tx, actor, { action: "webhook.disallow", entityType: "webhook_allowlist", entityId: id, before: { entry: row.entry, note: row.note } });
    return { id };
  });
}

// ---- Enqueueing ----

const severityRank = (s: string) => {
  const i = (SEVERITIES as readonly string[]).indexOf(s);
  return i < 0 ? SEVERITIES.indexOf("warning") : i;
};

/** Does this notification target want this alert? (Retrain targets are reached only through responses.) */
export function targetMatches(
  t: Pick<TargetRow, "enabled" | "format" | "modelId" | "minSeverity" | "kinds">,
  a: Pick<AlertRow, "modelId" | "severity" | "kind">,
): boolean {
  if (!t.enabled || t.format === "retrain") return false;
  if (t.modelId && t.modelId !== a.modelId) return false;
  if (t.kinds.length && !t.kinds.includes(a.kind)) return false;
  return !t.minSeverity || severityRank(a.severity) >= severityRank(t.minSeverity);
}

export async function enqueueDelivery(
  db: Db,
  v: { target: Pick<TargetRow, "id" | "name">; alertId: string | null; event: string; payload: Record<string, unknown>; now?: Date; claimToken?: string },
) {
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      targetId: v.target.id,
      targetName: v.target.name,
      alertId: v.alertId,
      event: v.event,
      payload: v.payload,
      nextAttemptAt: v.now ?? new Date(),
      claimToken: v.claimToken,
    })
    .returning();
  return row;
}

/**
 * Called inside the alert's transaction for each transition to firing or resolved: a delivery row
 * per matching target, so the notification exists exactly when the transition does. The worker
 * sends them after commit.
 */
export async function enqueueAlertNotifications(tx: Db, alertId: string, event: AlertEvent, deps: WebhookDeps = {}): Promise<number> {
  const [row] = await tx.select({ a: alerts, model: models.slug }).from(alerts).leftJoin(models, eq(models.id, alerts.modelId)).where(eq(alerts.id, alertId));
  if (!row) return 0;
  const targets = await tx
    .select()
    .from(webhookTargets)
    .where(and(eq(webhookTargets.enabled, true), or(isNull(webhookTargets.modelId), row.a.modelId ? eq(webhookTargets.modelId, row.a.modelId) : undefined)));
  let n = 0;
  for (const t of targets) {
    if (!targetMatches(t, row.a)) continue;
    const render = t.format === "slack" ? slackPayload : genericPayload;
    await enqueueDelivery(tx, { target: t, alertId, event, payload: render(event, row.a, row.model, baseUrlOf(deps)), now: deps.now });
    n++;
  }
  return n;
}

// ---- Sending ----

export type DeliveryOutcome = { id: string; state: "pending" | "succeeded" | "failed"; status: number | null; error: string | null };

/** Tests reach a single attempt; everything else retries on the backoff schedule. */
const maxAttemptsFor = (event: string) => (event === "test" ? 1 : undefined);

/**
 * One attempt of one delivery held under `claimToken`: sign, post, record the attempt, schedule the
 * next or finish. Returns null when the claim was lost (it lapsed and another worker took the delivery
 * over): nothing is sent or recorded then, the new holder does both.
 */
export async function attemptDelivery(
  db: Db,
  deliveryId: string,
  claimToken: string,
  deps: WebhookDeps = {},
  allow?: AllowList,
): Promise<DeliveryOutcome | null> {
  const [d] = await db
    .select({ d: webhookDeliveries, t: webhookTargets })
    .from(webhookDeliveries)
    .leftJoin(webhookTargets, eq(webhookTargets.id, webhookDeliveries.targetId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!d) throw new NotFound("Delivery");
  if (d.d.claimToken !== claimToken || d.d.state !== "pending") return null;
  const now = deps.now ?? new Date();
  const body = JSON.stringify(d.d.payload);
  const t = d.t;
  const usable = t !== null && t.enabled;
  const result = usable
    ? await postWebhook(
        t.url,
        body,
        { [SIGNATURE_HEADER]: signatureHeader(t.secret, body, now), [DELIVERY_HEADER]: d.d.id, [EVENT_HEADER]: d.d.event },
        { allow: allow ?? (await loadAllowList(db)), resolver: deps.resolver, timeoutMs: deps.timeoutMs },
      )
    : { ok: false, status: null, error: t ? "The target is disabled" : "The target was deleted", durationMs: 0 };
  // Only the claim's holder writes the row, so attempts read under the claim plus one is what the increment gives.
  const attempts = d.d.attempts + 1;
  const delay = result.ok || !usable ? null : retryDelayMs(attempts, maxAttemptsFor(d.d.event));
  const state = result.ok ? "succeeded" : delay === null ? "failed" : "pending";
  const recorded = await db.transaction(async (tx) => {
    const [held] = await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        state,
        lastStatus: result.status,
        lastError: result.error,
        lastDurationMs: result.durationMs,
        nextAttemptAt: delay === null ? now : new Date(now.getTime() + delay),
        finishedAt: state === "pending" ? null : now,
        claimToken: null,
      })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.claimToken, claimToken)))
      .returning({ id: webhookDeliveries.id });
    if (!held) return false;
    await tx.insert(webhookAttempts).values({ deliveryId, at: now, statusCode: result.status, error: result.error, durationMs: result.durationMs });
    return true;
  });
  if (!recorded) {
    logger.warn(
      { deliveryId, target: d.d.targetName },
      "webhook claim lapsed during the send; another worker holds the delivery now, this attempt is not recorded",
    );
    return null;
  }
  if (!result.ok) logger.warn({ deliveryId, target: d.d.targetName, attempt: attempts, status: result.status, error: result.error }, "webhook delivery failed");
  return { id: deliveryId, state, status: result.status, error: result.error };
}

/** Claims the next due delivery for one send (skip locked: replicas never take the same row at once), with a fresh fencing token. */
async function claimNext(db: Db, now: Date, leaseMs: number): Promise<{ id: string; token: string } | null> {
  const token = randomUUID();
  const [row] = await queryRows(
    db,
    sql`update ${webhookDeliveries} set next_attempt_at = ${new Date(now.getTime() + leaseMs)}, claim_token = ${token}
        where id = (select id from ${webhookDeliveries} where state = 'pending' and next_attempt_at <= ${now} order by next_attempt_at limit 1 for update skip locked)
        returning id`,
  );
  return row ? { id: String(row.id), token } : null;
}

/** Sends up to `limit` due deliveries, claiming each one just before its send, outside any transaction. */
export async function deliverDue(db: Db, deps: WebhookDeps = {}, limit = 20): Promise<DeliveryOutcome[]> {
  const out: DeliveryOutcome[] = [];
  let allow: AllowList | undefined;
  for (let i = 0; i < limit; i++) {
    const claimed = await claimNext(db, deps.now ?? new Date(), deps.leaseMs ?? CLAIM_LEASE_MS);
    if (!claimed) break;
    allow ??= await loadAllowList(db);
    const outcome = await attemptDelivery(db, claimed.id, claimed.token, deps, allow);
    if (outcome) out.push(outcome);
  }
  return out;
}

/** "Send test": enqueues a signed test message and tries it at once, so the admin sees the answer. */
export async function sendTest(db: Db, actor: Actor, input: unknown, deps: WebhookDeps = {}) {
  const { id } = ZTargetId.parse(input);
  const now = deps.now ?? new Date();
  const claimToken = randomUUID();
  const delivery = await db.transaction(async (tx) => {
    const t = await targetById(tx, id);
    // A lease ahead, so the background worker does not race this request for the same row.
    const d = await enqueueDelivery(tx, {
      target: t,
      alertId: null,
      event: "test",
      payload: testPayload(t.format, t.name, now),
      now: new Date(now.getTime() + CLAIM_LEASE_MS),
      claimToken,
    });
    await writeAudit(tx, actor, { action: "webhook.test", entityType: "webhook_target", entityId: id, after: { deliveryId: d.id, name: t.name } });
    return d;
  });
  const outcome = await attemptDelivery(db, delivery.id, claimToken, deps);
  // Held from its insert, so only a lease outlasting the send could lose it.
  if (!outcome) throw new Conflict("The test message's claim lapsed before its answer was recorded; look in the delivery log");
  return outcome;
}

export async function deliveryLog(db: Db, input: unknown = {}) {
  const q = ZDeliveryLog.parse(input);
  const where = q.targetId ? eq(webhookDeliveries.targetId, q.targetId) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ d: webhookDeliveries, alertTitle: alerts.title })
      .from(webhookDeliveries)
      .leftJoin(alerts, eq(alerts.id, webhookDeliveries.alertId))
      .where(where)
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(DELIVERY_PAGE_SIZE)
      .offset((q.page - 1) * DELIVERY_PAGE_SIZE),
    db.select({ total: count() }).from(webhookDeliveries).where(where),
  ]);
  const ids = rows.map((r) => r.d.id);
  const attempts = ids.length
    ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(asc(webhookAttempts.at), asc(webhookAttempts.id))
    : [];
  const items = rows.map((r) => {
    const { payload: _p, ...d } = r.d;
    return { ...d, target: r.d.targetName, alertTitle: r.alertTitle, attemptLog: attempts.filter((a) => a.deliveryId === r.d.id) };
  });
  return { items, total, page: q.page, pageSize: DELIVERY_PAGE_SIZE };
}

// ---- What an alert caused ----

/** Per alert: who was notified (target name and status, not the receiver's answer: viewers read this), what the automated responses did, and the training runs it triggered. */
export async function alertRouting(db: Db, alertIds: string[]) {
  if (!alertIds.length) return {};
  const [deliveries, responses, triggered] = await Promise.all([
    db
      .select({
        alertId: webhookDeliveries.alertId,
        id: webhookDeliveries.id,
        event: webhookDeliveries.event,
        state: webhookDeliveries.state,
        attempts: webhookDeliveries.attempts,
        lastStatus: webhookDeliveries.lastStatus,
        createdAt: webhookDeliveries.createdAt,
        target: webhookDeliveries.targetName,
      })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.alertId, alertIds))
      .orderBy(asc(webhookDeliveries.createdAt)),
    db.select().from(alertResponses).where(inArray(alertResponses.alertId, alertIds)).orderBy(asc(alertResponses.createdAt)),
    db
      .select({
        alertId: runTags.value,
        runId: runs.runId,
        runName: runs.runName,
        experimentId: runs.experimentId,
        status: runs.status,
        startTime: runs.startTime,
      })
      .from(runTags)
      .innerJoin(runs, eq(runs.runId, runTags.runId))
      .where(and(eq(runTags.key, TRIGGER_TAG), inArray(runTags.value, alertIds), eq(runs.lifecycleStage, "active")))
      .orderBy(desc(runs.startTime))
      .limit(500),
  ]);
  const out: Record<string, { notified: typeof deliveries; responses: typeof responses; runs: (typeof triggered)[number][] }> = {};
  for (const id of alertIds) out[id] = { notified: [], responses: [], runs: [] };
  for (const d of deliveries) if (d.alertId) out[d.alertId].notified.push(d);
  for (const r of responses) out[r.alertId].responses.push(r);
  for (const r of triggered) out[r.alertId]?.runs.push(r);
  return out;
}

export type AlertRouting = Awaited<ReturnType<typeof alertRouting>>[string];
