// Experiment tracking services: experiments, runs, params, tags and metrics with MLflow's semantics.
// The MLflow door, tRPC and the seed all call these; each mutation writes its audit row in its transaction.
import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, getTableColumns, ilike, inArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { queryRows, type Db } from "@/db/client";
import { auditLog, DEFAULT_EXPERIMENT_ID, experiments, experimentTags, latestMetrics, metrics, params, runs, runTags, users } from "@/db/schema";
import { auditValues, writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Invalid, NotFound } from "@/server/errors";
import { versionsFromRun } from "@/server/registry/service";
import { compareSql, compileFilter, compileOrderBy, parseEntityFilter, parseFilter, parseOrderByList } from "./filter";
import { withStatementTimeout } from "./statement-timeout";
import { decodePageToken, encodePageToken, ZHistoryToken, ZOffsetToken } from "./page-token";
import {
  ZCreateExperiment,
  ZCreateRun,
  ZDeleteTag,
  ZExperimentId,
  ZGetMetricHistory,
  ZLogBatch,
  ZRenameExperiment,
  ZSearchExperiments,
  ZSearchRuns,
  ZSetExperimentTag,
  ZSingleLog,
  ZKeysQuery,
  ZListExperiments,
  ZRunsTable,
  ZRunGroups,
  ZUpdateRun,
} from "./schemas";

export type ExperimentRow = typeof experiments.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type KeyValue = { key: string; value: string };
export type MetricPoint = { key: string; value: number; timestamp: number; step: number };
export type ExperimentView = ExperimentRow & { tags: KeyValue[] };
export type RunView = { info: RunRow; data: { metrics: MetricPoint[]; params: KeyValue[]; tags: KeyValue[] } };

/** MLflow's system tag holding the run name. */
export const RUN_NAME_TAG = "mlflow.runName";
const ID_CHUNK = 5000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Where runs and experiments keep artifacts when none was given: MLflow's proxied-artifacts scheme. */
export function artifactLocationOf(e: Pick<ExperimentRow, "id" | "artifactLocation">): string {
  return e.artifactLocation || `mlflow-artifacts:/${e.id}`;
}

// ---------------------------------------------------------------- experiments

async function experimentRow(db: Db, experimentId: string | number): Promise<ExperimentRow> {
  const parsed = ZExperimentId.safeParse(String(experimentId));
  if (!parsed.success) throw new NotFound(`Experiment with id=${experimentId}`);
  const [row] = await db
    .select()
    .from(experiments)
    .where(eq(experiments.id, Number(parsed.data)));
  if (!row) throw new NotFound(`Experiment with id=${experimentId}`);
  return row;
}

async function withTags(db: Db, rows: ExperimentRow[]): Promise<ExperimentView[]> {
  if (!rows.length) return [];
  const tags = await db
    .select()
    .from(experimentTags)
    .where(
      inArray(
        experimentTags.experimentId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(experimentTags.key));
  return rows.map((r) => ({ ...r, tags: tags.filter((t) => t.experimentId === r.id).map(({ key, value }) => ({ key, value })) }));
}

export async function createExperiment(db: Db, actor: Actor, input: unknown): Promise<ExperimentView> {
  const data = ZCreateExperiment.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(experiments)
      .values({ name: data.name, artifactLocation: data.artifactLocation ?? "", createdBy: actor.userId, createdByToken: actor.tokenId ?? null })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`Experiment '${data.name}' already exists`);
    const tags = dedupeLastWins(data.tags);
    if (tags.length) await tx.insert(experimentTags).values(tags.map((t) => ({ experimentId: row.id, ...t })));
    const view = { ...row, tags };
    await writeAudit(tx, actor, { action: "experiment.create", entityType: "experiment", entityId: String(row.id), after: view });
    return view;
  });
}

export async function getExperiment(db: Db, experimentId: string): Promise<ExperimentView> {
  return (await withTags(db, [await experimentRow(db, experimentId)]))[0];
}

export async function getExperimentByName(db: Db, name: string): Promise<ExperimentView> {
  const [row] = await db.select().from(experiments).where(eq(experiments.name, name));
  if (!row) throw new NotFound(`Experiment '${name}'`);
  return (await withTags(db, [row]))[0];
}

export async function renameExperiment(db: Db, actor: Actor, input: unknown): Promise<ExperimentView> {
  const data = ZRenameExperiment.parse(input);
  await db.transaction(async (tx) => {
    const before = await experimentRow(tx, data.experimentId);
    if (before.lifecycleStage !== "active")
      throw new Invalid(`The experiment ${before.id} must be in the 'active' state to be renamed. Current state is deleted.`);
    const [clash] = await tx.select({ id: experiments.id }).from(experiments).where(eq(experiments.name, data.newName));
    if (clash && clash.id !== before.id) throw new Conflict(`Experiment '${data.newName}' already exists`);
    const [after] = await tx.update(experiments).set({ name: data.newName, updatedAt: new Date() }).where(eq(experiments.id, before.id)).returning();
    await writeAudit(tx, actor, { action: "experiment.rename", entityType: "experiment", entityId: String(before.id), before, after });
  });
  return getExperiment(db, data.experimentId);
}

/** MLflow's delete is a soft delete (lifecycle "deleted") of the experiment and its runs; the UI calls it archive. */
export async function deleteExperiment(db: Db, actor: Actor, experimentId: string): Promise<ExperimentView> {
  return setExperimentStage(db, actor, experimentId, "deleted");
}

export async function restoreExperiment(db: Db, actor: Actor, experimentId: string): Promise<ExperimentView> {
  return setExperimentStage(db, actor, experimentId, "active");
}

async function setExperimentStage(db: Db, actor: Actor, experimentId: string, stage: "active" | "deleted") {
  await db.transaction(async (tx) => {
    const before = await experimentRow(tx, experimentId);
    if (stage === "deleted" && before.id === DEFAULT_EXPERIMENT_ID) throw new Invalid("The Default experiment (id 0) cannot be deleted");
    if (before.lifecycleStage === stage) {
      if (stage === "deleted") throw new Invalid(`The experiment ${before.id} is already deleted`);
      throw new Invalid(`The experiment ${before.id} is already active`);
    }
    const now = new Date();
    const [after] = await tx
      .update(experiments)
      .set({ lifecycleStage: stage, updatedAt: now, deletedAt: stage === "deleted" ? now : null })
      .where(eq(experiments.id, before.id))
      .returning();
    // Runs follow their experiment, as on MLflow's server (runs deleted on their own before stay deleted on restore).
    const cascaded = await tx
      .update(runs)
      .set({ lifecycleStage: stage, deletedAt: stage === "deleted" ? now : null })
      .where(
        and(
          eq(runs.experimentId, before.id),
          stage === "deleted"
            ? eq(runs.lifecycleStage, "active")
            : and(eq(runs.lifecycleStage, "deleted"), before.deletedAt ? sql`${runs.deletedAt} >= ${before.deletedAt}` : undefined),
        ),
      )
      .returning({ runId: runs.runId });
    await writeAudit(tx, actor, {
      action: stage === "deleted" ? "experiment.delete" : "experiment.restore",
      entityType: "experiment",
      entityId: String(before.id),
      before: { lifecycleStage: before.lifecycleStage },
      after: { lifecycleStage: after.lifecycleStage, runs: cascaded.length },
    });
  });
  return getExperiment(db, experimentId);
}

export async function setExperimentTag(db: Db, actor: Actor, input: unknown): Promise<void> {
  const data = ZSetExperimentTag.parse(input);
  await db.transaction(async (tx) => {
    const exp = await experimentRow(tx, data.experimentId);
    if (exp.lifecycleStage !== "active") throw new Invalid(`The experiment ${exp.id} must be in the 'active' state. Current state is deleted.`);
    const [before] = await tx
      .select()
      .from(experimentTags)
      .where(and(eq(experimentTags.experimentId, exp.id), eq(experimentTags.key, data.key)));
    await tx
      .insert(experimentTags)
      .values({ experimentId: exp.id, key: data.key, value: data.value })
      .onConflictDoUpdate({ target: [experimentTags.experimentId, experimentTags.key], set: { value: data.value } });
    await tx.update(experiments).set({ updatedAt: new Date() }).where(eq(experiments.id, exp.id));
    await writeAudit(tx, actor, {
      action: "experiment.set_tag",
      entityType: "experiment",
      entityId: String(exp.id),
      before: before ?? null,
      after: { key: data.key, value: data.value },
    });
  });
}

const EXPERIMENT_FILTER_ATTRIBUTES = { name: "string", creation_time: "number", last_update_time: "number", experiment_id: "string" } as const;

/** MLflow's experiments/search: filter on name, times and tags; order by name, times or id; offset page tokens. */
export async function searchExperiments(db: Db, input: unknown) {
  const q = ZSearchExperiments.parse(input);
  const where: SQL[] = [];
  if (q.viewType !== "ALL") where.push(eq(experiments.lifecycleStage, q.viewType === "ACTIVE_ONLY" ? "active" : "deleted"));
  for (const c of parseEntityFilter(q.filter, EXPERIMENT_FILTER_ATTRIBUTES)) {
    if (c.kind === "tag") {
      where.push(
        sql`exists (select 1 from ${experimentTags} where ${experimentTags.experimentId} = ${experiments.id} and ${experimentTags.key} = ${c.key} and ${compareSql(sql`${experimentTags.value}`, c.op, c.value)})`,
      );
    } else {
      const expr =
        c.key === "name"
          ? sql`${experiments.name}`
          : c.key === "experiment_id"
            ? sql`${experiments.id}::text`
            : c.key === "creation_time"
              ? sql`(extract(epoch from ${experiments.createdAt}) * 1000)`
              : sql`(extract(epoch from ${experiments.updatedAt}) * 1000)`;
      where.push(compareSql(expr, c.op, c.value));
    }
  }
  const order: SQL[] = q.orderBy.map((clause) => {
    const m = /^\s*(?:attributes?\.)?(name|experiment_id|creation_time|last_update_time)\s*(asc|desc)?\s*$/i.exec(clause);
    if (!m) throw new Invalid(`Invalid order_by clause '${clause}': use name, experiment_id, creation_time or last_update_time, then ASC or DESC`);
    const dir = m[2]?.toLowerCase() === "desc" ? desc : asc;
    const col = { name: experiments.name, experiment_id: experiments.id, creation_time: experiments.createdAt, last_update_time: experiments.updatedAt }[
      m[1].toLowerCase() as "name"
    ];
    return dir(col);
  });
  const offset = decodePageToken(q.pageToken, ZOffsetToken)?.o ?? 0;
  const rows = await db
    .select()
    .from(experiments)
    .where(where.length ? and(...where) : undefined)
    .orderBy(...(order.length ? order : [desc(experiments.createdAt)]), asc(experiments.id))
    .limit(q.maxResults + 1)
    .offset(offset);
  const page = rows.slice(0, q.maxResults);
  return { experiments: await withTags(db, page), nextPageToken: rows.length > q.maxResults ? encodePageToken({ o: offset + q.maxResults }) : null };
}

// ---------------------------------------------------------------- runs

const ADJECTIVES = [
  "amber",
  "bold",
  "brisk",
  "calm",
  "clever",
  "crisp",
  "dapper",
  "eager",
  "fleet",
  "gentle",
  "keen",
  "lucid",
  "nimble",
  "quiet",
  "rapid",
  "sharp",
  "steady",
  "sunny",
  "swift",
  "vivid",
];
const NOUNS = [
  "badger",
  "crane",
  "dolphin",
  "falcon",
  "fox",
  "gecko",
  "heron",
  "ibex",
  "jay",
  "koala",
  "lynx",
  "marten",
  "newt",
  "otter",
  "owl",
  "panda",
  "quail",
  "raven",
  "seal",
  "wren",
];

/** A readable default run name, as MLflow generates one ("bold-falcon-42"). */
export function generateRunName(): string {
  const b = randomBytes(3);
  return `${ADJECTIVES[b[0] % ADJECTIVES.length]}-${NOUNS[b[1] % NOUNS.length]}-${b[2] % 1000}`;
}

export function newRunId(): string {
  return randomBytes(16).toString("hex");
}

async function runRow(db: Db, runId: string, opts: { lock?: boolean } = {}): Promise<RunRow> {
  const q = db.select().from(runs).where(eq(runs.runId, runId));
  const [row] = opts.lock ? await q.for("update") : await q;
  if (!row) throw new NotFound(`Run with id=${runId}`);
  return row;
}

/** Logging and edits need an active run, as MLflow checks (a finished run still takes metrics). */
async function activeRunRow(db: Db, runId: string): Promise<RunRow> {
  const row = await runRow(db, runId, { lock: true });
  if (row.lifecycleStage !== "active") throw new Invalid(`The run ${runId} must be in the 'active' state. Current state is ${row.lifecycleStage}.`);
  return row;
}

function dedupeLastWins(tags: KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}

export async function createRun(db: Db, actor: Actor, input: unknown): Promise<RunView> {
  const data = ZCreateRun.parse(input);
  const experimentId = data.experimentId ?? String(DEFAULT_EXPERIMENT_ID);
  if (!ZExperimentId.safeParse(experimentId).success) throw new NotFound(`Experiment with id=${experimentId}`);
  const tagged = data.tags.find((t) => t.key === RUN_NAME_TAG)?.value;
  if (data.runName && tagged && data.runName !== tagged)
    throw new Invalid(`Both run_name ('${data.runName}') and the ${RUN_NAME_TAG} tag ('${tagged}') were given and they differ`);
  const runName = data.runName || tagged || generateRunName();
  const id = newRunId();
  const row = {
    runId: id,
    runName,
    userId: data.userId ?? actor.email,
    status: "RUNNING" as const,
    startTime: data.startTime ?? Date.now(),
    endTime: null,
    lifecycleStage: "active" as const,
    createdBy: actor.userId,
    createdByToken: actor.tokenId ?? null,
    deletedAt: null,
  };
  const tags = dedupeLastWins([...data.tags.filter((t) => t.key !== RUN_NAME_TAG), { key: RUN_NAME_TAG, value: runName }]);
  const a = auditValues(actor, { action: "run.create", entityType: "run", entityId: id, after: { ...row, tags } });
  // The run, its tags, the experiment's activity and the audit row in ONE statement, atomic on its own: run creation
  // is the hottest write of a sweep, and every statement (and BEGIN/COMMIT) is a round trip. The insert selects from
  // the experiment, so a missing or deleted one inserts nothing and nothing else is written; the artifact location
  // is artifactLocationOf's rule, written in SQL. The experiment's activity is marked at most once a second: its row
  // lock would otherwise queue a sweep's concurrent creations one commit after another.
  const written = await queryRows(
    db,
    sql`with r as (
        insert into ${runs} ("run_id", "experiment_id", "run_name", "user_id", "status", "start_time", "artifact_uri", "created_by", "created_by_token")
        select ${id}, e."id", ${runName}, ${row.userId}, 'RUNNING'::run_status, ${row.startTime}::bigint,
          coalesce(nullif(e."artifact_location", ''), 'mlflow-artifacts:/' || e."id") || ${`/${id}/artifacts`},
          ${row.createdBy}::uuid, ${row.createdByToken}::uuid
        from ${experiments} e where e."id" = ${experimentId}::bigint and e."lifecycle_stage" = 'active'
        returning "experiment_id", "artifact_uri", "created_at"),
      t as (insert into ${runTags} ("run_id", "key", "value") select ${id}, k, v from r, unnest(${sql.param(tags.map((t) => t.key))}::text[], ${sql.param(tags.map((t) => t.value))}::text[]) as x(k, v)),
      u as (update ${experiments} set "updated_at" = now()
        where "id" = ${experimentId}::bigint and "updated_at" < now() - interval '1 second' and exists (select 1 from r)),
      a as (
        insert into ${auditLog} ("actor_user_id", "actor_token_id", "actor_label", "action", "entity_type", "entity_id", "after", "request_id")
        select ${a.actorUserId}::uuid, ${a.actorTokenId}::uuid, ${a.actorLabel}, ${a.action}, ${a.entityType}, ${a.entityId},
          ${JSON.stringify(a.after)}::jsonb || jsonb_build_object('experimentId', r."experiment_id", 'artifactUri', r."artifact_uri"), ${a.requestId} from r)
      select "experiment_id", "artifact_uri", "created_at" from r`,
    { prepared: "run_create" },
  );
  if (!written.length) {
    // Nothing written: say why, as MLflow does (no such experiment, or not active).
    const exp = await experimentRow(db, experimentId);
    throw new Invalid(`The experiment ${exp.id} must be in the 'active' state. Current state is ${exp.lifecycleStage}.`);
  }
  const w = written[0];
  // Sorted by key, as loadRunData returns them.
  const sorted = [...tags].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return {
    info: { ...row, experimentId: Number(w.experiment_id), artifactUri: String(w.artifact_uri), createdAt: new Date(w.created_at as string | Date) },
    data: { metrics: [], params: [], tags: sorted.map(({ key, value }) => ({ key, value })) },
  };
}

/** Params, tags and latest metrics for many runs in three queries (chunked for very long id lists). */
export async function loadRunData(db: Db, runIds: string[], keys: { params?: string[]; metrics?: string[]; tags?: string[] } = {}) {
  const data = new Map<string, RunView["data"]>(runIds.map((id) => [id, { metrics: [], params: [], tags: [] }]));
  for (const ids of chunks(runIds, ID_CHUNK)) {
    const only = (col: AnyPgColumn, list?: string[]) => (list ? (list.length ? inArray(col, list) : sql`false`) : undefined);
    const [ps, ts, ms] = await Promise.all([
      db
        .select()
        .from(params)
        .where(and(inArray(params.runId, ids), only(params.key, keys.params)))
        .orderBy(asc(params.key)),
      db
        .select()
        .from(runTags)
        .where(and(inArray(runTags.runId, ids), only(runTags.key, keys.tags)))
        .orderBy(asc(runTags.key)),
      db
        .select()
        .from(latestMetrics)
        .where(and(inArray(latestMetrics.runId, ids), only(latestMetrics.key, keys.metrics)))
        .orderBy(asc(latestMetrics.key)),
    ]);
    for (const p of ps) data.get(p.runId)!.params.push({ key: p.key, value: p.value });
    for (const t of ts) data.get(t.runId)!.tags.push({ key: t.key, value: t.value });
    for (const m of ms) data.get(m.runId)!.metrics.push({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step });
  }
  return data;
}

/** A double as json_agg writes it: NaN and the infinities come as strings. */
const jsonNumber = (v: number | string): number => (typeof v === "number" ? v : Number(v));

/** The runs table's columns in a run view, in the order RUN_VIEW_JSON writes them. */
const RUN_COLUMNS = Object.entries(getTableColumns(runs)) as [keyof RunRow, AnyPgColumn][];

/**
 * A whole run as one JSON array, for a statement with `runs` (not aliased) in its FROM: its columns, then its params,
 * tags and latest metrics (arrays of arrays, or null), then whether it has dataset inputs. Pages of these are
 * aggregated into one JSON text: the embedded database hands each row and column through its wire protocol and then
 * across threads, which cost more than building the runs (100 runs of 15 columns: 1.2 ms of 4.4), and a page as one
 * string is parsed once, off its thread.
 */
const RUN_VIEW_JSON = sql`json_build_array(${sql.join(
  RUN_COLUMNS.map(([, column]) => sql`${column}`),
  sql`, `,
)},
  (select json_agg(json_build_array(p.key, p.value) order by p.key) from ${params} p where p.run_id = ${runs.runId}),
  (select json_agg(json_build_array(t.key, t.value) order by t.key) from ${runTags} t where t.run_id = ${runs.runId}),
  (select json_agg(json_build_array(m.key, m.value, m.timestamp, m.step) order by m.key) from ${latestMetrics} m where m.run_id = ${runs.runId}),
  exists (select 1 from mlflow_run_inputs i where i.run_id = ${runs.runId}))`;

type RunViewData = [[string, string][] | null, [string, string][] | null, [string, number | string, number, number][] | null, boolean];

/** The runs of a page aggregated from RUN_VIEW_JSON (null: no runs), in the page's order. */
function parseRunViews(page: unknown): { runs: RunView[]; withInputs: Set<string> } {
  const withInputs = new Set<string>();
  const rows = page === null || page === undefined ? [] : (JSON.parse(String(page)) as unknown[][]);
  const views = rows.map((row): RunView => {
    // Timestamps come as JSON strings with their offset; every other column as the value drizzle would give.
    const info = Object.fromEntries(
      RUN_COLUMNS.map(([key, column], i) => [key, column.dataType === "date" && row[i] !== null ? new Date(row[i] as string) : row[i]]),
    ) as RunRow;
    const [ps, ts, ms, hasInputs] = row.slice(RUN_COLUMNS.length) as RunViewData;
    if (hasInputs) withInputs.add(info.runId);
    return {
      info,
      data: {
        metrics: (ms ?? []).map(([key, value, timestamp, step]) => ({ key, value: jsonNumber(value), timestamp, step })),
        params: (ps ?? []).map(([key, value]) => ({ key, value })),
        tags: (ts ?? []).map(([key, value]) => ({ key, value })),
      },
    };
  });
  return { runs: views, withInputs };
}

/** Whole runs (info, params, tags, latest metrics) in the order of `ids`, and which of them have dataset inputs. */
export async function loadRunViews(db: Db, ids: string[]): Promise<{ runs: RunView[]; withInputs: Set<string> }> {
  const byId = new Map<string, RunView>();
  const withInputs = new Set<string>();
  for (const part of chunks(ids, ID_CHUNK)) {
    // Not a prepared statement: its generic plan, cached while the tables were small (a fresh database), kept reading
    // them sequentially after they grew; planned per call it takes 0.61 ms against 0.71 even on analyzed tables.
    const [row] = await queryRows(
      db,
      sql`select json_agg(${RUN_VIEW_JSON})::text as "page" from ${runs} where ${runs.runId} = any(${sql.param(part)}::text[])`,
    );
    const found = parseRunViews(row.page);
    for (const v of found.runs) byId.set(v.info.runId, v);
    for (const id of found.withInputs) withInputs.add(id);
  }
  return { runs: ids.map((id) => byId.get(id)!).filter(Boolean), withInputs };
}

/** One run with its data, and whether it has dataset inputs (for the MLflow door, which then reads them). */
export async function getRunView(db: Db, runId: string): Promise<{ run: RunView; hasInputs: boolean }> {
  const { runs: found, withInputs } = await loadRunViews(db, [runId]);
  if (!found.length) throw new NotFound(`Run with id=${runId}`);
  return { run: found[0], hasInputs: withInputs.has(runId) };
}

/** A run's id and artifact URI, or null when this portal does not track it (MLflow allows external run ids). */
export async function findRunRef(db: Db, runId: string): Promise<{ runId: string; artifactUri: string } | null> {
  const [row] = await db.select({ runId: runs.runId, artifactUri: runs.artifactUri }).from(runs).where(eq(runs.runId, runId));
  return row ?? null;
}

export async function getRun(db: Db, runId: string): Promise<RunView> {
  return (await getRunView(db, runId)).run;
}

export async function updateRun(db: Db, actor: Actor, input: unknown): Promise<RunRow> {
  const data = ZUpdateRun.parse(input);
  return db.transaction(async (tx) => {
    const before = await activeRunRow(tx, data.runId);
    const patch: Partial<RunRow> = {};
    if (data.status) patch.status = data.status;
    if (data.endTime !== undefined) patch.endTime = data.endTime;
    else if (data.status && data.status !== "RUNNING" && data.status !== "SCHEDULED" && before.endTime === null) patch.endTime = Date.now();
    if (data.runName) patch.runName = data.runName;
    const [after] = Object.keys(patch).length ? await tx.update(runs).set(patch).where(eq(runs.runId, before.runId)).returning() : [before];
    if (data.runName) {
      await tx
        .insert(runTags)
        .values({ runId: before.runId, key: RUN_NAME_TAG, value: data.runName })
        .onConflictDoUpdate({ target: [runTags.runId, runTags.key], set: { value: data.runName } });
    }
    await writeAudit(tx, actor, { action: "run.update", entityType: "run", entityId: before.runId, before: pick(before, patch), after: pick(after, patch) });
    return after;
  });
}

function pick(row: RunRow, patch: Partial<RunRow>) {
  return Object.fromEntries(Object.keys(patch).map((k) => [k, row[k as keyof RunRow]]));
}

export async function deleteRun(db: Db, actor: Actor, runId: string): Promise<void> {
  await setRunStage(db, actor, runId, "deleted");
}

export async function restoreRun(db: Db, actor: Actor, runId: string): Promise<void> {
  await setRunStage(db, actor, runId, "active");
}

async function setRunStage(db: Db, actor: Actor, runId: string, stage: "active" | "deleted") {
  await db.transaction(async (tx) => {
    const before = await runRow(tx, runId, { lock: true });
    if (stage === "active") {
      const exp = await experimentRow(tx, before.experimentId);
      if (exp.lifecycleStage !== "active") throw new Invalid(`Restore the experiment ${exp.id} before its run ${runId}`);
    }
    if (before.lifecycleStage === stage) return;
    await tx
      .update(runs)
      .set({ lifecycleStage: stage, deletedAt: stage === "deleted" ? new Date() : null })
      .where(eq(runs.runId, runId));
    await writeAudit(tx, actor, {
      action: stage === "deleted" ? "run.delete" : "run.restore",
      entityType: "run",
      entityId: runId,
      before: { lifecycleStage: before.lifecycleStage },
      after: { lifecycleStage: stage },
    });
  });
}

// ---------------------------------------------------------------- logging

/** Orders metric points as "latest" does: step, then timestamp, then value (NaN above all, as in PostgreSQL). */
function laterThan(a: MetricPoint, b: MetricPoint): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  if (Number.isNaN(a.value)) return !Number.isNaN(b.value);
  return !Number.isNaN(b.value) && a.value > b.value;
}

function latestPerKey(points: MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const p of points) {
    const cur = latest.get(p.key);
    if (!cur || laterThan(p, cur)) latest.set(p.key, p);
  }
  return [...latest.values()];
}

/** The upsert tail of an insert into `latest_metrics as lm`: a point replaces the stored one only if it is later (step, then timestamp, then value). */
const LATEST_WINS = sql`on conflict ("run_id", "key") do update set "value" = excluded."value", "timestamp" = excluded."timestamp", "step" = excluded."step"
      where (excluded."step", excluded."timestamp", excluded."value") > (lm."step", lm."timestamp", lm."value")`;

/** Appends metric rows and moves `latest_metrics` forward, with array parameters (one statement each). */
async function insertMetricRows(db: Db, rows: { runId: string; points: MetricPoint[] }[]): Promise<void> {
  const flat = rows.flatMap((r) => r.points.map((p) => ({ runId: r.runId, ...p })));
  if (!flat.length) return;
  const latest = rows.flatMap((r) => latestPerKey(r.points).map((p) => ({ runId: r.runId, ...p })));
  const arrays = (part: typeof flat) =>
    sql`unnest(${sql.param(part.map((p) => p.runId))}::text[], ${sql.param(part.map((p) => p.key))}::text[], ${sql.param(part.map((p) => p.value))}::float8[], ${sql.param(part.map((p) => p.timestamp))}::bigint[], ${sql.param(part.map((p) => p.step))}::bigint[])`;
  const moveLatest = (part: typeof flat) => sql`insert into ${latestMetrics} as lm ("run_id", "key", "value", "timestamp", "step")
      select * from ${arrays(part)} ${LATEST_WINS}`;
  if (flat.length <= 20_000) {
    // A log-batch (at most 1,000 points): both writes in one statement, one round trip fewer.
    await db.execute(
      sql`with appended as (insert into ${metrics} ("run_id", "key", "value", "timestamp", "step") select * from ${arrays(flat)}) ${moveLatest(latest)}`,
    );
    return;
  }
  for (const part of chunks(flat, 20_000)) {
    await db.execute(sql`insert into ${metrics} ("run_id", "key", "value", "timestamp", "step")
      select * from unnest(${sql.param(part.map((p) => p.runId))}::text[], ${sql.param(part.map((p) => p.key))}::text[], ${sql.param(part.map((p) => p.value))}::float8[], ${sql.param(part.map((p) => p.timestamp))}::bigint[], ${sql.param(part.map((p) => p.step))}::bigint[])`);
  }
  for (const part of chunks(latest, 20_000)) await db.execute(moveLatest(part));
}

/**
 * log-batch, and the single log-metric / log-parameter / set-tag calls: all or nothing. Params are
 * immutable (the same value again is fine); tags are overwritten; metrics append.
 */
export async function logBatch(db: Db, actor: Actor, input: unknown, action = "run.log_batch"): Promise<void> {
  const data = ZLogBatch.parse(input);
  const points: MetricPoint[] = data.metrics.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step }));
  const paramMap = new Map<string, string>();
  for (const p of data.params) {
    const seen = paramMap.get(p.key);
    if (seen !== undefined && seen !== p.value)
      throw new Invalid(`Duplicate parameter key '${p.key}' in the batch with different values ('${seen}' and '${p.value}')`);
    paramMap.set(p.key, p.value);
  }
  const tags = dedupeLastWins(data.tags);
  const audit = auditValues(actor, {
    action,
    entityType: "run",
    entityId: data.runId,
    after: {
      metrics: points.length ? { count: points.length, keys: [...new Set(points.map((p) => p.key))].slice(0, 50) } : undefined,
      params: data.params.length ? Object.fromEntries(data.params.map((p) => [p.key, p.value])) : undefined,
      tags: tags.length ? Object.fromEntries(tags.map((t) => [t.key, t.value])) : undefined,
    },
  });
  let row: Record<string, unknown>;
  try {
    [row] = await queryRows(db, batchStatement(data.runId, [...paramMap], tags, points, audit), { prepared: "log_batch" });
  } catch (err) {
    if (!isParamChange(err)) throw err;
    // The statement wrote nothing; say which param and values, as MLflow does.
    const existing = await db
      .select()
      .from(params)
      .where(and(eq(params.runId, data.runId), inArray(params.key, [...paramMap.keys()])));
    const changed = existing.find((e) => e.value !== paramMap.get(e.key));
    if (!changed) throw err;
    throw new Invalid(
      `Changing param values is not allowed. Param with key='${changed.key}' was already logged with value='${changed.value}' for run ID='${data.runId}'. Attempted logging new value '${paramMap.get(changed.key)}'.`,
    );
  }
  if (row.stage === null) throw new NotFound(`Run with id=${data.runId}`);
  if (row.stage !== "active") throw new Invalid(`The run ${data.runId} must be in the 'active' state. Current state is ${row.stage}.`);
}

/** The NOT NULL violation that batchStatement raises on purpose for a param logged again with another value. */
function isParamChange(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { code?: unknown; table?: unknown; column?: unknown };
    if (x.code === "23502" && x.table === "params" && x.column === "value") return true;
  }
  return false;
}

/**
 * A whole log-batch as ONE statement, so all or nothing without a transaction's extra round trips: lock the run, and
 * only if it is active write the params, upsert the tags (and the run's name), append the metrics, move the latest
 * values forward and write the audit row. Returns the run's lifecycle stage (null: no such run).
 * Params are immutable: a key logged again with the same value is left as it is; with another value the conflict
 * update sets NULL, which the NOT NULL column refuses, so the whole statement fails (isParamChange). ON CONFLICT
 * sees rows committed by a concurrent batch too, so two batches racing on one key cannot both win.
 */
function batchStatement(runId: string, ps: [string, string][], tags: KeyValue[], points: MetricPoint[], audit: ReturnType<typeof auditValues>): SQL {
  const texts = (xs: string[]) => sql`${sql.param(xs)}::text[]`;
  const renamed = tags.find((t) => t.key === RUN_NAME_TAG);
  const latest = latestPerKey(points);
  const metricArrays = (part: MetricPoint[]) =>
    sql`unnest(${texts(part.map((p) => p.key))}, ${sql.param(part.map((p) => p.value))}::float8[], ${sql.param(part.map((p) => p.timestamp))}::bigint[], ${sql.param(part.map((p) => p.step))}::bigint[]) as m(k, v, ts, st)`;
  return sql`with run as (select "lifecycle_stage" from ${runs} where "run_id" = ${runId} for update),
    ok as (select 1 from run where "lifecycle_stage" = 'active'),
    p as (insert into ${params} ("run_id", "key", "value") select ${runId}, k, v from ok, unnest(${texts(ps.map(([k]) => k))}, ${texts(ps.map(([, v]) => v))}) as x(k, v)
      on conflict ("run_id", "key") do update set "value" = case when ${params}."value" = excluded."value" then ${params}."value" end),
    tg as (insert into ${runTags} ("run_id", "key", "value") select ${runId}, k, v from ok, unnest(${texts(tags.map((t) => t.key))}, ${texts(tags.map((t) => t.value))}) as x(k, v)
      on conflict ("run_id", "key") do update set "value" = excluded."value"),
    rn as (update ${runs} set "run_name" = ${renamed?.value ?? ""} where "run_id" = ${runId} and ${renamed ? sql`true` : sql`false`} and exists (select 1 from ok)),
    mt as (insert into ${metrics} ("run_id", "key", "value", "timestamp", "step") select ${runId}, k, v, ts, st from ok, ${metricArrays(points)}),
    lt as (insert into ${latestMetrics} as lm ("run_id", "key", "value", "timestamp", "step") select ${runId}, k, v, ts, st from ok, ${metricArrays(latest)}
      ${LATEST_WINS}),
    au as (insert into ${auditLog} ("actor_user_id", "actor_token_id", "actor_label", "action", "entity_type", "entity_id", "after", "request_id")
      select ${audit.actorUserId}::uuid, ${audit.actorTokenId}::uuid, ${audit.actorLabel}, ${audit.action}, ${audit.entityType}, ${audit.entityId}, ${JSON.stringify(audit.after)}::jsonb, ${audit.requestId} from ok)
    select (select "lifecycle_stage"::text from run) as "stage"`;
}

// The single-item calls are a batch of one: logBatch parses the item, so its messages and limits are the batch's.
export async function logMetric(db: Db, actor: Actor, input: unknown) {
  const { runId, ...metric } = ZSingleLog.parse(input);
  await logBatch(db, actor, { runId, metrics: [metric] }, "run.log_metric");
}

export async function logParam(db: Db, actor: Actor, input: unknown) {
  const { runId, ...param } = ZSingleLog.parse(input);
  await logBatch(db, actor, { runId, params: [param] }, "run.log_param");
}

export async function setRunTag(db: Db, actor: Actor, input: unknown) {
  const { runId, ...tag } = ZSingleLog.parse(input);
  await logBatch(db, actor, { runId, tags: [tag] }, "run.set_tag");
}

export async function deleteRunTag(db: Db, actor: Actor, input: unknown): Promise<void> {
  const data = ZDeleteTag.parse(input);
  await db.transaction(async (tx) => {
    const run = await activeRunRow(tx, data.runId);
    const [gone] = await tx
      .delete(runTags)
      .where(and(eq(runTags.runId, run.runId), eq(runTags.key, data.key)))
      .returning();
    if (!gone) throw new NotFound(`No tag with name: ${data.key} in run with id ${run.runId}. Tag`);
    await writeAudit(tx, actor, { action: "run.delete_tag", entityType: "run", entityId: run.runId, before: { key: gone.key, value: gone.value } });
  });
}

// ---------------------------------------------------------------- bulk import (seed, bench, backfills)

export type ImportRun = {
  runName: string;
  status: RunRow["status"];
  startTime: number;
  endTime?: number | null;
  userId?: string;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: { key: string; steps: number[]; values: number[]; timestamps: number[] }[];
};

/**
 * Writes many runs with their data in a handful of array-parameter statements and one audit row:
 * what the demo seed and benchmarks use, with the same tables and latest-value rule as logBatch.
 */
export async function importRuns(db: Db, actor: Actor | null, experimentId: string, input: ImportRun[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    const exp = await experimentRow(tx, experimentId);
    if (exp.lifecycleStage !== "active") throw new Invalid(`The experiment ${exp.id} must be in the 'active' state. Current state is deleted.`);
    const ids = input.map(() => newRunId());
    for (const part of chunks(
      input.map((r, i) => ({ r, id: ids[i] })),
      5000,
    )) {
      await tx.insert(runs).values(
        part.map(({ r, id }) => ({
          runId: id,
          experimentId: exp.id,
          runName: r.runName,
          userId: r.userId ?? actor?.email ?? "system",
          status: r.status,
          startTime: r.startTime,
          endTime: r.endTime ?? null,
          artifactUri: `${artifactLocationOf(exp)}/${id}/artifacts`,
          createdBy: actor?.userId ?? null,
          createdByToken: actor?.tokenId ?? null,
        })),
      );
    }
    const kv = (pick: (r: ImportRun) => Record<string, string> | undefined, extra?: (r: ImportRun) => KeyValue[]) =>
      input.flatMap((r, i) =>
        [...Object.entries(pick(r) ?? {}).map(([key, value]) => ({ key, value })), ...(extra?.(r) ?? [])].map((t) => ({ runId: ids[i], ...t })),
      );
    for (const part of chunks(
      kv((r) => r.params),
      10_000,
    ))
      await tx.insert(params).values(part);
    for (const part of chunks(
      kv(
        (r) => r.tags,
        (r) => [{ key: RUN_NAME_TAG, value: r.runName }],
      ),
      10_000,
    ))
      await tx.insert(runTags).values(part).onConflictDoNothing();
    await insertMetricRows(
      tx,
      input.map((r, i) => ({
        runId: ids[i],
        points: (r.metrics ?? []).flatMap((m) => m.values.map((value, j) => ({ key: m.key, value, step: m.steps[j], timestamp: m.timestamps[j] }))),
      })),
    );
    await tx.update(experiments).set({ updatedAt: new Date() }).where(eq(experiments.id, exp.id));
    await writeAudit(tx, actor, {
      action: "run.import",
      entityType: "experiment",
      entityId: String(exp.id),
      after: { runs: ids.length, firstRunId: ids[0] ?? null },
    });
    return ids;
  });
}

// ---------------------------------------------------------------- search

export type RunQuery = { experimentIds: string[]; filter?: string; orderBy: string[]; viewType: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL" };

function runConditions(q: RunQuery): SQL[] {
  const filter = parseFilter(q.filter);
  const where: SQL[] = [inArray(runs.experimentId, q.experimentIds.map(Number))];
  if (q.viewType !== "ALL") where.push(eq(runs.lifecycleStage, q.viewType === "ACTIVE_ONLY" ? "active" : "deleted"));
  where.push(...compileFilter(filter));
  return where;
}

/**
 * The statement behind searchRunIds: one page of run ids (limit + 1, to know whether more follow), each with its
 * position, numbered by a window in the page's own order (one sort serves both) so a statement built on this one can
 * keep that order.
 */
export function searchRunIdsQuery(q: RunQuery, offset: number, limit: number): SQL {
  const where = runConditions(q);
  const { joins, terms } = compileOrderBy(parseOrderByList(q.orderBy));
  const order = sql.join(terms, sql`, `);
  return sql`select ${runs.runId} as "id", row_number() over (order by ${order}) as "ord" from ${runs} ${sql.join(joins, sql` `)} where ${and(...where)} order by ${order} limit ${limit + 1} offset ${offset}`;
}

/** Run ids matching a query, in order, one page (limit + 1 fetched to know whether more follow). */
async function searchRunIds(db: Db, q: RunQuery, offset: number, limit: number): Promise<{ ids: string[]; more: boolean }> {
  // Built first, so a bad filter or order is refused even when no experiment is named.
  const query = searchRunIdsQuery(q, offset, limit);
  if (!q.experimentIds.length) return { ids: [], more: false };
  const rows = await queryRows(db, query);
  const ids = rows.map((r) => String(r.id));
  return { ids: ids.slice(0, limit), more: ids.length > limit };
}

/** One page of whole runs matching a query, in ONE statement (the page's ids and their runs), limit + 1 of them. */
async function searchRunPage(db: Db, q: RunQuery, offset: number, limit: number): Promise<{ runs: RunView[]; withInputs: Set<string>; more: boolean }> {
  const query = searchRunIdsQuery(q, offset, limit);
  if (!q.experimentIds.length) return { runs: [], withInputs: new Set(), more: false };
  const [row] = await queryRows(
    db,
    sql`with page as (${query}) select (select json_agg(${RUN_VIEW_JSON} order by page.ord) from page join ${runs} on ${runs.runId} = page.id)::text as "page"`,
  );
  const found = parseRunViews(row.page);
  const page = found.runs.slice(0, limit);
  return { runs: page, withInputs: new Set(page.map((r) => r.info.runId).filter((id) => found.withInputs.has(id))), more: found.runs.length > limit };
}

async function runRowsInOrder(db: Db, ids: string[]): Promise<RunRow[]> {
  const byId = new Map<string, RunRow>();
  for (const part of chunks(ids, ID_CHUNK)) for (const r of await db.select().from(runs).where(inArray(runs.runId, part))) byId.set(r.runId, r);
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

/** MLflow's runs/search: full runs (info, params, tags, latest metrics), offset page tokens. */
export async function searchRuns(db: Db, input: unknown, opts: { signal?: AbortSignal } = {}): Promise<{ runs: RunView[]; nextPageToken: string | null }> {
  const { runs: found, nextPageToken } = await searchRunViews(db, input, opts);
  return { runs: found, nextPageToken };
}

/** searchRuns, and which runs of the page have dataset inputs (the MLflow door reads only those). */
export async function searchRunViews(db: Db, input: unknown, opts: { signal?: AbortSignal } = {}) {
  const q = ZSearchRuns.parse(input);
  const offset = decodePageToken(q.pageToken, ZOffsetToken)?.o ?? 0;
  return withStatementTimeout(
    db,
    "The run search",
    async (tx) => {
      const { runs: found, withInputs, more } = await searchRunPage(tx, { ...q, viewType: q.runViewType }, offset, q.maxResults);
      return { runs: found, withInputs, nextPageToken: more ? encodePageToken({ o: offset + q.maxResults }) : null };
    },
    undefined,
    opts.signal,
  );
}

/** Counts runs matching a query, for the runs table's total. */
export async function countRuns(db: Db, q: RunQuery): Promise<number> {
  if (!q.experimentIds.length) return 0;
  const [{ n }] = await db
    .select({ n: count() })
    .from(runs)
    .where(and(...runConditions(q)));
  return n;
}

/** One page of a metric's history in (step, timestamp) order, with a keyset page token. */
export async function getMetricHistory(db: Db, input: unknown): Promise<{ metrics: MetricPoint[]; nextPageToken: string | null }> {
  const q = ZGetMetricHistory.parse(input);
  const after = decodePageToken(q.pageToken, ZHistoryToken);
  const page = db
    .select({ id: metrics.id, value: metrics.value, timestamp: metrics.timestamp, step: metrics.step })
    .from(metrics)
    .where(
      and(
        eq(metrics.runId, q.runId),
        eq(metrics.key, q.key),
        after ? sql`(${metrics.step}, ${metrics.timestamp}, ${metrics.id}) > (${after.s}, ${after.t}, ${after.i})` : undefined,
      ),
    )
    .orderBy(asc(metrics.step), asc(metrics.timestamp), asc(metrics.id))
    .limit(q.maxResults + 1);
  // The page as four JSON arrays in one text, and whether the run exists, in one statement: passing 25,000 rows one
  // by one through the driver took 160-180 ms on the embedded database, this 27 (and is cheaper on PostgreSQL too).
  const order = sql`order by p.step, p.timestamp, p.id`;
  const [row] = await queryRows(
    db,
    sql`select exists (select 1 from ${runs} where ${runs.runId} = ${q.runId}) as "found",
      json_build_array(array_agg(p.value ${order}), array_agg(p.timestamp ${order}), array_agg(p.step ${order}), array_agg(p.id ${order}))::text as "data"
      from (${page}) p`,
  );
  if (!row.found) throw new NotFound(`Run with id=${q.runId}`);
  const [values, timestamps, steps, ids] = JSON.parse(String(row.data)) as [(number | string)[] | null, number[] | null, number[] | null, number[] | null];
  const n = Math.min(values?.length ?? 0, q.maxResults);
  const points: MetricPoint[] = new Array(n);
  for (let i = 0; i < n; i++) points[i] = { key: q.key, value: jsonNumber(values![i]), timestamp: timestamps![i], step: steps![i] };
  return {
    metrics: points,
    nextPageToken: (values?.length ?? 0) > q.maxResults ? encodePageToken({ s: steps![n - 1], t: timestamps![n - 1], i: ids![n - 1] }) : null,
  };
}

// ---------------------------------------------------------------- read models for the browser

/** Experiments with run counts, last activity, owner and tags; `q` searches names. */
export async function listExperiments(db: Db, input: unknown = {}) {
  const q = ZListExperiments.parse(input);
  const where: SQL[] = [];
  if (!q.includeArchived) where.push(eq(experiments.lifecycleStage, "active"));
  if (q.q) where.push(ilike(experiments.name, `%${q.q.replace(/[%_\\]/g, "\\$&")}%`));
  const runCount = sql<number>`(select count(*)::int from ${runs} where ${runs.experimentId} = ${experiments.id} and ${runs.lifecycleStage} = 'active')`;
  const lastRun = sql<number | null>`(select max(${runs.startTime}) from ${runs} where ${runs.experimentId} = ${experiments.id})`;
  const filter = where.length ? and(...where) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ experiment: experiments, owner: users.email, runCount, lastRun })
      .from(experiments)
      .leftJoin(users, eq(users.id, experiments.createdBy))
      .where(filter)
      .orderBy(desc(experiments.updatedAt), asc(experiments.id))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ total: count() }).from(experiments).where(filter),
  ]);
  const tagged = await withTags(
    db,
    rows.map((r) => r.experiment),
  );
  return {
    total,
    items: rows.map((r, i) => {
      const lastRunAt = r.lastRun === null ? null : Number(r.lastRun);
      const updated = r.experiment.updatedAt.getTime();
      return {
        id: String(r.experiment.id),
        name: r.experiment.name,
        lifecycleStage: r.experiment.lifecycleStage,
        archived: r.experiment.lifecycleStage === "deleted",
        owner: r.owner,
        runCount: Number(r.runCount),
        lastActivity: new Date(Math.max(updated, lastRunAt ?? 0)),
        createdAt: r.experiment.createdAt,
        tags: Object.fromEntries(tagged[i].tags.map((t) => [t.key, t.value])),
      };
    }),
  };
}

/** The runs table: one page of runs with only the chosen columns, plus the total. */
export async function runsTable(db: Db, input: unknown, opts: { signal?: AbortSignal } = {}) {
  const p = ZRunsTable.parse(input);
  const q = { ...p, viewType: p.includeDeleted ? ("ALL" as const) : ("ACTIVE_ONLY" as const) };
  const { more, total, rows, data } = await withStatementTimeout(
    db,
    "The run search",
    async (tx) => {
      const [page, count] = await Promise.all([searchRunIds(tx, q, q.offset, q.limit), countRuns(tx, q)]);
      const [found, runData] = await Promise.all([runRowsInOrder(tx, page.ids), loadRunData(tx, page.ids, q.columns)]);
      return { more: page.more, total: count, rows: found, data: runData };
    },
    undefined,
    opts.signal,
  );
  return {
    total,
    offset: q.offset,
    hasMore: more,
    rows: rows.map((r) => {
      const d = data.get(r.runId)!;
      return {
        runId: r.runId,
        runName: r.runName,
        experimentId: String(r.experimentId),
        status: r.status,
        userId: r.userId,
        startTime: r.startTime,
        endTime: r.endTime,
        lifecycleStage: r.lifecycleStage,
        params: Object.fromEntries(d.params.map((p) => [p.key, p.value])),
        metrics: Object.fromEntries(d.metrics.map((m) => [m.key, m.value])),
        tags: Object.fromEntries(d.tags.map((t) => [t.key, t.value])),
      };
    }),
  };
}

/** Distinct metric, param or tag keys across experiments' runs, with how many runs carry each. */
export async function distinctKeys(db: Db, kind: "metrics" | "params" | "tags", raw: unknown) {
  const input = ZKeysQuery.parse(raw);
  const table = kind === "metrics" ? latestMetrics : kind === "params" ? params : runTags;
  const rows = await db
    .select({ key: table.key, runs: sql<number>`count(*)::int` })
    .from(table)
    .innerJoin(runs, eq(runs.runId, table.runId))
    .where(
      and(
        inArray(runs.experimentId, input.experimentIds.map(Number)),
        eq(runs.lifecycleStage, "active"),
        input.q ? ilike(table.key, `%${input.q.replace(/[%_\\]/g, "\\$&")}%`) : undefined,
      ),
    )
    .groupBy(table.key)
    .orderBy(asc(table.key))
    .limit(input.limit);
  return rows.map((r) => ({ key: r.key, runs: Number(r.runs) }));
}

/** The run page: run, experiment, params, latest metrics, tags and the registered versions it produced. */
export async function runDetails(db: Db, runId: string) {
  const run = await getRun(db, runId);
  const [experiment, producedVersions] = await Promise.all([getExperiment(db, String(run.info.experimentId)), versionsFromRun(db, runId)]);
  return { ...run, experiment: { id: String(experiment.id), name: experiment.name, lifecycleStage: experiment.lifecycleStage }, producedVersions };
}

/**
 * The runs table's "group by": active runs matching the filter, grouped by a param's or tag's value
 * (runs without it form the null group), with count and min/max/mean of a metric's latest finite value.
 * Computed in SQL so grouping 100,000 runs never ships them to the browser.
 */
export async function runGroups(db: Db, input: unknown) {
  const q = ZRunGroups.parse(input);
  const table = q.by.kind === "param" ? params : runTags;
  const finite = sql`${latestMetrics.value} not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`;
  const metricKey = q.metric ?? "";
  const rows = await withStatementTimeout(db, "The run grouping", (tx) =>
    tx
      .select({
        value: table.value,
        runs: sql<number>`count(*)::int`,
        withMetric: sql<number>`(count(${latestMetrics.value}) filter (where ${finite}))::int`,
        min: sql<number | null>`min(${latestMetrics.value}) filter (where ${finite})`,
        max: sql<number | null>`max(${latestMetrics.value}) filter (where ${finite})`,
        mean: sql<number | null>`avg(${latestMetrics.value}) filter (where ${finite})`,
      })
      .from(runs)
      .leftJoin(table, and(eq(table.runId, runs.runId), eq(table.key, q.by.key)))
      .leftJoin(latestMetrics, and(eq(latestMetrics.runId, runs.runId), eq(latestMetrics.key, metricKey)))
      .where(and(...runConditions({ experimentIds: q.experimentIds, filter: q.filter, orderBy: [], viewType: "ACTIVE_ONLY" })))
      .groupBy(table.value)
      .orderBy(sql`${table.value} asc nulls last`)
      .limit(q.limit),
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({ value: r.value, runs: Number(r.runs), withMetric: Number(r.withMetric), min: num(r.min), max: num(r.max), mean: num(r.mean) }));
}
