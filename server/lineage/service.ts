// The lineage graph around one entity (dataset → run → version → deployment → devices → alerts and incidents →
// the retraining run), and the impact questions answered by walking it downstream.
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deploymentTargets, models, modelVersions } from "@/db/schema";
import { NotFound } from "@/server/errors";
import { cohortNode, describe, nodeId, type LineageNode } from "./nodes";
import { neighbours, relationsOf, type Direction } from "./relations";
import { FOCUS_KINDS, ZDatasetImpact, ZImpactQuery, ZLineageQuery, ZRunIncidents, type FocusKind, type NodeKind, type TEntityRef } from "./schemas";

export type { LineageNode } from "./nodes";
export type LineageEdge = { from: string; to: string; label: string };
export type LineageGraph = { focus: string; depth: number; nodes: LineageNode[]; edges: LineageEdge[]; truncated: boolean };

/** Past this many neighbours of one kind, a node's neighbours are drawn as one "N runs" node. */
export const COLLAPSE_AT = 6;
/** Per-source cap when nothing collapses (impact walks); the true count is still reported. */
const IMPACT_CAP = 500;
const GRAPH_MAX_NODES = 200;
const IMPACT_MAX_NODES = 5000;

const PLURAL: Record<NodeKind, string> = {
  dataset: "datasets",
  run: "runs",
  version: "versions",
  deployment: "deployments",
  target: "targets",
  alert: "alerts",
  incident: "incidents",
  cohort: "device cohorts",
  group: "groups",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isFocusKind = (k: NodeKind): k is FocusKind => (FOCUS_KINDS as readonly string[]).includes(k);

/** "<model slug>/<n>" and target slugs become ids; anything else is already one. */
async function resolveRef(db: Db, ref: TEntityRef): Promise<TEntityRef> {
  if (ref.kind === "version" && ref.id.includes("/")) {
    const [slug, n] = ref.id.split("/");
    const [v] = await db
      .select({ id: modelVersions.id })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(and(eq(models.slug, slug), eq(modelVersions.number, Number(n))));
    if (!v) throw new NotFound(`Version ${ref.id}`);
    return { kind: "version", id: v.id };
  }
  if (ref.kind === "target" && !UUID.test(ref.id)) {
    const [t] = await db.select({ id: deploymentTargets.id }).from(deploymentTargets).where(eq(deploymentTargets.slug, ref.id));
    if (!t) throw new NotFound(`Target ${ref.id}`);
    return { kind: "target", id: t.id };
  }
  return ref;
}

type WalkOptions = {
  depth: number;
  /** null: never collapse (impact walks). */
  collapseAt: number | null;
  /** Directions walked from the focus; a node reached upstream is walked further upstream only, and likewise downstream. */
  directions: Direction[];
  /** Only these kinds are entered (impact walks); all when absent. */
  through?: ReadonlySet<NodeKind>;
  maxNodes: number;
};

async function walk(db: Db, ref: TEntityRef, o: WalkOptions): Promise<LineageGraph> {
  const focus = await resolveRef(db, ref);
  const first = (await describe(db, focus.kind, [focus.id])).get(focus.id);
  if (!first) throw new NotFound(`${focus.kind[0].toUpperCase()}${focus.kind.slice(1)} ${ref.id}`);
  const nodes = new Map<string, LineageNode>([[first.id, first]]);
  const edges = new Map<string, LineageEdge>();
  const addEdge = (from: string, to: string, label: string) => edges.set(`${from}>${to}>${label}`, { from, to, label });
  let frontier: { kind: FocusKind; id: string; dirs: Direction[] }[] = [{ kind: focus.kind, id: focus.id, dirs: o.directions }];
  let truncated = false;

  for (let hop = 0; hop < o.depth && frontier.length && !truncated; hop++) {
    const next: typeof frontier = [];
    const pending = new Map<FocusKind, Map<string, { dir: Direction; edges: LineageEdge[] }>>();
    const batches = new Map<string, { kind: FocusKind; dir: Direction; ids: string[] }>();
    for (const f of frontier)
      for (const dir of f.dirs) {
        const key = `${f.kind}:${dir}`;
        const b = batches.get(key) ?? { kind: f.kind, dir, ids: [] };
        b.ids.push(f.id);
        batches.set(key, b);
      }
    for (const { kind, dir, ids } of batches.values()) {
      for (const rel of relationsOf(kind, dir)) {
        if (o.through && !o.through.has(rel.to)) continue;
        const pairs = await neighbours(db, rel, ids, o.collapseAt === null ? IMPACT_CAP : o.collapseAt + 1);
        // Map.groupBy is Node 21+; the app runs on Node 20.
        const bySrc = new Map<string, typeof pairs>();
        for (const p of pairs) bySrc.set(p.src, [...(bySrc.get(p.src) ?? []), p]);
        for (const [src, ps] of bySrc) {
          const srcId = nodeId(kind, src);
          const draw = (dstId: string, role: string | null) => {
            const label = role === "candidate" ? `${rel.label} (canary)` : rel.label;
            return dir === "down" ? { from: srcId, to: dstId, label } : { from: dstId, to: srcId, label };
          };
          const total = ps[0].total;
          if (o.collapseAt !== null && total > o.collapseAt) {
            const gid = nodeId("group", `${kind}:${src}:${dir}:${rel.to}:${rel.label}`);
            const srcNode = nodes.get(srcId);
            nodes.set(gid, {
              id: gid,
              kind: "group",
              groupKind: rel.to,
              label: `${total} ${PLURAL[rel.to]}`,
              href: srcNode?.href ?? "/",
              meta: { kind: rel.to, count: total },
              expandable: false,
              count: total,
            });
            const e = draw(gid, null);
            addEdge(e.from, e.to, e.label);
            continue;
          }
          for (const p of ps) {
            const dstId = nodeId(rel.to, p.dst);
            const e = draw(dstId, p.role);
            if (rel.to === "cohort") {
              if (p.detail) nodes.set(dstId, cohortNode(p.dst, p.detail));
              addEdge(e.from, e.to, e.label);
              continue;
            }
            if (!isFocusKind(rel.to)) continue;
            if (nodes.has(dstId)) {
              addEdge(e.from, e.to, e.label);
              continue;
            }
            const byKind = pending.get(rel.to) ?? new Map();
            const slot = byKind.get(p.dst) ?? { dir, edges: [] };
            slot.edges.push(e);
            byKind.set(p.dst, slot);
            pending.set(rel.to, byKind);
          }
        }
      }
    }
    for (const [kind, byId] of pending) {
      const described = await describe(db, kind, [...byId.keys()]);
      for (const [id, slot] of byId) {
        const n = described.get(id);
        if (!n) continue;
        if (nodes.size >= o.maxNodes) {
          truncated = true;
          break;
        }
        nodes.set(n.id, n);
        for (const e of slot.edges) addEdge(e.from, e.to, e.label);
        next.push({ kind, id, dirs: [slot.dir] });
      }
    }
    frontier = next;
  }
  return { focus: first.id, depth: o.depth, nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}

/** The graph within `depth` hops of an entity, upstream and downstream, large neighbourhoods collapsed by kind. */
export async function getLineage(db: Db, input: unknown): Promise<LineageGraph> {
  const p = ZLineageQuery.parse(input);
  return walk(db, p.entity, { depth: p.depth, collapseAt: COLLAPSE_AT, directions: ["up", "down"], maxNodes: GRAPH_MAX_NODES });
}

export type ImpactItem = { id: string; label: string; href: string };
export type Impact = {
  focus: string;
  versions: ImpactItem[];
  deployments: ImpactItem[];
  targets: ImpactItem[];
  /** Device cohorts running one of those versions, with their device counts. */
  cohorts: (ImpactItem & { devices: number })[];
  devices: number;
  incidents: ImpactItem[];
  truncated: boolean;
};

async function downstream(db: Db, ref: TEntityRef, through: NodeKind[]): Promise<Impact> {
  const g = await walk(db, ref, { depth: 8, collapseAt: null, directions: ["down"], through: new Set(through), maxNodes: IMPACT_MAX_NODES });
  const of = (kind: NodeKind) =>
    g.nodes
      .filter((n) => n.kind === kind && n.id !== g.focus)
      .map((n) => ({ id: n.id, label: n.label, href: n.href }))
      .sort((a, b) => a.label.localeCompare(b.label));
  // A deployment's cohorts include devices still on (or already past) other versions: only those running one of
  // the versions downstream of the focus count.
  const reached = new Set(g.nodes.filter((n) => n.kind === "version").map((n) => `${String(n.meta.model)}/${String(n.meta.number)}`));
  const cohorts = g.nodes
    .filter((n) => n.kind === "cohort" && reached.has(`${String(n.meta.model)}/${String(n.meta.version)}`))
    .map((n) => ({ id: n.id, label: n.label, href: n.href, devices: n.count ?? 0 }))
    .sort((a, b) => b.devices - a.devices || a.label.localeCompare(b.label));
  return {
    focus: g.focus,
    versions: of("version"),
    deployments: of("deployment"),
    targets: of("target"),
    cohorts,
    devices: cohorts.reduce((s, c) => s + c.devices, 0),
    incidents: of("incident"),
    truncated: g.truncated,
  };
}

// Impact follows what an entity produced, not what a retraining it triggered produced: alerts are not entered.
const IMPACT_KINDS: NodeKind[] = ["run", "version", "deployment", "target", "cohort", "incident"];

/** What sits downstream of an entity: the versions, deployments, targets, device cohorts and incidents it reaches. */
export async function getImpact(db: Db, input: unknown): Promise<Impact> {
  const p = ZImpactQuery.parse(input);
  return downstream(db, p.entity, IMPACT_KINDS);
}

/** Which deployments, targets and devices run a version trained on this dataset (derived versions included). */
export async function devicesRunningDataset(db: Db, input: unknown) {
  const p = ZDatasetImpact.parse(input);
  const i = await downstream(db, { kind: "dataset", id: p.dataset }, ["run", "version", "deployment", "target", "cohort"]);
  return { dataset: i.focus, versions: i.versions, deployments: i.deployments, targets: i.targets, cohorts: i.cohorts, devices: i.devices };
}

/** Which incidents touched versions registered from this run (or derived from them), directly or through a deployment or alert. */
export async function incidentsFromRun(db: Db, input: unknown) {
  const p = ZRunIncidents.parse(input);
  const i = await downstream(db, { kind: "run", id: p.run.toLowerCase() }, ["version", "deployment", "alert", "incident"]);
  return { run: i.focus, versions: i.versions, incidents: i.incidents };
}
