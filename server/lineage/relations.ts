// How lineage entities link, as batched SQL: each relation answers the neighbours of a whole frontier of
// one kind in one statement, capped per source node (window functions), so a hop is a few queries however wide.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { TRIGGER_TAG } from "@/server/webhooks/schemas";
import type { FocusKind, NodeKind } from "./schemas";

export type Direction = "up" | "down";
export type Pair = { src: string; dst: string; role: string | null; total: number; detail: Record<string, unknown> | null };

type Relation = {
  to: NodeKind;
  /** The edge drawn from upstream to downstream. */
  label: string;
  /** Inner query over the frontier ids: columns src, dst, role, ord, detail (jsonb or null). */
  query: (ids: SQL) => SQL;
};

const list = (ids: string[]) =>
  sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );

// The version an alert fired for: the drift monitor's version, else "<model>/<n>/..." in its subject, else the
// model's production alias (the same rule the retraining request uses when it names a version).
const alertVersionJoin = sql`
  join model_versions mv on mv.model_id = a.model_id and mv.number = coalesce(
    (select dm.version from drift_monitors dm where a.rule_key = 'drift:' || dm.id::text),
    (substring(a.subject from '^[^/]+/([0-9]{1,9})(/|$)'))::int,
    (select pv.number from model_aliases al join model_versions pv on pv.id = al.version_id where al.model_id = a.model_id and al.alias = 'production'))`;

const RELATIONS: Partial<Record<`${FocusKind}:${Direction}`, Relation[]>> = {
  "dataset:down": [
    {
      to: "run",
      label: "trained on",
      query: (ids) => sql`select ri.dataset_id::text as src, ri.run_id as dst, ri.tags as detail, null as role, r.start_time as ord
        from mlflow_run_inputs ri join runs r on r.run_id = ri.run_id where ri.dataset_id in (${ids})`,
    },
  ],
  "run:up": [
    {
      to: "dataset",
      label: "trained on",
      query: (ids) => sql`select ri.run_id as src, ri.dataset_id::text as dst, ri.tags as detail, null as role, ri.created_at as ord
        from mlflow_run_inputs ri where ri.run_id in (${ids})`,
    },
    {
      to: "alert",
      label: "triggered",
      query: (ids) => sql`select rt.run_id as src, a.id::text as dst, null::jsonb as detail, null as role, a.started_at as ord
        from run_tags rt join alerts a on a.id::text = rt.value where rt.key = ${TRIGGER_TAG} and rt.run_id in (${ids})`,
    },
  ],
  "run:down": [
    {
      to: "version",
      label: "registered from",
      query: (ids) => sql`select mv.lineage ->> 'sourceRunId' as src, mv.id::text as dst, null::jsonb as detail, null as role, mv.created_at as ord
        from model_versions mv where (mv.lineage ->> 'sourceRunId') in (${ids})`,
    },
  ],
  "version:up": [
    {
      to: "run",
      label: "registered from",
      query: (ids) => sql`select mv.id::text as src, r.run_id as dst, null::jsonb as detail, null as role, r.start_time as ord
        from model_versions mv join runs r on r.run_id = (mv.lineage ->> 'sourceRunId') where mv.id in (${ids})`,
    },
    {
      to: "version",
      label: "derived from",
      query: (ids) => sql`select mv.id::text as src, mv.parent_version_id::text as dst, null::jsonb as detail, null as role, mv.created_at as ord
        from model_versions mv where mv.parent_version_id is not null and mv.id in (${ids})`,
    },
  ],
  "version:down": [
    {
      to: "version",
      label: "derived from",
      query: (ids) => sql`select mv.parent_version_id::text as src, mv.id::text as dst, null::jsonb as detail, null as role, mv.created_at as ord
        from model_versions mv where mv.parent_version_id in (${ids})`,
    },
    {
      to: "deployment",
      label: "deployed to",
      query: (ids) => sql`select d.stable_version_id::text as src, d.id::text as dst, null::jsonb as detail, 'stable' as role, d.updated_at as ord
          from deployments d where d.stable_version_id in (${ids})
        union all
        select d.candidate_version_id::text, d.id::text, null::jsonb, 'candidate', d.updated_at
          from deployments d where d.candidate_version_id in (${ids})`,
    },
    {
      to: "alert",
      label: "fired for",
      query: (ids) => sql`select mv.id::text as src, a.id::text as dst, null::jsonb as detail, null as role, a.started_at as ord
        from alerts a ${alertVersionJoin}
        where mv.id in (${ids}) and a.model_id in (select model_id from model_versions where id in (${ids}))`,
    },
    {
      to: "incident",
      label: "affected",
      query: (ids) => sql`select mv.id::text as src, i.id::text as dst, null::jsonb as detail, null as role, i.declared_at as ord
        from model_versions mv join incidents i on i.model_id = mv.model_id and i.versions @> jsonb_build_array(mv.number)
        where mv.id in (${ids})`,
    },
  ],
  "deployment:up": [
    {
      to: "version",
      label: "deployed to",
      query: (ids) => sql`select d.id::text as src, d.stable_version_id::text as dst, null::jsonb as detail, 'stable' as role, d.updated_at as ord
          from deployments d where d.id in (${ids})
        union all
        select d.id::text, d.candidate_version_id::text, null::jsonb, 'candidate', d.updated_at
          from deployments d where d.candidate_version_id is not null and d.id in (${ids})`,
    },
  ],
  "deployment:down": [
    {
      to: "target",
      label: "ran on",
      query: (ids) => sql`select d.id::text as src, d.target_id::text as dst, null::jsonb as detail, null as role, d.updated_at as ord
        from deployments d where d.id in (${ids})`,
    },
    {
      // Device cohorts of the target that report running one of the model's versions (the last report wins).
      to: "cohort",
      label: "ran on",
      query: (ids) => sql`select d.id::text as src,
          d.id::text || '~' || dv.hardware_class || '~' || dv.firmware || '~' || dv.region || '~' || s.running_version as dst,
          jsonb_build_object('hardwareClass', dv.hardware_class, 'firmware', dv.firmware, 'region', dv.region,
            'version', s.running_version, 'devices', count(*)::int, 'deployment', d.id::text, 'model', m.slug) as detail,
          null as role, count(*) as ord
        from deployments d
        join models m on m.id = d.model_id
        join device_model_states s on s.model_id = d.model_id and s.running_version is not null
        join devices dv on dv.id = s.device_id and dv.target_id = d.target_id
        where d.id in (${ids})
        group by d.id, m.slug, dv.hardware_class, dv.firmware, dv.region, s.running_version`,
    },
    {
      to: "incident",
      label: "affected",
      query: (ids) => sql`select d.id::text as src, i.id::text as dst, null::jsonb as detail, null as role, i.declared_at as ord
        from deployments d join incidents i on i.model_id = d.model_id and i.deployment_ids @> jsonb_build_array(d.id::text)
        where d.id in (${ids})`,
    },
  ],
  "target:up": [
    {
      to: "deployment",
      label: "ran on",
      query: (ids) => sql`select d.target_id::text as src, d.id::text as dst, null::jsonb as detail, null as role, d.updated_at as ord
        from deployments d where d.target_id in (${ids})`,
    },
  ],
  "alert:up": [
    {
      to: "version",
      label: "fired for",
      query: (ids) => sql`select a.id::text as src, mv.id::text as dst, null::jsonb as detail, null as role, mv.created_at as ord
        from alerts a ${alertVersionJoin} where a.id in (${ids})`,
    },
  ],
  "alert:down": [
    {
      to: "incident",
      label: "escalated to",
      query: (ids) => sql`select i.alert_id::text as src, i.id::text as dst, null::jsonb as detail, null as role, i.declared_at as ord
        from incidents i where i.alert_id in (${ids})`,
    },
    {
      to: "run",
      label: "triggered",
      query: (ids) => sql`select rt.value as src, rt.run_id as dst, null::jsonb as detail, null as role, r.start_time as ord
        from run_tags rt join runs r on r.run_id = rt.run_id where rt.key = ${TRIGGER_TAG} and rt.value in (${ids})`,
    },
  ],
  "incident:up": [
    {
      to: "alert",
      label: "escalated to",
      query: (ids) => sql`select i.id::text as src, i.alert_id::text as dst, null::jsonb as detail, null as role, i.declared_at as ord
        from incidents i where i.alert_id is not null and i.id in (${ids})`,
    },
    {
      to: "version",
      label: "affected",
      query: (ids) => sql`select i.id::text as src, mv.id::text as dst, null::jsonb as detail, null as role, mv.created_at as ord
        from incidents i join model_versions mv on mv.model_id = i.model_id and i.versions @> jsonb_build_array(mv.number)
        where i.id in (${ids})`,
    },
    {
      to: "deployment",
      label: "affected",
      query: (ids) => sql`select i.id::text as src, d.id::text as dst, null::jsonb as detail, null as role, d.updated_at as ord
        from incidents i cross join lateral jsonb_array_elements_text(i.deployment_ids) as dep(id)
        join deployments d on d.id::text = dep.id where i.id in (${ids})`,
    },
  ],
  "incident:down": [
    {
      // The retraining run the incident's alert asked for.
      to: "run",
      label: "triggered",
      query: (ids) => sql`select i.id::text as src, rt.run_id as dst, null::jsonb as detail, null as role, r.start_time as ord
        from incidents i join run_tags rt on rt.key = ${TRIGGER_TAG} and rt.value = i.alert_id::text join runs r on r.run_id = rt.run_id
        where i.id in (${ids})`,
    },
  ],
};

export function relationsOf(kind: FocusKind, dir: Direction): Relation[] {
  return RELATIONS[`${kind}:${dir}`] ?? [];
}

/** The neighbours of every id in `ids` over one relation: at most `cap` per source, with the true count per source. */
export async function neighbours(db: Db, rel: Relation, ids: string[], cap: number): Promise<Pair[]> {
  if (!ids.length) return [];
  const rows = await queryRows(
    db,
    sql`select src, dst, role, detail, total from (
      select q.src, q.dst, q.role, q.detail,
        row_number() over (partition by q.src order by q.ord desc nulls last, q.dst) as rn,
        count(*) over (partition by q.src) as total
      from (${rel.query(list(ids))}) q where q.dst is not null
    ) x where rn <= ${cap}`,
  );
  return rows.map((r) => ({
    src: String(r.src),
    dst: String(r.dst),
    role: r.role === null || r.role === undefined ? null : String(r.role),
    total: Number(r.total),
    detail: r.detail && typeof r.detail === "object" ? (r.detail as Record<string, unknown>) : null,
  }));
}
