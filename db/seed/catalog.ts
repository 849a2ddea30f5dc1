// Demo catalog: every demo model, serving target, fleet, dataset and runbook gets an owner team, an on-call rotation,
// links, a lifecycle and dependencies, derived from the other demo data so the result is the same on every run.
// The datasets are the training runs' MLflow inputs (db/seed/lineage.ts logs them first). Links point at made-up internal hosts and say "demo".
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  catalogEntities,
  deployments,
  deploymentTargets,
  mlflowDatasets,
  mlflowRunInputs,
  models,
  modelVersions,
  oncallRotations,
  runbooks,
  teams,
  type CatalogDependency,
  type CatalogLink,
} from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import { findUserByEmail } from "@/server/auth/users";
import { runbookName } from "@/server/catalog/names";

/** Rotations seeded in db/seed/incidents.ts: camera models and fleets page one, cloud serving the other. */
export const CAMERA_ROTATION = "Camera fleet models";
export const CLOUD_ROTATION = "Cloud serving";
const TEAM_ROTATION: Record<string, string> = { perception: CAMERA_ROTATION, "driver-monitoring": CAMERA_ROTATION, platform: CLOUD_ROTATION };
/** A retired camera generation, so the demo has a deprecated entry. */
const DEPRECATED_TARGETS = new Set(["eu-dashcam-v2"]);

type Lineage = { sourceRunId?: string; gitRepository?: string; dataset?: { name?: string; version?: string } };
type Row = typeof catalogEntities.$inferInsert;

export async function seedCatalog(db: Db): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const teamRows = await db.select().from(teams);
  const teamId = (slug: string) => teamRows.find((t) => t.slug === slug)?.id ?? teamRows.find((t) => t.slug === "platform")!.id;
  const rotations = await db.select({ id: oncallRotations.id, name: oncallRotations.name }).from(oncallRotations);
  const rotationId = (team: string) => rotations.find((r) => r.name === (TEAM_ROTATION[team] ?? CLOUD_ROTATION))?.id ?? null;

  const modelRows = await db.select().from(models).orderBy(asc(models.slug));
  const versions = await db
    .select({ modelId: modelVersions.modelId, status: modelVersions.status, lineage: modelVersions.lineage })
    .from(modelVersions)
    .orderBy(asc(modelVersions.modelId), asc(modelVersions.number));

  // The datasets named in lineage (seedLineage logged them as the training runs' MLflow inputs) belong to the model's team.
  const datasetTeam = new Map<string, string>();
  const modelDatasets = new Map<string, Set<string>>();
  for (const v of versions) {
    const name = (v.lineage as Lineage).dataset?.name;
    const model = modelRows.find((m) => m.id === v.modelId);
    if (!name || !model) continue;
    if (!datasetTeam.has(name)) datasetTeam.set(name, model.team);
    modelDatasets.set(model.slug, (modelDatasets.get(model.slug) ?? new Set()).add(name));
  }

  const datasets = await db
    .selectDistinctOn([mlflowDatasets.name], { id: mlflowDatasets.id, name: mlflowDatasets.name })
    .from(mlflowDatasets)
    .orderBy(mlflowDatasets.name, sql`${mlflowDatasets.createdAt} desc`);
  // Datasets logged by runs of other experiments (not in lineage) still get an owner through the models trained on them.
  const inputs = datasets.length
    ? await db
        .select({ dataset: mlflowDatasets.name, model: models.slug, team: models.team })
        .from(mlflowRunInputs)
        .innerJoin(mlflowDatasets, eq(mlflowDatasets.id, mlflowRunInputs.datasetId))
        .innerJoin(modelVersions, sql`${modelVersions.lineage}->>'sourceRunId' = ${mlflowRunInputs.runId}`)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(
          inArray(
            mlflowDatasets.id,
            datasets.map((d) => d.id),
          ),
        )
    : [];
  for (const i of inputs) {
    if (!datasetTeam.has(i.dataset)) datasetTeam.set(i.dataset, i.team);
    modelDatasets.set(i.model, (modelDatasets.get(i.model) ?? new Set()).add(i.dataset));
  }

  const targets = await db.select().from(deploymentTargets).orderBy(asc(deploymentTargets.slug));
  const deployed = await db
    .select({ model: models.slug, target: deploymentTargets.slug, kind: deploymentTargets.kind })
    .from(deployments)
    .innerJoin(models, eq(models.id, deployments.modelId))
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
    .orderBy(asc(deploymentTargets.slug));
  const targetKind = (kind: string) => (kind === "edge-fleet" ? ("fleet" as const) : ("serving-target" as const));

  const rows: Row[] = [];
  for (const m of modelRows) {
    const mine = versions.filter((v) => v.modelId === m.id);
    const repo = mine.map((v) => (v.lineage as Lineage).gitRepository).find(Boolean);
    const links: CatalogLink[] = [
      repo?.startsWith("https://git.internal/")
        ? { title: "Repository (demo)", url: repo }
        : repo
          ? { title: "Upstream repository", url: repo }
          : { title: "Repository (demo)", url: `https://git.internal/ml/${m.slug}` },
      { title: "Dashboard (demo)", url: `https://grafana.internal/d/models/${m.slug}` },
      { title: "Design doc (demo)", url: `https://docs.internal/models/${m.slug}` },
    ];
    const dependencies: CatalogDependency[] = [
      ...[...(modelDatasets.get(m.slug) ?? [])].sort().map((name) => ({ kind: "dataset" as const, name })),
      ...[...new Set(deployed.filter((d) => d.model === m.slug).map((d) => `${targetKind(d.kind)}|${d.target}`))].map((k) => {
        const [kind, name] = k.split("|") as ["fleet" | "serving-target", string];
        return { kind, name };
      }),
    ];
    rows.push({
      kind: "model",
      name: m.slug,
      refId: m.id,
      title: m.name,
      ownerTeamId: teamId(m.team),
      rotationId: rotationId(m.team),
      links,
      lifecycle: mine.some((v) => v.status === "approved") ? "production" : "experimental",
      dependencies,
    });
  }
  for (const t of targets) {
    const kind = targetKind(t.kind);
    rows.push({
      kind,
      name: t.slug,
      refId: t.id,
      title: t.name,
      ownerTeamId: teamId("platform"),
      rotationId: rotations.find((r) => r.name === (kind === "fleet" ? CAMERA_ROTATION : CLOUD_ROTATION))?.id ?? null,
      links: [
        { title: "Dashboard (demo)", url: `https://grafana.internal/d/targets/${t.slug}` },
        { title: "Operations guide (demo)", url: `https://docs.internal/targets/${t.slug}` },
      ],
      lifecycle: DEPRECATED_TARGETS.has(t.slug) ? "deprecated" : t.environment === "production" ? "production" : "experimental",
      dependencies: [{ runtime: `onnxruntime ${t.runtime.onnxRuntime}` }],
    });
  }
  for (const d of datasets) {
    rows.push({
      kind: "dataset",
      name: d.name,
      refId: d.id,
      title: d.name,
      ownerTeamId: teamId(datasetTeam.get(d.name) ?? "platform"),
      // Datasets page nobody: a broken dataset shows up as a model's alert.
      rotationId: null,
      links: [{ title: "Data card (demo)", url: `https://data.internal/datasets/${d.name}` }],
      lifecycle: "production",
      dependencies: [],
    });
  }
  const books = await db.select({ id: runbooks.id, title: runbooks.title, links: runbooks.links }).from(runbooks).orderBy(asc(runbooks.title));
  const seen = new Set<string>();
  for (const b of books) {
    const name = runbookName(b.title);
    if (seen.has(name)) continue;
    seen.add(name);
    const team = modelRows.find((m) => b.links.models.includes(m.slug))?.team ?? "platform";
    rows.push({
      kind: "runbook",
      name,
      refId: b.id,
      title: b.title,
      ownerTeamId: teamId(team),
      rotationId: rotationId(team),
      links: [{ title: "Wiki copy (demo)", url: `https://wiki.internal/runbooks/${name}` }],
      lifecycle: "production",
      dependencies: b.links.models.filter((slug) => modelRows.some((m) => m.slug === slug)).map((slug) => ({ kind: "model" as const, name: slug })),
    });
  }
  if (!rows.length) return;
  const inserted = await db.insert(catalogEntities).values(rows).onConflictDoNothing().returning({ kind: catalogEntities.kind, name: catalogEntities.name });
  await writeAudit(db, null, { action: "catalog.seed", entityType: "catalog_entity", entityId: "demo", after: { entries: inserted.length } });
}
