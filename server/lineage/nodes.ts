// What a lineage node shows: label, page and a few facts, loaded in one query per kind for a whole hop.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, deployments, deploymentTargets, incidents, mlflowDatasets, models, modelVersions, params as runParams, runs, runTags } from "@/db/schema";
import type { FocusKind, NodeKind } from "./schemas";

export type LineageNode = {
  /** "<kind>:<id>": also the entity to ask for when expanding the node. */
  id: string;
  kind: NodeKind;
  label: string;
  href: string;
  meta: Record<string, string | number | boolean | null>;
  /** Set on nodes the graph can be re-centred on (not on cohorts and collapsed groups). */
  expandable: boolean;
  /** Collapsed groups: how many entities of `groupKind` they stand for. */
  count?: number;
  groupKind?: NodeKind;
};

/** How many params a run node carries; the run page has the rest. */
const RUN_PARAMS = 6;
const COMMIT_TAG = "mlflow.source.git.commit";

export const nodeId = (kind: NodeKind, id: string) => `${kind}:${id}`;

export async function describe(db: Db, kind: FocusKind, ids: string[]): Promise<Map<string, LineageNode>> {
  const out = new Map<string, LineageNode>();
  if (!ids.length) return out;
  const put = (id: string, n: Omit<LineageNode, "id" | "kind" | "expandable">) => out.set(id, { id: nodeId(kind, id), kind, expandable: true, ...n });
  switch (kind) {
    case "dataset": {
      const rows = await db.select().from(mlflowDatasets).where(inArray(mlflowDatasets.id, ids));
      for (const d of rows)
        put(d.id, {
          label: `${d.name} @ ${d.digest.slice(0, 8)}`,
          // No dataset page of its own: its lineage view is the page.
          href: `/lineage?entity=dataset:${d.id}`,
          meta: { name: d.name, digest: d.digest, sourceType: d.sourceType, source: d.source.slice(0, 300) },
        });
      break;
    }
    case "run": {
      const rows = await db
        .select({ runId: runs.runId, name: runs.runName, status: runs.status, experimentId: runs.experimentId, lifecycle: runs.lifecycleStage })
        .from(runs)
        .where(inArray(runs.runId, ids));
      const commits = await db
        .select({ runId: runTags.runId, value: runTags.value })
        .from(runTags)
        .where(and(inArray(runTags.runId, ids), eq(runTags.key, COMMIT_TAG)));
      const commitOf = new Map(commits.map((c) => [c.runId, c.value]));
      // A few params per run, not all of them: a run may log thousands.
      const ranked = db
        .select({
          runId: runParams.runId,
          key: runParams.key,
          value: runParams.value,
          rn: sql<number>`row_number() over (partition by ${runParams.runId} order by ${runParams.key})`.as("rn"),
        })
        .from(runParams)
        .where(inArray(runParams.runId, ids))
        .as("ranked");
      const ps = await db
        .select({ runId: ranked.runId, key: ranked.key, value: ranked.value })
        .from(ranked)
        .where(sql`${ranked.rn} <= ${RUN_PARAMS}`);
      for (const r of rows) {
        const meta: LineageNode["meta"] = { status: r.status, commit: commitOf.get(r.runId)?.slice(0, 12) ?? null };
        for (const p of ps) if (p.runId === r.runId) meta[`param.${p.key}`] = p.value.slice(0, 80);
        put(r.runId, { label: r.name || `Run ${r.runId.slice(0, 8)}`, href: `/experiments/${r.experimentId}/runs/${r.runId}`, meta });
      }
      break;
    }
    case "version": {
      const rows = await db
        .select({
          id: modelVersions.id,
          number: modelVersions.number,
          status: modelVersions.status,
          lineage: modelVersions.lineage,
          slug: models.slug,
          name: models.name,
        })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(inArray(modelVersions.id, ids));
      for (const v of rows) {
        const l = (v.lineage ?? {}) as { gitCommit?: string; dataset?: { name?: string; version?: string } };
        put(v.id, {
          label: `${v.name} v${v.number}`,
          href: `/models/${v.slug}/versions/${v.number}`,
          meta: {
            model: v.slug,
            number: v.number,
            status: v.status,
            commit: l.gitCommit ?? null,
            dataset: l.dataset?.name ? `${l.dataset.name}${l.dataset.version ? ` ${l.dataset.version}` : ""}` : null,
          },
        });
      }
      break;
    }
    case "deployment": {
      const rows = await db
        .select({ id: deployments.id, state: deployments.state, model: models.name, target: deploymentTargets.name, env: deploymentTargets.environment })
        .from(deployments)
        .innerJoin(models, eq(models.id, deployments.modelId))
        .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
        .where(inArray(deployments.id, ids));
      for (const d of rows) put(d.id, { label: `${d.model} on ${d.target}`, href: `/deployments/${d.id}`, meta: { state: d.state, environment: d.env } });
      break;
    }
    case "target": {
      const rows = await db.select().from(deploymentTargets).where(inArray(deploymentTargets.id, ids));
      for (const t of rows)
        put(t.id, { label: t.name, href: `/lineage?entity=target:${t.id}`, meta: { slug: t.slug, kind: t.kind, environment: t.environment } });
      break;
    }
    case "alert": {
      const rows = await db
        .select({ id: alerts.id, title: alerts.title, state: alerts.state, severity: alerts.severity, kind: alerts.kind })
        .from(alerts)
        .where(inArray(alerts.id, ids));
      for (const a of rows) put(a.id, { label: a.title, href: `/alerts#alert-${a.id}`, meta: { state: a.state, severity: a.severity, kind: a.kind } });
      break;
    }
    case "incident": {
      const rows = await db
        .select({ id: incidents.id, number: incidents.number, title: incidents.title, status: incidents.status, severity: incidents.severity })
        .from(incidents)
        .where(inArray(incidents.id, ids));
      for (const i of rows) put(i.id, { label: `INC-${i.number} ${i.title}`, href: `/incidents/${i.id}`, meta: { status: i.status, severity: i.severity } });
      break;
    }
  }
  return out;
}

/** A device cohort node, from the facts its relation row carries. */
export function cohortNode(id: string, d: Record<string, unknown>): LineageNode {
  const devices = Number(d.devices ?? 0);
  return {
    id: nodeId("cohort", id),
    kind: "cohort",
    label: `${String(d.hardwareClass)} · ${String(d.firmware)} · ${String(d.region)} (v${String(d.version)})`,
    href: `/deployments/${String(d.deployment)}`,
    meta: {
      model: String(d.model),
      hardwareClass: String(d.hardwareClass),
      firmware: String(d.firmware),
      region: String(d.region),
      version: Number(d.version),
      devices,
    },
    expandable: false,
    count: devices,
  };
}
