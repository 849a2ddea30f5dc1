// The incidents REST door's services: machine-shaped inputs mapped onto the incident service functions the UI uses,
// so every rule (roles, status transitions, the mitigation rule in the deployments service) is checked once.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deploymentEvents, incidents, models, users } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { getDeployment } from "@/server/deployments/service";
import { Invalid, NotFound, PreconditionFailed } from "@/server/errors";
import { responseTimes } from "./lifecycle";
import { ZApiDeclareIncident, ZApiListIncidents, ZApiMitigation, ZApiPatchIncident } from "./rest-schemas";
import { ZIncidentId } from "./schemas";
import { addIncidentNote, declareIncident, listIncidents, mitigateIncident, setIncidentCommander, setIncidentSeverity, setIncidentStatus } from "./service";

/** A malformed id in a path is an incident that is not there. */
function incidentIdOf(id: string): string {
  const p = ZIncidentId.safeParse({ id });
  if (!p.success) throw new NotFound("Incident");
  return p.data.id;
}

/** One incident as the REST door answers it. */
export async function incidentForApi(db: Db, id: string) {
  const incidentId = incidentIdOf(id);
  const [r] = await db
    .select({ i: incidents, model: models.slug, commander: users.email })
    .from(incidents)
    .leftJoin(models, eq(models.id, incidents.modelId))
    .leftJoin(users, eq(users.id, incidents.commanderId))
    .where(eq(incidents.id, incidentId));
  if (!r) throw new NotFound("Incident");
  const i = r.i;
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    severity: i.severity,
    status: i.status,
    description: i.description,
    model: r.model,
    commander: r.commander,
    alertId: i.alertId,
    versions: i.versions,
    deploymentIds: i.deploymentIds,
    startedAt: i.startedAt,
    declaredAt: i.declaredAt,
    acknowledgedAt: i.acknowledgedAt,
    mitigatedAt: i.mitigatedAt,
    resolvedAt: i.resolvedAt,
    ...responseTimes(i),
  };
}

export async function listIncidentsForApi(db: Db, query: unknown) {
  return { items: await listIncidents(db, ZApiListIncidents.parse(query)) };
}

export async function declareIncidentForApi(db: Db, actor: Actor, input: unknown) {
  const p = ZApiDeclareIncident.parse(input);
  const row = await declareIncident(db, actor, { title: p.title, severity: p.severity, model: p.model, description: p.description ?? "" });
  return incidentForApi(db, row.id);
}

/** Status, severity, commander and note in one transaction: all of them change, or none. */
export async function patchIncidentForApi(db: Db, actor: Actor, id: string, input: unknown) {
  const p = ZApiPatchIncident.parse(input);
  const incidentId = incidentIdOf(id);
  await db.transaction(async (tx) => {
    if (p.severity) await setIncidentSeverity(tx, actor, { id: incidentId, severity: p.severity });
    if (p.commander) {
      const by = p.commander.includes("@") ? eq(users.email, p.commander.toLowerCase()) : eq(users.id, p.commander);
      const [u] = await tx.select({ id: users.id }).from(users).where(by);
      if (!u) throw new Invalid(`No user ${p.commander}; name the commander by email or user id`);
      await setIncidentCommander(tx, actor, { id: incidentId, userId: u.id });
    }
    if (p.status) await setIncidentStatus(tx, actor, { id: incidentId, status: p.status, note: p.note ?? "" });
    else if (p.note) await addIncidentNote(tx, actor, { id: incidentId, text: p.note });
  });
  return incidentForApi(db, incidentId);
}

/**
 * The incident page's mitigation, from a machine: the rollback target and revision default to the
 * deployment's current ones, then mitigateIncident applies the same rule and effect as the button.
 */
export async function mitigateIncidentForApi(db: Db, actor: Actor, id: string, input: unknown, headerKey: string | null) {
  const p = ZApiMitigation.parse(input);
  const incidentId = incidentIdOf(id);
  const d = await getDeployment(db, { id: p.deployment });
  const idempotencyKey = p.idempotencyKey ?? (headerKey && /^[A-Za-z0-9_.:-]{8,100}$/.test(headerKey) ? headerKey : `rest:${randomUUID()}`);
  // A retry resolves its defaults as the first request did, not from the state that request left behind.
  const [first] = await db.select({ toVersion: deploymentEvents.toVersion }).from(deploymentEvents).where(eq(deploymentEvents.idempotencyKey, idempotencyKey));
  const version = p.action === "rollback" ? (p.version ?? first?.toVersion ?? d.rollbackTo ?? undefined) : undefined;
  if (p.action === "rollback" && !version) throw new PreconditionFailed("This deployment has no earlier version to roll back to; name one in version");
  const result = await mitigateIncident(db, actor, {
    id: incidentId,
    deploymentId: p.deployment,
    action: p.action,
    version,
    revision: p.revision ?? d.revision,
    idempotencyKey,
    reason: p.reason,
  });
  return { ...result, incident: await incidentForApi(db, incidentId) };
}
