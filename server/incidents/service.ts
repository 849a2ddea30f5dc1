// Incidents: declare (by hand or from an alert, pre-filled), status and commander, notes, runbook checklist ticks,
// mitigation through the deployments service, and the page view with the merged timeline and what changed.
import { and, desc, eq, gte, inArray, lte, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { alerts, driftEvaluations, driftMonitors, incidentEntries, incidents, models, runbooks, users } from "@/db/schema";
import { checklistItems, expandDirectives } from "@/lib/runbook-markdown";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { getDeployment, listDeployments, recentDeploymentEvents, rollback, stepRollout, type ActResult, type AfterAction } from "@/server/deployments/service";
import { Forbidden, Invalid, NotFound, PreconditionFailed } from "@/server/errors";
import { matchRunbook } from "@/server/runbooks/service";
import { alertEvidenceView } from "@/server/monitoring/evidence";
import { responseTimes, stampsFor, statusChange } from "./lifecycle";
import { announce } from "./notify";
import { owningRotationId } from "@/server/catalog/ownership";
import { onCallForModel, onCallNow, rotationsFor } from "./oncall";
import {
  canChangeIncident,
  canDeclareIncident,
  canSetCommander,
  commandRights,
  grantOf,
  type CommandFacts,
  type IncidentChange,
  type IncidentDecision,
} from "./policy";
import {
  SEVERITY_MEANING,
  severityForAlert,
  ZAddNote,
  ZDeclareIncident,
  ZIncidentId,
  ZListIncidents,
  ZMitigate,
  ZRequestRollback,
  ZSavePostmortem,
  ZSetCommander,
  ZSetSeverity,
  ZSetStatus,
  ZTickChecklist,
  type Severity,
} from "./schemas";
import { mergeTimeline } from "./timeline";

type IncidentRow = typeof incidents.$inferSelect;
const DAY = 86_400_000;

/** The one server check: refuses with the policy's own words (server/incidents/policy.ts). */
function assertCan(d: IncidentDecision) {
  if (!d.allowed) throw new Forbidden(d.reason);
}

/** Whether a person is on call now for the team of an incident's model (none without a model). */
async function isOnCallFor(db: Db, userId: string, modelId: string | null, now = new Date()): Promise<boolean> {
  if (!modelId) return false;
  const [m] = await db.select({ slug: models.slug, team: models.team }).from(models).where(eq(models.id, modelId));
  if (!m) return false;
  return (await onCallForModel(db, m, now)).some((o) => o.userId === userId);
}

/** What the commander rule needs to know about an incident's current command. */
async function commandFacts(db: Db, i: Pick<IncidentRow, "commanderId" | "commanderGrant" | "modelId">, now = new Date()): Promise<CommandFacts> {
  if (!i.commanderId) return { commanderId: null, commanderRole: null, commanderGrant: null, commanderOnCall: false };
  const [u] = await db.select({ role: users.role }).from(users).where(eq(users.id, i.commanderId));
  return {
    commanderId: i.commanderId,
    commanderRole: u?.role ?? null,
    commanderGrant: i.commanderGrant,
    commanderOnCall: await isOnCallFor(db, i.commanderId, i.modelId, now),
  };
}

async function addEntry(tx: Db, incidentId: string, actor: Actor | null, kind: string, text: string, detail: Record<string, unknown> = {}, at = new Date()) {
  await tx
    .insert(incidentEntries)
    .values({ incidentId, actorUserId: actor?.userId ?? null, actorLabel: actor ? actor.email : "system", kind, text, detail, at });
}

async function loadIncident(db: Db, id: string, lock = false): Promise<IncidentRow> {
  const q = db.select().from(incidents).where(eq(incidents.id, id));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw new NotFound("Incident");
  return row;
}

/** Versions and deployments of a model as they are now, for pre-filling a declaration. */
async function affected(db: Db, modelId: string | null) {
  if (!modelId) return { versions: [] as number[], deploymentIds: [] as string[] };
  const deps = await listDeployments(db, { modelId });
  const versions = [...new Set(deps.flatMap((d) => [d.stable, d.candidate]).filter((v): v is number => v !== null))].sort((a, b) => a - b);
  return { versions, deploymentIds: deps.map((d) => d.id) };
}

type Draft = {
  title: string;
  severity: Severity;
  description: string;
  modelId: string | null;
  modelSlug: string | null;
  alert: typeof alerts.$inferSelect | null;
  startedAt: Date;
};

async function insertIncident(tx: Db, actor: Actor | null, d: Draft, now: Date) {
  const pre = await affected(tx, d.modelId);
  const runbook = await matchRunbook(tx, { model: d.modelSlug, alertKind: d.alert?.kind ?? null, ruleKey: d.alert?.ruleKey ?? null });
  const oncall = rotationsFor(await onCallNow(tx, now), runbook?.links.services ?? [], d.modelId ? await owningRotationId(tx, d.modelId) : null);
  // A person declaring takes command; the system hands command to whoever is on call. The command carries deployment
  // rights only with the declarer's own authority (admin, on call for the model's team) or the rotation's.
  const commanderId = actor?.userId ?? oncall.find((o) => o.userId)?.userId ?? null;
  const commanderGrant = commanderId ? grantOf(actor ? { ...actor, onCall: await isOnCallFor(tx, actor.userId, d.modelId, now) } : null) : null;
  const [row] = await tx
    .insert(incidents)
    .values({
      title: d.title,
      severity: d.severity,
      description: d.description,
      modelId: d.modelId,
      alertId: d.alert?.id ?? null,
      versions: pre.versions,
      deploymentIds: pre.deploymentIds,
      evidence: d.alert?.evidence ?? {},
      commanderId,
      commanderGrant,
      runbookId: runbook?.id ?? null,
      declaredBy: actor?.userId ?? null,
      startedAt: d.startedAt,
      declaredAt: now,
      // Declaring by hand is itself the acknowledgement; a system declaration waits for a person.
      acknowledgedAt: actor ? now : null,
      updatedAt: now,
    })
    .returning();
  await addEntry(
    tx,
    row.id,
    actor,
    "declare",
    `Declared ${SEVERITY_MEANING[d.severity].label}: ${d.title}${d.alert ? ` (from alert “${d.alert.title}”)` : ""}`,
    { alertId: d.alert?.id ?? null, runbookId: runbook?.id ?? null },
    now,
  );
  for (const o of oncall.filter((x) => x.email)) {
    await addEntry(
      tx,
      row.id,
      null,
      "notified",
      `Notified ${o.email}, on call for ${o.rotation}${o.override ? " (override)" : ""}`,
      { userId: o.userId, rotation: o.rotation },
      now,
    );
  }
  await writeAudit(tx, actor, {
    action: "incident.declare",
    entityType: "incident",
    entityId: row.id,
    after: {
      number: row.number,
      title: d.title,
      severity: d.severity,
      alertId: d.alert?.id ?? null,
      model: d.modelSlug,
      versions: pre.versions,
      runbookId: runbook?.id ?? null,
    },
  });
  return row;
}

export async function declareIncident(db: Db, actor: Actor, input: unknown, now = new Date()) {
  assertCan(canDeclareIncident(actor));
  const p = ZDeclareIncident.parse(input);
  return db.transaction(async (tx) => {
    let modelId: string | null = null;
    if (p.model) {
      const [m] = await tx.select({ id: models.id }).from(models).where(eq(models.slug, p.model));
      if (!m) throw new Invalid(`No model called ${p.model}; pick one from the list or leave it empty`);
      modelId = m.id;
    }
    return insertIncident(tx, actor, { ...p, modelId, modelSlug: p.model ?? null, alert: null, startedAt: now }, now);
  });
}

/**
 * Declares an incident from an alert, pre-filled with its model, versions, deployments and evidence.
 * `actor` null is the system (an automated alert response). An alert that already has an open
 * incident returns that one, so a repeated trigger never opens a second.
 */
export async function declareIncidentFromAlert(db: Db, alertId: string, actor: Actor | null, opts: { severity?: Severity; now?: Date } = {}) {
  if (actor) assertCan(canDeclareIncident(actor));
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const [a] = await tx.select().from(alerts).where(eq(alerts.id, alertId)).for("update");
    if (!a) throw new NotFound(`Alert ${alertId}`);
    const [open] = await tx
      .select()
      .from(incidents)
      .where(and(eq(incidents.alertId, a.id), ne(incidents.status, "resolved")));
    if (open) return { ...open, existing: true };
    const [m] = a.modelId ? await tx.select({ slug: models.slug }).from(models).where(eq(models.id, a.modelId)) : [];
    const row = await insertIncident(
      tx,
      actor,
      {
        title: a.title,
        severity: opts.severity ?? severityForAlert(a.severity),
        description: "",
        modelId: a.modelId,
        modelSlug: m?.slug ?? null,
        alert: a,
        startedAt: a.firingAt ?? a.startedAt,
      },
      now,
    );
    return { ...row, existing: false };
  });
}

export async function listIncidents(db: Db, input: unknown = {}) {
  const q = ZListIncidents.parse(input);
  const where: SQL[] = [];
  if (q.status === "open") where.push(ne(incidents.status, "resolved"));
  else if (q.status !== "all") where.push(eq(incidents.status, q.status));
  if (q.severity) where.push(eq(incidents.severity, q.severity));
  if (q.model) where.push(eq(models.slug, q.model));
  const rows = await db
    .select({ i: incidents, model: models.slug, commander: users.email })
    .from(incidents)
    .leftJoin(models, eq(models.id, incidents.modelId))
    .leftJoin(users, eq(users.id, incidents.commanderId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(sql`case when ${incidents.status} = 'resolved' then 1 else 0 end`, incidents.severity, desc(incidents.declaredAt))
    .limit(q.limit);
  return rows.map((r) => ({
    id: r.i.id,
    number: r.i.number,
    title: r.i.title,
    severity: r.i.severity,
    status: r.i.status,
    model: r.model,
    /** Versions affected, as pre-filled at declaration (empty: not known). */
    versions: r.i.versions,
    commander: r.commander,
    declaredAt: r.i.declaredAt,
    startedAt: r.i.startedAt,
    ...responseTimes(r.i),
  }));
}

/** Current tick state per checklist item: the newest tick entry for the item wins. */
function checklistState(entries: { kind: string; detail: Record<string, unknown> }[], runbookId: string | null) {
  const state = new Map<number, boolean>();
  for (const e of entries) {
    if (e.kind !== "checklist" || e.detail.runbookId !== runbookId) continue;
    state.set(Number(e.detail.item), Boolean(e.detail.checked));
  }
  return state;
}

export type IncidentView = Awaited<ReturnType<typeof getIncident>>;

export async function getIncident(db: Db, input: unknown, now = new Date()) {
  const { id } = ZIncidentId.parse(input);
  const commander = alias(users, "commander");
  const [row] = await db
    .select({
      i: incidents,
      model: { id: models.id, slug: models.slug, name: models.name, team: models.team },
      commander: { id: commander.id, email: commander.email, name: commander.name, role: commander.role },
    })
    .from(incidents)
    .leftJoin(models, eq(models.id, incidents.modelId))
    .leftJoin(commander, eq(commander.id, incidents.commanderId))
    .where(eq(incidents.id, id));
  if (!row) throw new NotFound("Incident");
  const i = row.i;
  const model = row.model?.id ? row.model : null;
  const windowFrom = new Date(i.startedAt.getTime() - DAY);
  const windowTo = i.resolvedAt ?? now;
  const [entries, modelAlerts, deployEvents, verdicts, runbook, deps, oncall, sourceAlert, modelOnCall] = await Promise.all([
    db.select().from(incidentEntries).where(eq(incidentEntries.incidentId, i.id)).orderBy(incidentEntries.at, incidentEntries.id).limit(2000),
    model
      ? db
          .select({ a: alerts, ackBy: users.email })
          .from(alerts)
          .leftJoin(users, eq(users.id, alerts.acknowledgedBy))
          .where(and(eq(alerts.modelId, model.id), lte(alerts.startedAt, windowTo), sql`coalesce(${alerts.resolvedAt}, ${now}) >= ${windowFrom}`))
          .orderBy(desc(alerts.startedAt))
          .limit(200)
      : Promise.resolve([]),
    model ? recentDeploymentEvents(db, model.id, 200) : Promise.resolve([]),
    model
      ? db
          .select({
            monitorId: driftEvaluations.monitorId,
            name: driftMonitors.name,
            windowStart: driftEvaluations.windowStart,
            drifted: driftEvaluations.drifted,
          })
          .from(driftEvaluations)
          .innerJoin(driftMonitors, eq(driftMonitors.id, driftEvaluations.monitorId))
          // A day before the window too, so the first verdict in the window is compared with the one before it.
          .where(
            and(
              eq(driftMonitors.modelId, model.id),
              gte(driftEvaluations.windowStart, new Date(windowFrom.getTime() - DAY)),
              lte(driftEvaluations.windowStart, windowTo),
            ),
          )
          .orderBy(driftEvaluations.windowStart)
          .limit(5000)
      : Promise.resolve([]),
    i.runbookId
      ? db
          .select({ id: runbooks.id, title: runbooks.title, body: runbooks.body, version: runbooks.version, links: runbooks.links })
          .from(runbooks)
          .where(eq(runbooks.id, i.runbookId))
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    Promise.all(i.deploymentIds.map((d) => getDeployment(db, { id: d }).catch(() => null))),
    onCallNow(db, now),
    i.alertId
      ? db
          .select()
          .from(alerts)
          .where(eq(alerts.id, i.alertId))
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    model ? onCallForModel(db, model, now) : Promise.resolve([]),
  ]);
  const timeline = mergeTimeline(
    {
      entries,
      alerts: modelAlerts.map((r) => ({ ...r.a, acknowledgedBy: r.ackBy })),
      deployments: deployEvents.map((e) => ({
        id: e.event.id,
        at: e.event.at,
        kind: e.event.kind,
        summary: e.event.summary,
        actorLabel: e.event.actorLabel,
        deploymentId: e.deploymentId,
        target: e.target,
        revision: e.event.revision,
      })),
      verdicts,
      modelSlug: model?.slug ?? null,
    },
    { from: windowFrom, to: windowTo },
  );
  const since = new Date(now.getTime() - DAY);
  const changes = timeline.filter((t) => t.source !== "incident" && t.at >= since).reverse();
  const expanded = runbook ? expandDirectives(runbook.body) : "";
  const ticks = checklistState(entries, runbook?.id ?? null);
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    severity: i.severity,
    status: i.status,
    description: i.description,
    model,
    versions: i.versions,
    evidence: i.evidence,
    /** The evidence in sentences and, for drift, the link to the exact series that fired. */
    ...alertEvidenceView({ kind: sourceAlert?.kind ?? "", model: model?.slug ?? null, evidence: i.evidence }),
    alert: sourceAlert
      ? {
          id: sourceAlert.id,
          title: sourceAlert.title,
          kind: sourceAlert.kind,
          severity: sourceAlert.severity,
          ruleKey: sourceAlert.ruleKey,
          subject: sourceAlert.subject,
          state: sourceAlert.state,
        }
      : null,
    commander: row.commander?.id ? row.commander : null,
    /** What the commander rule (server/incidents/policy.ts) needs, so the page shows the same decision the server makes. */
    command: {
      commanderId: i.commanderId,
      commanderRole: row.commander?.role ?? null,
      commanderGrant: i.commanderGrant,
      commanderOnCall: Boolean(i.commanderId && modelOnCall.some((o) => o.userId === i.commanderId)),
    } satisfies CommandFacts,
    /** People on call now for the model's team: they and admins may hand over command with rollback rights. */
    modelOnCall: modelOnCall.map((o) => o.userId!).filter(Boolean),
    startedAt: i.startedAt,
    declaredAt: i.declaredAt,
    acknowledgedAt: i.acknowledgedAt,
    mitigatedAt: i.mitigatedAt,
    resolvedAt: i.resolvedAt,
    ...responseTimes(i),
    timeline,
    changes,
    runbook: runbook
      ? {
          id: runbook.id,
          title: runbook.title,
          version: runbook.version,
          body: expanded,
          checklist: checklistItems(expanded).map((c) => ({ ...c, checked: ticks.get(c.index) ?? false })),
        }
      : null,
    deployments: deps
      .filter((d): d is NonNullable<typeof d> => d !== null)
      .map((d) => ({
        id: d.id,
        revision: d.revision,
        state: d.state,
        stable: d.stable,
        candidate: d.candidate,
        rollbackTo: d.rollbackTo,
        target: { name: d.target.name, kind: d.target.kind },
        environment: d.environment,
        policy: d.policy,
        effectTarget: d.effectTarget,
      })),
    oncall,
    notified: entries.filter((e) => e.kind === "notified").map((e) => ({ at: e.at, text: e.text })),
    postmortem: i.postmortem,
  };
}

async function change<T>(db: Db, actor: Actor, id: string, what: IncidentChange, fn: (tx: Db, i: IncidentRow, now: Date) => Promise<T>): Promise<T> {
  assertCan(canChangeIncident(actor, what));
  return db.transaction(async (tx) => fn(tx, await loadIncident(tx, id, true), new Date()));
}

export async function acknowledgeIncident(db: Db, actor: Actor, input: unknown) {
  const { id } = ZIncidentId.parse(input);
  return change(db, actor, id, "acknowledge", async (tx, i, now) => {
    if (i.acknowledgedAt) throw new PreconditionFailed("This incident is already acknowledged");
    // Acknowledging with nobody in command takes command, with the acknowledger's own authority.
    const commanderId = i.commanderId ?? actor.userId;
    const taken = i.commanderId
      ? {}
      : { commanderGrant: grantOf({ ...actor, onCall: await isOnCallFor(tx, actor.userId, i.modelId, now) }), commanderAssignedBy: null };
    await tx
      .update(incidents)
      .set({ acknowledgedAt: now, commanderId, ...taken, updatedAt: now })
      .where(eq(incidents.id, i.id));
    await addEntry(tx, i.id, actor, "acknowledge", `Acknowledged by ${actor.email}${i.commanderId ? "" : ", who takes command"}`, {}, now);
    await writeAudit(tx, actor, {
      action: "incident.acknowledge",
      entityType: "incident",
      entityId: i.id,
      before: { acknowledgedAt: null },
      after: { acknowledgedAt: now, commanderId },
    });
    return { acknowledgedAt: now };
  });
}

export async function setIncidentStatus(db: Db, actor: Actor, input: unknown) {
  const p = ZSetStatus.parse(input);
  return change(db, actor, p.id, "status", async (tx, i, now) => {
    const t = statusChange(i.status, p.status);
    if (!t.ok) throw new PreconditionFailed(t.reason);
    const stamps = stampsFor(i, p.status, now);
    await tx
      .update(incidents)
      .set({ status: p.status, ...stamps, updatedAt: now })
      .where(eq(incidents.id, i.id));
    await addEntry(tx, i.id, actor, "status", `Status ${i.status} → ${p.status}${p.note ? `: ${p.note}` : ""}`, { from: i.status, to: p.status }, now);
    await writeAudit(tx, actor, {
      action: "incident.status",
      entityType: "incident",
      entityId: i.id,
      before: { status: i.status },
      after: { status: p.status, note: p.note, ...stamps },
    });
    return { status: p.status, ...responseTimes({ startedAt: i.startedAt, ...stamps }) };
  });
}

export async function setIncidentSeverity(db: Db, actor: Actor, input: unknown) {
  const p = ZSetSeverity.parse(input);
  return change(db, actor, p.id, "severity", async (tx, i, now) => {
    if (i.severity === p.severity) throw new PreconditionFailed(`The incident is already ${SEVERITY_MEANING[p.severity].label}`);
    await tx.update(incidents).set({ severity: p.severity, updatedAt: now }).where(eq(incidents.id, i.id));
    await addEntry(
      tx,
      i.id,
      actor,
      "severity",
      `Severity ${SEVERITY_MEANING[i.severity].label} → ${SEVERITY_MEANING[p.severity].label}`,
      { from: i.severity, to: p.severity },
      now,
    );
    await writeAudit(tx, actor, {
      action: "incident.severity",
      entityType: "incident",
      entityId: i.id,
      before: { severity: i.severity },
      after: { severity: p.severity },
    });
    return { severity: p.severity };
  });
}

export async function setIncidentCommander(db: Db, actor: Actor, input: unknown) {
  const p = ZSetCommander.parse(input);
  return change(db, actor, p.id, "commander", async (tx, i, now) => {
    const [u] = await tx.select({ id: users.id, email: users.email, role: users.role, active: users.active }).from(users).where(eq(users.id, p.userId));
    if (!u || !u.active) throw new Invalid("Pick an active user as commander");
    if (u.role === "viewer") throw new Invalid(`${u.email} is a viewer; a commander must be able to act (engineer or admin)`);
    const d = canSetCommander({ ...actor, onCall: await isOnCallFor(tx, actor.userId, i.modelId, now) }, await commandFacts(tx, i, now));
    assertCan(d);
    // Who handed command over, and with what authority, decides whether the command carries rollback rights.
    await tx
      .update(incidents)
      .set({ commanderId: u.id, commanderAssignedBy: actor.userId, commanderGrant: d.grant, acknowledgedAt: i.acknowledgedAt ?? now, updatedAt: now })
      .where(eq(incidents.id, i.id));
    const rights = commandRights({
      commanderId: u.id,
      commanderRole: u.role,
      commanderGrant: d.grant,
      commanderOnCall: await isOnCallFor(tx, u.id, i.modelId, now),
    });
    await addEntry(
      tx,
      i.id,
      actor,
      "commander",
      `${u.email} is now the incident commander${rights.allowed ? "" : " (without production rollback rights: assigned by someone who is neither an admin nor on call)"}`,
      { userId: u.id, grant: d.grant },
      now,
    );
    await writeAudit(tx, actor, {
      action: "incident.commander",
      entityType: "incident",
      entityId: i.id,
      before: { commanderId: i.commanderId, grant: i.commanderGrant },
      after: { commanderId: u.id, grant: d.grant, assignedBy: actor.userId },
    });
    return { commanderId: u.id, grant: d.grant };
  });
}

export async function addIncidentNote(db: Db, actor: Actor, input: unknown) {
  const p = ZAddNote.parse(input);
  return change(db, actor, p.id, "note", async (tx, i, now) => {
    await addEntry(tx, i.id, actor, "note", p.text, {}, now);
    await writeAudit(tx, actor, { action: "incident.note", entityType: "incident", entityId: i.id, after: { text: p.text } });
    return { ok: true };
  });
}

export async function tickChecklist(db: Db, actor: Actor, input: unknown) {
  const p = ZTickChecklist.parse(input);
  return change(db, actor, p.id, "checklist", async (tx, i, now) => {
    if (!i.runbookId) throw new PreconditionFailed("This incident has no runbook, so there is no checklist to tick");
    const [rb] = await tx.select({ id: runbooks.id, body: runbooks.body, version: runbooks.version }).from(runbooks).where(eq(runbooks.id, i.runbookId));
    if (!rb) throw new PreconditionFailed("The incident's runbook was deleted");
    const item = checklistItems(expandDirectives(rb.body))[p.item];
    if (!item) throw new Invalid(`The runbook has no checklist item ${p.item + 1}`);
    await addEntry(
      tx,
      i.id,
      actor,
      "checklist",
      `${p.checked ? "Done" : "Undone"}: ${item.text}`,
      { runbookId: rb.id, version: rb.version, item: p.item, checked: p.checked },
      now,
    );
    await writeAudit(tx, actor, {
      action: "incident.checklist",
      entityType: "incident",
      entityId: i.id,
      after: { runbookId: rb.id, version: rb.version, item: p.item, text: item.text, checked: p.checked },
    });
    return { item: p.item, checked: p.checked };
  });
}

/** Minutes an alert needs to see the effect of a mitigation: its evaluation window plus a check-in of the devices. */
const WATCH_MINUTES = 30;

export type MitigationResult = ActResult & { incidentId: string; incidentNumber: number; declared: boolean; watch: string };

/**
 * A mitigation, the one function every door calls (tRPC from the incident page and from an alert, REST):
 * the deployments service does the action under its policy (one check, idempotency, audit, refusal audit);
 * in the same transaction the incident is declared from the alert when none is open for it (the actor in
 * command) or the open one is used, the action is recorded on its timeline once, a rollback or abort marks
 * it mitigated, and the admins are told in-app and through the alert routing.
 */
export async function mitigateIncident(db: Db, actor: Actor, input: unknown): Promise<MitigationResult> {
  const p = ZMitigate.parse(input);
  // The floor; the action itself is decided by the deployment policy (which counts only commands that carry rights).
  assertCan(canChangeIncident(actor, "mitigate"));
  if (p.id) {
    const i = await loadIncident(db, p.id);
    if (!i.deploymentIds.includes(p.deploymentId)) throw new Invalid("That deployment is not part of this incident");
  } else {
    const [a] = await db.select({ id: alerts.id, modelId: alerts.modelId }).from(alerts).where(eq(alerts.id, p.alertId!));
    if (!a) throw new NotFound("Alert");
    const deps = a.modelId ? await listDeployments(db, { modelId: a.modelId }) : [];
    if (!deps.some((d) => d.id === p.deploymentId)) throw new Invalid("That deployment does not run the alert's model");
  }
  let outcome: { incidentId: string; incidentNumber: number; declared: boolean } | null = null;
  const after: AfterAction = async (tx, result, facts) => {
    const now = new Date();
    let i: IncidentRow;
    let declared = false;
    let alert: typeof alerts.$inferSelect | null = null;
    if (p.id) i = await loadIncident(tx, p.id, true);
    else {
      [alert] = await tx.select().from(alerts).where(eq(alerts.id, p.alertId!)).for("update");
      const [open] = await tx
        .select()
        .from(incidents)
        .where(and(eq(incidents.alertId, alert.id), ne(incidents.status, "resolved")))
        .for("update");
      if (open) i = open;
      else {
        const [m] = alert.modelId ? await tx.select({ slug: models.slug }).from(models).where(eq(models.id, alert.modelId)) : [];
        i = await insertIncident(
          tx,
          actor,
          {
            title: alert.title,
            severity: severityForAlert(alert.severity),
            description: "",
            modelId: alert.modelId,
            modelSlug: m?.slug ?? null,
            alert,
            startedAt: alert.firingAt ?? alert.startedAt,
          },
          now,
        );
        declared = true;
      }
      if (!i.deploymentIds.includes(p.deploymentId))
        await tx
          .update(incidents)
          .set({ deploymentIds: [...i.deploymentIds, p.deploymentId] })
          .where(eq(incidents.id, i.id));
    }
    if (!alert && i.alertId) [alert] = await tx.select().from(alerts).where(eq(alerts.id, i.alertId));
    await addEntry(
      tx,
      i.id,
      actor,
      "action",
      result.summary,
      {
        action: p.action,
        deploymentId: p.deploymentId,
        version: p.version ?? null,
        revision: result.revision,
        reason: p.reason ?? null,
        authority: facts.decision.as,
      },
      now,
    );
    const mitigates = p.action === "rollback" && (i.status === "investigating" || i.status === "identified");
    const stamps = mitigates ? stampsFor(i, "mitigated", now) : { acknowledgedAt: i.acknowledgedAt ?? now };
    await tx
      .update(incidents)
      .set({ ...(mitigates ? { status: "mitigated" as const } : {}), ...stamps, updatedAt: now })
      .where(eq(incidents.id, i.id));
    if (mitigates)
      await addEntry(
        tx,
        i.id,
        actor,
        "status",
        `Status ${i.status} → mitigated (rolled back to v${facts.toVersion})`,
        { from: i.status, to: "mitigated" },
        now,
      );
    const href = `/incidents/${i.id}`;
    const told = await announce(tx, {
      kind: "deployment.mitigated",
      title: `${actor.email} ${p.action === "rollback" ? `rolled back ${facts.model.slug} to v${facts.toVersion}` : `paused the rollout of ${facts.model.slug}`} (incident #${i.number})`,
      body: `${result.summary}${facts.decision.as === "on-call" || facts.decision.as === "commander" ? ` Done as ${facts.decision.as === "on-call" ? "the engineer on call" : "the incident commander"}.` : ""}`,
      href,
      modelId: facts.model.id,
      alert: alert ? { id: alert.id, kind: alert.kind, severity: alert.severity } : null,
      detail: { incidentId: i.id, deploymentId: p.deploymentId, action: p.action, version: facts.toVersion, actor: actor.email },
    });
    await addEntry(
      tx,
      i.id,
      null,
      "notified",
      `Notified the admins: ${told.notified.join(", ") || "none active"}${told.deliveries ? ` and ${told.deliveries} webhook${told.deliveries === 1 ? "" : "s"}` : ""}`,
      { notified: told.notified, deliveries: told.deliveries },
      now,
    );
    await writeAudit(tx, actor, {
      action: "incident.mitigate",
      entityType: "incident",
      entityId: i.id,
      after: {
        action: p.action,
        deploymentId: p.deploymentId,
        version: p.version ?? null,
        summary: result.summary,
        reason: p.reason ?? null,
        declared,
        mitigated: mitigates,
        ttmMs: mitigates ? responseTimes({ ...i, ...stamps }).ttmMs : null,
      },
    });
    outcome = { incidentId: i.id, incidentNumber: i.number, declared };
  };
  const base = { deploymentId: p.deploymentId, revision: p.revision, idempotencyKey: p.idempotencyKey, reason: p.reason };
  let result: ActResult;
  if (p.action === "rollback") {
    if (!p.version) throw new Invalid("Say which version to roll back to");
    result = await rollback(db, actor, { ...base, version: p.version }, after);
  } else {
    result = await stepRollout(db, actor, "pause", base, after);
  }
  const watch = `The alert should resolve within about ${WATCH_MINUTES} minutes, once devices check in and the next windows are evaluated`;
  const done = outcome as { incidentId: string; incidentNumber: number; declared: boolean } | null;
  if (done) return { ...result, ...done, watch };
  // A replay: the first request already recorded everything; point at its incident.
  const [i] = p.id
    ? await db.select({ id: incidents.id, number: incidents.number }).from(incidents).where(eq(incidents.id, p.id))
    : await db
        .select({ id: incidents.id, number: incidents.number })
        .from(incidents)
        .where(eq(incidents.alertId, p.alertId!))
        .orderBy(desc(incidents.declaredAt))
        .limit(1);
  if (!i) throw new NotFound("Incident");
  return { ...result, incidentId: i.id, incidentNumber: i.number, declared: false, watch };
}

/**
 * Someone who may not roll back asks for it: the on-call admins for the model (else every admin) are
 * notified in-app and through the alert routing, with a link; audited, and noted on the open incident.
 */
export async function requestRollback(db: Db, actor: Actor, input: unknown) {
  const p = ZRequestRollback.parse(input);
  return db.transaction(async (tx) => {
    const d = await getDeployment(tx, { id: p.deploymentId });
    const [alert] = p.alertId ? await tx.select().from(alerts).where(eq(alerts.id, p.alertId)) : [];
    if (p.alertId && !alert) throw new NotFound("Alert");
    const [m] = await tx.select({ id: models.id, slug: models.slug, team: models.team }).from(models).where(eq(models.id, d.model.id));
    const onCallAdmins = (await onCallForModel(tx, m)).map((o) => o.userId!).filter(Boolean);
    const admins = onCallAdmins.length
      ? await tx
          .select({ id: users.id })
          .from(users)
          .where(and(inArray(users.id, onCallAdmins), eq(users.role, "admin")))
      : [];
    const [open] = await tx
      .select()
      .from(incidents)
      .where(and(eq(incidents.modelId, m.id), ne(incidents.status, "resolved")))
      .orderBy(desc(incidents.declaredAt))
      .limit(1);
    const href = open ? `/incidents/${open.id}` : `/deployments/${d.id}`;
    const to = d.rollbackTo;
    const title = `${actor.email} asks for a rollback of ${m.slug} on ${d.target.name}${to !== null ? ` to v${to}` : ""}`;
    const told = await announce(tx, {
      kind: "rollback.requested",
      title,
      body: p.note || (alert ? `Because of the alert “${alert.title}”.` : "No note given."),
      href,
      modelId: m.id,
      alert: alert ? { id: alert.id, kind: alert.kind, severity: alert.severity } : null,
      detail: { deploymentId: d.id, alertId: alert?.id ?? null, requestedBy: actor.email },
      userIds: admins.length ? admins.map((a) => a.id) : undefined,
    });
    if (open)
      await addEntry(tx, open.id, actor, "note", `${title}. Paged ${told.notified.join(", ") || "nobody (no active admin)"}`, {
        request: true,
        deploymentId: d.id,
      });
    await writeAudit(tx, actor, {
      action: "deployment.rollback_request",
      entityType: "deployment",
      entityId: d.id,
      after: { alertId: alert?.id ?? null, note: p.note, to, notified: told.notified, deliveries: told.deliveries },
    });
    return { notified: told.notified, href };
  });
}

export async function savePostmortem(db: Db, actor: Actor, input: unknown) {
  const p = ZSavePostmortem.parse(input);
  return change(db, actor, p.id, "postmortem", async (tx, i, now) => {
    await tx.update(incidents).set({ postmortem: p.postmortem, updatedAt: now }).where(eq(incidents.id, i.id));
    if (!i.postmortem) await addEntry(tx, i.id, actor, "postmortem", "Started the postmortem", {}, now);
    await writeAudit(tx, actor, { action: "incident.postmortem", entityType: "incident", entityId: i.id, before: i.postmortem ?? null, after: p.postmortem });
    return { ok: true };
  });
}

/** Engineers who can take command, for the commander picker. */
export async function commanderCandidates(db: Db) {
  return db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, ["engineer", "admin"])))
    .orderBy(users.email)
    .limit(500);
}
