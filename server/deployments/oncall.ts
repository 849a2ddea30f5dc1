// The on-call page for one model: what is firing, how fast the error budget burns, what changed, the runbook.
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, slos } from "@/db/schema";
import { NotFound } from "@/server/errors";
import { listAlerts } from "@/server/monitoring/alerts";
import { sloStatus } from "@/server/monitoring/slo-status";
import { matchRunbook } from "@/server/runbooks/service";
import { ZOncallQuery } from "./schemas";
import { getDeployment, listDeployments, recentDeploymentEvents } from "./service";

export async function oncallView(db: Db, input: unknown, now = new Date()) {
  const q = ZOncallQuery.parse(input);
  const [model] = await db.select({ id: models.id, slug: models.slug, name: models.name, team: models.team }).from(models).where(eq(models.slug, q.model));
  if (!model) throw new NotFound(`Model ${q.model}`);
  // Sorted most severe first: the runbook is the one matching the worst open alert.
  const openAlerts = await listAlerts(db, { state: "open", model: model.slug, limit: 50 }, now);
  const worst = openAlerts[0] ?? null;
  const [sloRows, deploys, events, runbook] = await Promise.all([
    db.select().from(slos).where(eq(slos.modelId, model.id)).orderBy(asc(slos.target), asc(slos.kind)),
    listDeployments(db, { modelId: model.id }),
    recentDeploymentEvents(db, model.id, 15),
    matchRunbook(db, { model: model.slug, alertKind: worst?.kind ?? null, ruleKey: worst?.ruleKey ?? null }),
  ]);
  // A model runs on a handful of targets; each detail brings its rollback target and device counts.
  const [sloStatuses, details] = await Promise.all([
    Promise.all(sloRows.map((s) => sloStatus(db, s, now))),
    Promise.all(deploys.map((d) => getDeployment(db, { id: d.id }))),
  ]);
  return {
    model,
    alerts: openAlerts,
    slos: sloStatuses.map(({ burnDown: _burnDown, ...s }) => s),
    deployments: details.map(({ events: _events, versions: _versions, ...d }) => d),
    events: events.map((e) => ({ ...e.event, target: e.target })),
    runbook: runbook ? { id: runbook.id, title: runbook.title, body: runbook.body, updatedAt: runbook.updatedAt } : null,
  };
}

/** Models with a deployment or a runbook, for the on-call model picker. */
export async function oncallModels(db: Db) {
  return db.select({ slug: models.slug, name: models.name }).from(models).orderBy(asc(models.slug)).limit(500);
}
