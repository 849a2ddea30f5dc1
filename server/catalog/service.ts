// The catalog: who owns each model, serving target, fleet, dataset and runbook, who is paged for it, its links,
// lifecycle and dependencies; model scorecards; and a team's page (what it owns, what is open, who is on call, SLOs, cost).
import { and, asc, desc, eq, inArray, isNull, max, ne, notInArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  alerts,
  catalogEntities,
  deploymentTargets,
  driftMonitors,
  incidents,
  mlflowDatasets,
  models,
  modelVersions,
  oncallRotations,
  runbooks,
  safetySignOffs,
  slos,
  teams,
  thresholdRules,
  type CatalogDependency,
  type CatalogLink,
} from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { writeAudit } from "@/server/audit/service";
import { costOverview } from "@/server/cost/service";
import { Forbidden, Invalid, NotFound } from "@/server/errors";
import { onCallNow } from "@/server/incidents/oncall";
import { sloStatus } from "@/server/monitoring/slo-status";
import { liveModel } from "@/server/registry/lookup";
import { runbookName } from "./names";
import { canEditCatalogEntity } from "./policy";
import { scoreModel, type AlertRuleFact, type Scorecard } from "./scorecard";
import { ZCatalogList, ZCatalogRef, ZCatalogUpdate, ZTeamPage, type CatalogKind, type CheckKey, type Lifecycle, type TCatalogFields } from "./schemas";

export type CatalogEntry = {
  kind: CatalogKind;
  name: string;
  title: string;
  refId: string;
  /** False for a model registered but not yet in the catalog: it is listed so its scorecard shows what is missing. */
  catalogued: boolean;
  owner: { id: string; slug: string; name: string } | null;
  rotation: { id: string; name: string } | null;
  links: CatalogLink[];
  lifecycle: Lifecycle | null;
  dependencies: CatalogDependency[];
  updatedAt: Date | null;
  scorecard: Scorecard | null;
};

const LIST_LIMIT = 1000;

async function catalogRows(db: Db, where: SQL | undefined): Promise<CatalogEntry[]> {
  const rows = await db
    .select({
      e: catalogEntities,
      team: { id: teams.id, slug: teams.slug, name: teams.name },
      rotation: { id: oncallRotations.id, name: oncallRotations.name },
    })
    .from(catalogEntities)
    .innerJoin(teams, eq(teams.id, catalogEntities.ownerTeamId))
    .leftJoin(oncallRotations, eq(oncallRotations.id, catalogEntities.rotationId))
    .where(where)
    .orderBy(asc(catalogEntities.kind), asc(catalogEntities.name))
    .limit(LIST_LIMIT);
  return rows.map(({ e, team, rotation }) => ({
    kind: e.kind,
    name: e.name,
    title: e.title,
    refId: e.refId,
    catalogued: true,
    owner: team,
    rotation: rotation?.id ? { id: rotation.id, name: rotation.name } : null,
    links: e.links,
    lifecycle: e.lifecycle,
    dependencies: e.dependencies,
    updatedAt: e.updatedAt,
    scorecard: null,
  }));
}

/** Live models with no catalog row. */
async function uncataloguedModels(db: Db, slug?: string): Promise<CatalogEntry[]> {
  const catalogued = db.select({ id: catalogEntities.refId }).from(catalogEntities).where(eq(catalogEntities.kind, "model"));
  const rows = await db
    .select({ id: models.id, slug: models.slug, name: models.name })
    .from(models)
    .where(and(liveModel(), notInArray(sql`${models.id}::text`, catalogued), slug ? eq(models.slug, slug) : undefined))
    .orderBy(asc(models.slug))
    .limit(LIST_LIMIT);
  return rows.map((m) => ({
    kind: "model" as const,
    name: m.slug,
    title: m.name,
    refId: m.id,
    catalogued: false,
    owner: null,
    rotation: null,
    links: [],
    lifecycle: null,
    dependencies: [],
    updatedAt: null,
    scorecard: null,
  }));
}

/** Scorecards for the model entries, in a fixed number of queries. */
async function withScorecards(db: Db, entries: CatalogEntry[], now: Date): Promise<CatalogEntry[]> {
  const ids = entries.filter((e) => e.kind === "model").map((e) => e.refId);
  if (!ids.length) return entries;
  const [drift, sloRows, thresholds, books, cards, signOffs] = await Promise.all([
    db
      .select({ id: driftMonitors.id, modelId: driftMonitors.modelId, name: driftMonitors.name })
      .from(driftMonitors)
      .where(inArray(driftMonitors.modelId, ids)),
    db.select({ id: slos.id, modelId: slos.modelId, kind: slos.kind, target: slos.target }).from(slos).where(inArray(slos.modelId, ids)),
    db
      .select({ id: thresholdRules.id, modelId: thresholdRules.modelId, metric: thresholdRules.metric })
      .from(thresholdRules)
      .where(and(inArray(thresholdRules.modelId, ids), eq(thresholdRules.enabled, true))),
    db
      .select({ title: runbooks.title, links: runbooks.links, updatedAt: runbooks.updatedAt })
      .from(runbooks)
      .orderBy(desc(runbooks.updatedAt))
      .limit(LIST_LIMIT),
    db
      .selectDistinctOn([modelVersions.modelId], { modelId: modelVersions.modelId, card: modelVersions.modelCard })
      .from(modelVersions)
      .where(and(inArray(modelVersions.modelId, ids), ne(modelVersions.status, "archived")))
      .orderBy(modelVersions.modelId, desc(modelVersions.number)),
    db
      .select({ modelId: safetySignOffs.modelId, at: max(safetySignOffs.createdAt) })
      .from(safetySignOffs)
      .where(and(inArray(safetySignOffs.modelId, ids), eq(safetySignOffs.decision, "approve"), isNull(safetySignOffs.withdrawnAt)))
      .groupBy(safetySignOffs.modelId),
  ]);
  const rulesOf = (modelId: string): AlertRuleFact[] => [
    ...drift.filter((d) => d.modelId === modelId).map((d) => ({ ruleKey: `drift:${d.id}`, alertKind: "drift", label: `drift on ${d.name}` })),
    ...sloRows.filter((s) => s.modelId === modelId).map((s) => ({ ruleKey: `slo:${s.id}`, alertKind: "slo", label: `the ${s.kind} SLO on ${s.target}` })),
    ...thresholds
      .filter((t) => t.modelId === modelId)
      .map((t) => ({ ruleKey: `threshold:${t.id}`, alertKind: "threshold", label: `the ${t.metric} threshold` })),
  ];
  return entries.map((e) => {
    if (e.kind !== "model") return e;
    const card = cards.find((c) => c.modelId === e.refId);
    const signOff = signOffs.find((s) => s.modelId === e.refId)?.at ?? null;
    const scorecard = scoreModel(
      {
        slug: e.name,
        owner: e.owner?.name ?? null,
        rotation: e.rotation?.name ?? null,
        services: e.owner ? [e.owner.slug, e.owner.name] : [],
        alertRules: rulesOf(e.refId),
        runbooks: books,
        modelCard: card ? card.card : null,
        lastSignOffAt: signOff ? new Date(signOff) : null,
        sloCount: sloRows.filter((s) => s.modelId === e.refId).length,
      },
      now,
    );
    return { ...e, scorecard };
  });
}

function failing(e: CatalogEntry, check: CheckKey): boolean {
  return Boolean(e.scorecard?.checks.some((c) => c.key === check && !c.passed));
}

export async function listTeams(db: Db) {
  return db.select({ id: teams.id, slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name)).limit(200);
}

/** The catalog, filtered by kind, owner team, lifecycle and a failing scorecard check (which keeps models only). */
export async function listCatalog(db: Db, input: unknown = {}, now = new Date()) {
  const q = ZCatalogList.parse(input);
  const [rows, extra, teamList] = await Promise.all([
    catalogRows(
      db,
      and(
        q.kind ? eq(catalogEntities.kind, q.kind) : undefined,
        q.owner ? eq(teams.slug, q.owner) : undefined,
        q.lifecycle ? eq(catalogEntities.lifecycle, q.lifecycle) : undefined,
        q.failing ? eq(catalogEntities.kind, "model") : undefined,
      ),
    ),
    // Uncatalogued models have no owner or lifecycle, so those filters leave them out.
    !q.owner && !q.lifecycle && (!q.kind || q.kind === "model") ? uncataloguedModels(db) : Promise.resolve([]),
    listTeams(db),
  ]);
  const scored = await withScorecards(db, [...rows, ...extra], now);
  const entries = q.failing ? scored.filter((e) => failing(e, q.failing!)) : scored;
  return { filters: q, teams: teamList, entries };
}

export async function getCatalogEntity(db: Db, input: unknown, now = new Date()): Promise<CatalogEntry> {
  const ref = ZCatalogRef.parse(input);
  const [row] = await catalogRows(db, and(eq(catalogEntities.kind, ref.kind), eq(catalogEntities.name, ref.name)));
  const entry = row ?? (ref.kind === "model" ? (await uncataloguedModels(db, ref.name))[0] : undefined);
  if (!entry) throw new NotFound(`Catalog entry ${ref.kind}/${ref.name}`);
  const [scored] = await withScorecards(db, [entry], now);
  return scored;
}

/** The row a catalog entry stands for, by kind and name. */
async function underlying(db: Db, kind: CatalogKind, name: string): Promise<{ refId: string; title: string } | null> {
  if (kind === "model") {
    const [m] = await db
      .select({ id: models.id, name: models.name })
      .from(models)
      .where(and(eq(models.slug, name), liveModel()));
    return m ? { refId: m.id, title: m.name } : null;
  }
  if (kind === "serving-target" || kind === "fleet") {
    const [t] = await db
      .select({ id: deploymentTargets.id, name: deploymentTargets.name, kind: deploymentTargets.kind })
      .from(deploymentTargets)
      .where(eq(deploymentTargets.slug, name));
    if (!t || (t.kind === "edge-fleet") !== (kind === "fleet")) return null;
    return { refId: t.id, title: t.name };
  }
  if (kind === "dataset") {
    const [d] = await db
      .select({ id: mlflowDatasets.id, name: mlflowDatasets.name })
      .from(mlflowDatasets)
      .where(eq(mlflowDatasets.name, name))
      .orderBy(desc(mlflowDatasets.createdAt))
      .limit(1);
    return d ? { refId: d.id, title: d.name } : null;
  }
  const books = await db.select({ id: runbooks.id, title: runbooks.title }).from(runbooks).limit(LIST_LIMIT);
  const b = books.find((r) => runbookName(r.title) === name);
  return b ? { refId: b.id, title: b.title } : null;
}

/** The teams an actor belongs to: those owning an entry whose on-call rotation lists them. */
async function teamsOf(db: Db, userId: string): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ id: catalogEntities.ownerTeamId })
    .from(catalogEntities)
    .innerJoin(oncallRotations, eq(oncallRotations.id, catalogEntities.rotationId))
    .where(sql`${oncallRotations.members} @> ${JSON.stringify([userId])}::jsonb`);
  return new Set(rows.map((r) => r.id));
}

export type CatalogChange = { kind: CatalogKind; name: string; action: "created" | "updated" | "unchanged"; fields: (keyof TCatalogFields)[] };
const FIELDS: (keyof TCatalogFields)[] = ["owner", "rotation", "links", "lifecycle", "dependencies"];

/** JSON with object keys sorted: jsonb hands objects back with its own key order, so plain stringify would see changes that are not. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v ?? null);
}

/**
 * Creates or changes one entry inside the caller's transaction: checks the owner, rotation and dependencies exist,
 * applies the policy, and writes the row and its audit entry. Unchanged entries write nothing.
 */
export async function applyCatalogEntry(
  tx: Db,
  actor: Actor,
  p: { kind: CatalogKind; name: string } & TCatalogFields,
  ctx: { actorTeamIds: Set<string>; teamList: { id: string; slug: string }[]; source: string },
): Promise<CatalogChange> {
  const target = await underlying(tx, p.kind, p.name);
  if (!target) throw new NotFound(`${p.kind === "serving-target" ? "Serving target" : p.kind[0].toUpperCase() + p.kind.slice(1)} ${p.name}`);
  const team = ctx.teamList.find((t) => t.slug === p.owner);
  if (!team) throw new Invalid(`Unknown owner team "${p.owner}" on ${p.kind}/${p.name}; known teams: ${ctx.teamList.map((t) => t.slug).join(", ")}`);
  let rotationId: string | null = null;
  if (p.rotation) {
    const [r] = await tx.select({ id: oncallRotations.id }).from(oncallRotations).where(eq(oncallRotations.name, p.rotation));
    if (!r) throw new Invalid(`Unknown on-call rotation "${p.rotation}" on ${p.kind}/${p.name}; see /oncall for the rotations`);
    rotationId = r.id;
  }
  for (const d of p.dependencies) {
    if (!("kind" in d)) continue;
    if (d.kind === p.kind && d.name === p.name) throw new Invalid(`${p.kind}/${p.name} cannot depend on itself`);
    if (!(await underlying(tx, d.kind, d.name))) throw new Invalid(`${p.kind}/${p.name} depends on ${d.kind}/${d.name}, which does not exist`);
  }
  const [current] = await tx
    .select({ e: catalogEntities, owner: teams.slug, rotation: oncallRotations.name })
    .from(catalogEntities)
    .innerJoin(teams, eq(teams.id, catalogEntities.ownerTeamId))
    .leftJoin(oncallRotations, eq(oncallRotations.id, catalogEntities.rotationId))
    .where(and(eq(catalogEntities.kind, p.kind), eq(catalogEntities.name, p.name)))
    .for("update", { of: catalogEntities });
  const before: TCatalogFields | null = current
    ? { owner: current.owner, rotation: current.rotation, links: current.e.links, lifecycle: current.e.lifecycle, dependencies: current.e.dependencies }
    : null;
  const after: TCatalogFields = { owner: p.owner, rotation: p.rotation, links: p.links, lifecycle: p.lifecycle, dependencies: p.dependencies };
  const fields = FIELDS.filter((f) => !before || canonical(before[f]) !== canonical(after[f]));
  // Nothing to change needs no permission: a whole-catalog import passes over other teams' entries untouched.
  if (before && !fields.length) return { kind: p.kind, name: p.name, action: "unchanged", fields: [] };
  const decision = canEditCatalogEntity(actor, {
    currentOwner: current ? { id: current.e.ownerTeamId, slug: current.owner } : null,
    newOwner: team,
    actorTeamIds: ctx.actorTeamIds,
  });
  if (!decision.allowed) throw new Forbidden(`${p.kind}/${p.name}: ${decision.reason}`);
  const values = {
    title: target.title,
    refId: target.refId,
    ownerTeamId: team.id,
    rotationId,
    links: p.links,
    lifecycle: p.lifecycle,
    dependencies: p.dependencies,
    updatedBy: actor.userId,
    updatedAt: new Date(),
  };
  if (current) await tx.update(catalogEntities).set(values).where(eq(catalogEntities.id, current.e.id));
  else await tx.insert(catalogEntities).values({ kind: p.kind, name: p.name, ...values });
  await writeAudit(tx, actor, {
    action: current ? "catalog.update" : "catalog.create",
    entityType: "catalog_entity",
    entityId: `${p.kind}/${p.name}`,
    before: before ?? undefined,
    after: { ...after, source: ctx.source },
  });
  return { kind: p.kind, name: p.name, action: current ? "updated" : "created", fields };
}

/** What an applying caller needs once per transaction. */
export async function catalogWriteContext(tx: Db, actor: Actor, source: string) {
  const [actorTeamIds, teamList] = await Promise.all([teamsOf(tx, actor.userId), listTeams(tx)]);
  return { actorTeamIds, teamList, source };
}

/** Sets an entry's owner, rotation, links, lifecycle and dependencies (creating the entry for a registered entity). */
export async function updateCatalogEntity(db: Db, actor: Actor, input: unknown): Promise<{ change: CatalogChange; entry: CatalogEntry }> {
  const p = ZCatalogUpdate.parse(input);
  const change = await db.transaction(async (tx) => applyCatalogEntry(tx, actor, p, await catalogWriteContext(tx, actor, "edit")));
  return { change, entry: await getCatalogEntity(db, { kind: p.kind, name: p.name }) };
}

/** A team's page: what it owns (with scorecards), its open alerts and incidents, who is on call, its SLOs and its month's cost. */
export async function teamPage(db: Db, input: unknown, now = new Date()) {
  const { slug } = ZTeamPage.parse(input);
  const [team] = await db.select({ id: teams.id, slug: teams.slug, name: teams.name }).from(teams).where(eq(teams.slug, slug));
  if (!team) throw new NotFound(`Team ${slug}`);
  const { entries } = await listCatalog(db, { owner: slug }, now);
  const modelEntries = entries.filter((e) => e.kind === "model");
  const modelIds = modelEntries.map((e) => e.refId);
  const rotationIds = new Set(entries.flatMap((e) => (e.rotation ? [e.rotation.id] : [])));
  const [openAlerts, openIncidents, oncall, sloRows, cost] = await Promise.all([
    modelIds.length
      ? db
          .select({ id: alerts.id, title: alerts.title, severity: alerts.severity, state: alerts.state, startedAt: alerts.startedAt, model: models.slug })
          .from(alerts)
          .innerJoin(models, eq(models.id, alerts.modelId))
          .where(and(inArray(alerts.modelId, modelIds), ne(alerts.state, "resolved")))
          .orderBy(desc(alerts.startedAt))
          .limit(50)
      : Promise.resolve([]),
    modelIds.length
      ? db
          .select({
            id: incidents.id,
            number: incidents.number,
            title: incidents.title,
            severity: incidents.severity,
            status: incidents.status,
            startedAt: incidents.startedAt,
            model: models.slug,
          })
          .from(incidents)
          .innerJoin(models, eq(models.id, incidents.modelId))
          .where(and(inArray(incidents.modelId, modelIds), ne(incidents.status, "resolved")))
          .orderBy(desc(incidents.startedAt))
          .limit(50)
      : Promise.resolve([]),
    onCallNow(db, now),
    modelIds.length
      ? db
          .select({ slo: slos, model: models.slug })
          .from(slos)
          .innerJoin(models, eq(models.id, slos.modelId))
          .where(inArray(slos.modelId, modelIds))
          .orderBy(asc(models.slug), asc(slos.kind))
      : Promise.resolve([]),
    costOverview(db, {}, now),
  ]);
  // The same SLO evaluation and the same month's spend the monitoring and costs pages show, not a second computation.
  const sloStatuses = await Promise.all(sloRows.map(async (r) => ({ model: r.model, status: await sloStatus(db, r.slo, now) })));
  const budget = cost.budgets.find((b) => b.scope === "team" && b.key === slug) ?? null;
  return {
    team,
    entries,
    alerts: openAlerts,
    incidents: openIncidents,
    oncall: oncall.filter((r) => rotationIds.has(r.rotationId)),
    slos: sloStatuses.map(({ model, status }) => ({
      model,
      id: status.id,
      kind: status.kind,
      target: status.target,
      objective: status.objective,
      windowDays: status.windowDays,
      budget: status.budget,
      severity: status.severity,
    })),
    cost: {
      month: cost.month,
      budget,
      models: cost.models.filter((m) => m.team === slug).map((m) => ({ slug: m.slug, name: m.name, micros: m.micros })),
    },
  };
}
