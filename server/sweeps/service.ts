// Sweeps: runs logged under one parent (MLflow's `mlflow.parentRunId` tag, set by Ray Tune's MLflow callback and
// Optuna's integration) or sharing a `sweep` tag, read as one thing: best so far, importance, parallel coordinates,
// top k. Read-only over the experiments tables; nothing here writes.
import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { experiments, runs, runTags } from "@/db/schema";
import { Invalid, NotFound } from "@/server/errors";
import { loadRunData } from "@/server/experiments/service";
import { IMPORTANCE_METHOD, paramImportance } from "./importance";
import { ZGetSweep, ZListSweeps, ZSweepForRun } from "./schemas";
import { bestSoFar, defaultDirection, parallelData, ranked, type Direction, type Trial } from "./shape";

/** MLflow's tag naming a run's parent; Ray Tune and Optuna log each trial as a child run with it. */
export const PARENT_TAG = "mlflow.parentRunId";
/** A plain tag that groups runs logged without a parent. */
export const SWEEP_TAG = "sweep";
/** Tags on the parent run that declare the objective (Ray Tune's `metric` and `mode`); the page can override both. */
export const OBJECTIVE_TAG = "sweep.metric";
export const MODE_TAG = "sweep.mode";
/** More trials than any sweep we have seen; beyond it the page says the sweep was cut. */
export const MAX_TRIALS = 5000;
const MAX_AXES = 8;
const STATUSES = ["FINISHED", "RUNNING", "SCHEDULED", "FAILED", "KILLED"] as const;

const TAG_PREFIX = "tag-";
export const tagSweepId = (value: string) => TAG_PREFIX + Buffer.from(value, "utf8").toString("base64url");
export const sweepHref = (experimentId: string | number, sweepId: string) => `/experiments/${experimentId}/sweeps/${sweepId}`;

type Ref = { kind: "parent"; runId: string } | { kind: "tag"; value: string };
function parseSweepId(id: string): Ref {
  if (id.startsWith(TAG_PREFIX)) {
    const value = Buffer.from(id.slice(TAG_PREFIX.length), "base64url").toString("utf8");
    if (!value || tagSweepId(value) !== id) throw new NotFound(`Sweep ${id}`);
    return { kind: "tag", value };
  }
  return { kind: "parent", runId: id };
}

const runColumns = { runId: runs.runId, runName: runs.runName, status: runs.status, startTime: runs.startTime, experimentId: runs.experimentId };

/** The sweep's trial runs (active ones), in start order, and its parent run if it has one. */
async function sweepRuns(db: Db, experimentId: number, ref: Ref) {
  if (ref.kind === "parent") {
    const [parent] = await db
      .select(runColumns)
      .from(runs)
      .where(and(eq(runs.runId, ref.runId), eq(runs.experimentId, experimentId)));
    if (!parent) throw new NotFound(`Sweep ${ref.runId} in experiment ${experimentId}`);
    const children = await db
      .select(runColumns)
      .from(runs)
      .innerJoin(runTags, and(eq(runTags.runId, runs.runId), eq(runTags.key, PARENT_TAG), eq(runTags.value, ref.runId)))
      .where(eq(runs.lifecycleStage, "active"))
      .orderBy(asc(runs.startTime), asc(runs.runId))
      .limit(MAX_TRIALS + 1);
    return { parent, children };
  }
  const children = await db
    .select(runColumns)
    .from(runs)
    .innerJoin(runTags, and(eq(runTags.runId, runs.runId), eq(runTags.key, SWEEP_TAG), eq(runTags.value, ref.value)))
    .where(and(eq(runs.experimentId, experimentId), eq(runs.lifecycleStage, "active")))
    .orderBy(asc(runs.startTime), asc(runs.runId))
    .limit(MAX_TRIALS + 1);
  if (!children.length) throw new NotFound(`Sweep "${ref.value}" in experiment ${experimentId}`);
  return { parent: null, children };
}

/** Keys by how many trials carry them, most first, ties by name. */
function keysByUse(maps: Record<string, unknown>[]): string[] {
  const n = new Map<string, number>();
  for (const m of maps) for (const k of Object.keys(m)) n.set(k, (n.get(k) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
}

/** The sweep page: trials, objective, best-so-far curve, parameter importance, parallel coordinates and the top k. */
export async function getSweep(db: Db, input: unknown) {
  const q = ZGetSweep.parse(input);
  const ref = parseSweepId(q.sweepId);
  let experimentId = q.experimentId;
  if (experimentId === undefined) {
    if (ref.kind === "tag") throw new Invalid("A sweep named by its tag needs experimentId: tag values are only unique within an experiment");
    const [run] = await db.select({ experimentId: runs.experimentId }).from(runs).where(eq(runs.runId, ref.runId));
    if (!run) throw new NotFound(`Sweep ${ref.runId}`);
    experimentId = String(run.experimentId);
  }
  const [experiment] = await db
    .select({ id: experiments.id, name: experiments.name })
    .from(experiments)
    .where(eq(experiments.id, Number(experimentId)));
  if (!experiment) throw new NotFound(`Experiment with id=${experimentId}`);
  const { parent, children } = await sweepRuns(db, experiment.id, ref);
  const truncated = children.length > MAX_TRIALS;
  const trialRows = children.slice(0, MAX_TRIALS);
  const ids = trialRows.map((r) => r.runId);
  // Params and latest metrics only: trials' tags are not shown, and a parent's declared objective is two tags.
  const [data, parentData] = await Promise.all([
    loadRunData(db, ids, { tags: [] }),
    parent ? loadRunData(db, [parent.runId], { params: [], metrics: [], tags: [OBJECTIVE_TAG, MODE_TAG] }) : null,
  ]);
  const parentTags = Object.fromEntries((parentData?.get(parent!.runId)?.tags ?? []).map((t) => [t.key, t.value]));

  const paramsOf = new Map(ids.map((id) => [id, Object.fromEntries(data.get(id)!.params.map((p) => [p.key, p.value]))]));
  const metricsOf = new Map(ids.map((id) => [id, Object.fromEntries(data.get(id)!.metrics.map((m) => [m.key, m.value]))]));
  const metricKeys = keysByUse([...metricsOf.values()]);
  const allParams = keysByUse([...paramsOf.values()]);
  const varying = allParams.filter((k) => new Set(ids.map((id) => paramsOf.get(id)![k])).size > 1);
  const constant = Object.fromEntries(allParams.filter((k) => !varying.includes(k)).map((k) => [k, paramsOf.get(ids[0])![k]]));

  const requested = q.objective && metricKeys.includes(q.objective) ? q.objective : null;
  const declared = parentTags[OBJECTIVE_TAG] && metricKeys.includes(parentTags[OBJECTIVE_TAG]) ? parentTags[OBJECTIVE_TAG] : null;
  const objectiveKey = requested ?? declared ?? metricKeys[0] ?? null;
  const declaredMode = parentTags[MODE_TAG] === "min" || parentTags[MODE_TAG] === "max" ? (parentTags[MODE_TAG] as Direction) : null;
  const direction: Direction =
    q.direction ?? (objectiveKey && objectiveKey === declared && declaredMode ? declaredMode : objectiveKey ? defaultDirection(objectiveKey) : "max");

  const trials: Trial[] = trialRows.map((r) => {
    const v = objectiveKey ? metricsOf.get(r.runId)![objectiveKey] : undefined;
    return {
      runId: r.runId,
      runName: r.runName,
      status: r.status,
      startTime: r.startTime,
      params: paramsOf.get(r.runId)!,
      value: v !== undefined && Number.isFinite(v) ? v : null,
    };
  });
  const order = ranked(trials, direction);
  const importance = objectiveKey
    ? paramImportance(
        order.map((t) => ({ params: t.params, value: t.value! })),
        varying,
      )
    : [];
  const axes = importance.length ? importance.slice(0, MAX_AXES).map((i) => i.param) : varying.slice(0, MAX_AXES);

  const label = parent ? parent.runName || parent.runId : ref.kind === "tag" ? ref.value : q.sweepId;
  return {
    sweep: {
      id: q.sweepId,
      kind: ref.kind,
      label,
      experiment: { id: String(experiment.id), name: experiment.name },
      parent: parent ? { runId: parent.runId, runName: parent.runName, status: parent.status } : null,
    },
    trialCount: trials.length,
    truncated,
    withObjective: order.length,
    statusCounts: STATUSES.map((status) => ({ status, trials: trials.filter((t) => t.status === status).length })).filter((c) => c.trials > 0),
    metricKeys,
    paramKeys: varying,
    constantParams: constant,
    objective: objectiveKey ? { key: objectiveKey, direction, source: requested ? "url" : declared ? "sweep" : "default" } : null,
    objectiveMissing: q.objective && !requested ? q.objective : null,
    best: order[0] ? { runId: order[0].runId, runName: order[0].runName, value: order[0].value! } : null,
    curve: bestSoFar(trials, direction),
    importance: { method: IMPORTANCE_METHOD, trials: order.length, items: importance },
    parallel: objectiveKey && order.length ? parallelData(order, axes, objectiveKey) : null,
    top: order.slice(0, q.k).map((t, i) => ({
      rank: i + 1,
      runId: t.runId,
      runName: t.runName,
      status: t.status,
      value: t.value!,
      params: Object.fromEntries(axes.map((k) => [k, t.params[k] ?? null])),
    })),
  };
}
export type SweepView = Awaited<ReturnType<typeof getSweep>>;

/** An experiment's sweeps: parents with child runs, and `sweep` tag groups, largest first. */
export async function listSweeps(db: Db, input: unknown) {
  const q = ZListSweeps.parse(input);
  const experimentId = Number(q.experimentId);
  const grouped = (key: string) =>
    db
      .select({ value: runTags.value, trials: count() })
      .from(runTags)
      .innerJoin(runs, eq(runs.runId, runTags.runId))
      .where(and(eq(runTags.key, key), eq(runs.experimentId, experimentId), eq(runs.lifecycleStage, "active")))
      .groupBy(runTags.value)
      .orderBy(desc(count()), asc(runTags.value))
      .limit(50);
  const [parents, tags] = await Promise.all([grouped(PARENT_TAG), grouped(SWEEP_TAG)]);
  // A child pointing at a parent that is not in this experiment has no page here.
  const parentRows = parents.length
    ? await db
        .select({ runId: runs.runId, runName: runs.runName })
        .from(runs)
        .where(
          and(
            inArray(
              runs.runId,
              parents.map((p) => p.value),
            ),
            eq(runs.experimentId, experimentId),
          ),
        )
    : [];
  const names = new Map(parentRows.map((r) => [r.runId, r.runName]));
  return [
    ...parents
      .filter((p) => names.has(p.value))
      .map((p) => ({ sweepId: p.value, kind: "parent" as const, label: names.get(p.value) || p.value, trials: p.trials })),
    ...tags.map((t) => ({ sweepId: tagSweepId(t.value), kind: "tag" as const, label: t.value, trials: t.trials })),
  ];
}

/** The sweep a run belongs to (as its parent or as a trial), for the run page's link; null when none. */
export async function sweepForRun(db: Db, input: unknown) {
  const q = ZSweepForRun.parse(input);
  const [run] = await db.select({ runId: runs.runId, experimentId: runs.experimentId }).from(runs).where(eq(runs.runId, q.runId));
  if (!run) throw new NotFound(`Run with id=${q.runId}`);
  const [{ n }] = await db
    .select({ n: count() })
    .from(runTags)
    .where(and(eq(runTags.key, PARENT_TAG), eq(runTags.value, run.runId)));
  if (n > 0) return { role: "parent" as const, experimentId: String(run.experimentId), sweepId: run.runId, label: null, trials: n };
  const tags = await db
    .select({ key: runTags.key, value: runTags.value })
    .from(runTags)
    .where(and(eq(runTags.runId, run.runId), inArray(runTags.key, [PARENT_TAG, SWEEP_TAG])));
  const parentId = tags.find((t) => t.key === PARENT_TAG)?.value;
  if (parentId) {
    const [parent] = await db.select({ runId: runs.runId, runName: runs.runName, experimentId: runs.experimentId }).from(runs).where(eq(runs.runId, parentId));
    if (parent)
      return { role: "trial" as const, experimentId: String(parent.experimentId), sweepId: parent.runId, label: parent.runName || parent.runId, trials: null };
  }
  const tag = tags.find((t) => t.key === SWEEP_TAG)?.value;
  if (tag) return { role: "trial" as const, experimentId: String(run.experimentId), sweepId: tagSweepId(tag), label: tag, trials: null };
  return null;
}
