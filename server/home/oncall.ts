// The home page's on-call part: what is firing now (most severe first, each with the deployment to roll back),
// the open incidents, and names for the entities recent activity mentions.
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, deployments, deploymentTargets, incidents, models, modelVersions, runbooks } from "@/db/schema";
import { getDeployment, listDeployments } from "@/server/deployments/service";
import { listAlerts } from "@/server/monitoring/alerts";

/** Page before warning before ticket; unknown severities last. */
export const ALERT_SEVERITY_ORDER = ["critical", "page", "warning", "ticket"];
export const severityRank = (s: string) => {
  const i = ALERT_SEVERITY_ORDER.indexOf(s);
  return i < 0 ? ALERT_SEVERITY_ORDER.length : i;
};

/** The version an alert names, from its subject (`model/v3/feature@cohort`) or its evidence. */
export function alertVersion(a: { subject: string; evidence: Record<string, unknown> }): number | null {
  const m = /\/v(\d+)(?:\/|$)/.exec(a.subject);
  if (m) return Number(m[1]);
  return typeof a.evidence.version === "number" ? a.evidence.version : null;
}

/** The deployment an alert is about: the one running its version as the candidate (canary cohort) or as stable, else one in flight. */
export function deploymentForAlert<D extends { stable: number; candidate: number | null }>(
  a: { subject: string; evidence: Record<string, unknown> },
  deps: readonly D[],
): D | null {
  const v = alertVersion(a);
  const canary = a.subject.includes("@canary");
  if (v !== null) {
    const hit = deps.find((d) => d.candidate === v) ?? (canary ? undefined : deps.find((d) => d.stable === v));
    if (hit) return hit;
  }
  return deps.find((d) => d.candidate !== null) ?? null;
}

export async function firingNow(db: Db, now = new Date()) {
  const open = (await listAlerts(db, { state: "firing", limit: 50 }, now))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (b.firingAt ?? b.startedAt).getTime() - (a.firingAt ?? a.startedAt).getTime())
    .slice(0, 8);
  const ids = open.map((a) => a.id);
  const linked = ids.length
    ? await db
        .select({ id: incidents.id, number: incidents.number, status: incidents.status, alertId: incidents.alertId })
        .from(incidents)
        .where(and(inArray(incidents.alertId, ids), ne(incidents.status, "resolved")))
    : [];
  const byModel = new Map<string, Awaited<ReturnType<typeof listDeployments>>>();
  const out = [];
  for (const a of open) {
    let deployment = null;
    if (a.modelId) {
      if (!byModel.has(a.modelId)) byModel.set(a.modelId, await listDeployments(db, { modelId: a.modelId }));
      const pick = deploymentForAlert(a, byModel.get(a.modelId)!);
      if (pick) {
        const d = await getDeployment(db, { id: pick.id });
        if (d.rollbackTo !== null)
          deployment = {
            id: d.id,
            revision: d.revision,
            target: { name: d.target.name, kind: d.target.kind },
            environment: d.environment,
            policy: d.policy,
            effectTarget: d.effectTarget,
          };
      }
    }
    const incident = linked.find((i) => i.alertId === a.id) ?? null;
    out.push({
      alert: {
        id: a.id,
        title: a.title,
        severity: a.severity,
        kind: a.kind,
        model: a.model,
        modelName: a.modelName,
        subject: a.subject,
        firingAt: a.firingAt ?? a.startedAt,
        evidenceText: a.evidenceText,
        series: a.series,
      },
      incident: incident ? { id: incident.id, number: incident.number, status: incident.status } : null,
      deployment,
    });
  }
  return out;
}

type AuditRef = { entityType: string; entityId: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names and links for audit rows' entities, a query per entity type present (never per row). */
export async function entityNames(db: Db, rows: readonly AuditRef[]): Promise<Map<string, { name: string; href: string | null }>> {
  const out = new Map<string, { name: string; href: string | null }>();
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.entityType === type && UUID.test(r.entityId)).map((r) => r.entityId))];
  const dep = idsOf("deployment");
  const inc = idsOf("incident");
  const al = idsOf("alert");
  const mod = idsOf("model");
  const ver = idsOf("model_version");
  const rb = idsOf("runbook");
  const [d, i, a, m, v, r] = await Promise.all([
    dep.length
      ? db
          .select({ id: deployments.id, model: models.name, target: deploymentTargets.name })
          .from(deployments)
          .innerJoin(models, eq(models.id, deployments.modelId))
          .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
          .where(inArray(deployments.id, dep))
      : [],
    inc.length ? db.select({ id: incidents.id, number: incidents.number, title: incidents.title }).from(incidents).where(inArray(incidents.id, inc)) : [],
    al.length
      ? db
          .select({ id: alerts.id, title: alerts.title, model: models.slug })
          .from(alerts)
          .leftJoin(models, eq(models.id, alerts.modelId))
          .where(inArray(alerts.id, al))
      : [],
    mod.length ? db.select({ id: models.id, slug: models.slug, name: models.name }).from(models).where(inArray(models.id, mod)) : [],
    ver.length
      ? db
          .select({ id: modelVersions.id, number: modelVersions.number, slug: models.slug })
          .from(modelVersions)
          .innerJoin(models, eq(models.id, modelVersions.modelId))
          .where(inArray(modelVersions.id, ver))
      : [],
    rb.length ? db.select({ id: runbooks.id, title: runbooks.title }).from(runbooks).where(inArray(runbooks.id, rb)) : [],
  ]);
  for (const x of d) out.set(`deployment:${x.id}`, { name: `${x.model} on ${x.target}`, href: `/deployments/${x.id}` });
  for (const x of i) out.set(`incident:${x.id}`, { name: `#${x.number} ${x.title}`, href: `/incidents/${x.id}` });
  for (const x of a) out.set(`alert:${x.id}`, { name: x.title, href: `/alerts?state=all${x.model ? `&model=${x.model}` : ""}#alert-${x.id}` });
  for (const x of m) out.set(`model:${x.id}`, { name: x.name, href: `/models/${x.slug}` });
  for (const x of v) out.set(`model_version:${x.id}`, { name: `${x.slug} v${x.number}`, href: `/models/${x.slug}/versions/${x.number}` });
  for (const x of r) out.set(`runbook:${x.id}`, { name: x.title, href: `/runbooks/${x.id}` });
  return out;
}

/** Open incidents, most severe first. */
export async function openIncidents(db: Db) {
  return db
    .select({
      id: incidents.id,
      number: incidents.number,
      title: incidents.title,
      severity: incidents.severity,
      status: incidents.status,
      declaredAt: incidents.declaredAt,
      model: models.slug,
    })
    .from(incidents)
    .leftJoin(models, eq(models.id, incidents.modelId))
    .where(ne(incidents.status, "resolved"))
    .orderBy(incidents.severity, sql`case ${incidents.status} when 'investigating' then 0 when 'identified' then 1 else 2 end`, desc(incidents.declaredAt))
    .limit(10);
}
