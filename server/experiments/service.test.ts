import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, latestMetrics, metrics, params, runs } from "@/db/schema";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { metricSeries } from "./charts";
import {
  createExperiment,
  createRun,
  deleteExperiment,
  deleteRun,
  getExperiment,
  getExperimentByName,
  getMetricHistory,
  getRun,
  importRuns,
  listExperiments,
  logBatch,
  logMetric,
  logParam,
  restoreExperiment,
  searchExperiments,
  searchRuns,
  setRunTag,
  updateRun,
} from "./service";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

const eng = () => t.actors.engineer;
const count = async (table: typeof metrics | typeof params, runId: string) =>
  (
    await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(eq(table.runId, runId))
  )[0].n;

describe("experiments", () => {
  it("has the Default experiment with id 0 on an empty database, and puts runs without an experiment there", async () => {
    const d = await getExperiment(t.db, "0");
    expect(d).toMatchObject({ id: 0, name: "Default", lifecycleStage: "active" });
    const run = await createRun(t.db, eng(), {});
    expect(run.info.experimentId).toBe(0);
    expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(run.data.tags).toContainEqual({ key: "mlflow.runName", value: run.info.runName });
    expect(run.info.createdBy).toBe(eng().userId);
  });

  it("creates experiments with tags, refuses duplicate names and audits the creation", async () => {
    const e = await createExperiment(t.db, eng(), { name: "detector-sweep", tags: [{ key: "team", value: "perception" }] });
    expect(e.id).toBeGreaterThan(0);
    expect((await getExperimentByName(t.db, "detector-sweep")).tags).toEqual([{ key: "team", value: "perception" }]);
    await expect(createExperiment(t.db, eng(), { name: "detector-sweep" })).rejects.toMatchObject({ code: "CONFLICT" });
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "experiment.create"), eq(auditLog.entityId, String(e.id))));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorUserId).toBe(eng().userId);
  });

  it("marks the experiment's activity on run creation, at most once a second (no row lock per run)", async () => {
    const e = await createExperiment(t.db, eng(), { name: "activity-mark" });
    const updatedAt = async () => (await getExperiment(t.db, String(e.id))).updatedAt.getTime();
    await t.db.execute(sql`update experiments set updated_at = now() - interval '1 hour' where id = ${e.id}`);
    const hourAgo = await updatedAt();
    await createRun(t.db, eng(), { experimentId: String(e.id) });
    const marked = await updatedAt();
    expect(marked - hourAgo).toBeGreaterThan(3_500_000);
    // Within the second: the mark stands and the run is still written.
    await t.db.execute(sql`update experiments set updated_at = now() - interval '200 milliseconds' where id = ${e.id}`);
    const recent = await updatedAt();
    const again = await createRun(t.db, eng(), { experimentId: String(e.id) });
    expect(await updatedAt()).toBe(recent);
    expect((await getRun(t.db, again.info.runId)).info.experimentId).toBe(e.id);
  });

  it("soft-deletes an experiment with its runs, refuses new runs there, and restores both", async () => {
    const e = await createExperiment(t.db, eng(), { name: "to-archive" });
    const run = await createRun(t.db, eng(), { experimentId: String(e.id) });
    await deleteExperiment(t.db, eng(), String(e.id));
    expect((await getRun(t.db, run.info.runId)).info.lifecycleStage).toBe("deleted");
    await expect(createRun(t.db, eng(), { experimentId: String(e.id) })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringMatching(/must be in the 'active' state/),
    });
    await expect(logMetric(t.db, eng(), { runId: run.info.runId, key: "a", value: 1, timestamp: 1 })).rejects.toMatchObject({ code: "INVALID" });
    expect((await listExperiments(t.db, {})).items.map((x) => x.name)).not.toContain("to-archive");
    expect((await listExperiments(t.db, { includeArchived: true })).items.find((x) => x.name === "to-archive")).toMatchObject({ archived: true, runCount: 0 });
    await restoreExperiment(t.db, eng(), String(e.id));
    expect((await getRun(t.db, run.info.runId)).info.lifecycleStage).toBe("active");
    await expect(deleteExperiment(t.db, eng(), "0")).rejects.toMatchObject({ code: "INVALID" });
  });

  it("searches experiments by name and tag with page tokens", async () => {
    for (const n of ["cls-a", "cls-b", "cls-c"]) await createExperiment(t.db, eng(), { name: n, tags: [{ key: "kind", value: "classifier" }] });
    const p1 = await searchExperiments(t.db, { filter: "name LIKE 'cls-%' and tags.kind = 'classifier'", orderBy: ["name ASC"], maxResults: 2 });
    expect(p1.experiments.map((e) => e.name)).toEqual(["cls-a", "cls-b"]);
    const p2 = await searchExperiments(t.db, { filter: "name LIKE 'cls-%'", orderBy: ["name ASC"], maxResults: 2, pageToken: p1.nextPageToken! });
    expect(p2.experiments.map((e) => e.name)).toEqual(["cls-c"]);
    expect(p2.nextPageToken).toBeNull();
  });
});

describe("logging", () => {
  let runId: string;
  beforeAll(async () => {
    runId = (await createRun(t.db, eng(), { runName: "logging", startTime: 1000 })).info.runId;
  });

  it("keeps params immutable: the same value again is fine, another value is refused and nothing of the batch is written", async () => {
    await logParam(t.db, eng(), { runId, key: "lr", value: "0.01" });
    await logParam(t.db, eng(), { runId, key: "lr", value: "0.01" });
    const before = await count(metrics, runId);
    await expect(
      logBatch(t.db, eng(), {
        runId,
        metrics: [{ key: "loss", value: 1, timestamp: 5, step: 0 }],
        params: [
          { key: "bs", value: "32" },
          { key: "lr", value: "0.02" },
        ],
      }),
    ).rejects.toMatchObject({ code: "INVALID", message: expect.stringMatching(/Changing param values is not allowed.*key='lr'/) });
    expect(await count(metrics, runId)).toBe(before);
    expect((await getRun(t.db, runId)).data.params).toEqual([{ key: "lr", value: "0.01" }]);
  });

  it("two batches racing to set the same new param to different values: one wins, the other writes nothing", async () => {
    const race = (await createRun(t.db, eng(), { runName: "param-race", startTime: 1000 })).info.runId;
    const batch = (value: string, step: number) =>
      logBatch(t.db, eng(), { runId: race, params: [{ key: "seed", value }], metrics: [{ key: "loss", value: step, timestamp: step, step }] });
    const outcomes = await Promise.allSettled([batch("1", 1), batch("2", 2)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: "INVALID", message: expect.stringMatching(/Changing param values is not allowed.*key='seed'/) });
    const won = (await getRun(t.db, race)).data;
    // The loser's metric point was rolled back with its param: the run holds the winner's value and step only.
    expect(won.params).toEqual([{ key: "seed", value: won.metrics[0].step === 1 ? "1" : "2" }]);
    expect(await count(metrics, race)).toBe(1);
  });

  it("refuses a batch for a deleted run or an unknown one, and writes nothing", async () => {
    const gone = (await createRun(t.db, eng(), { runName: "deleted", startTime: 1000 })).info.runId;
    await deleteRun(t.db, eng(), gone);
    await expect(logBatch(t.db, eng(), { runId: gone, metrics: [{ key: "loss", value: 1, timestamp: 1, step: 0 }] })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringMatching(/must be in the 'active' state/),
    });
    expect(await count(metrics, gone)).toBe(0);
    await expect(logBatch(t.db, eng(), { runId: "0".repeat(32), metrics: [{ key: "loss", value: 1, timestamp: 1, step: 0 }] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses wrong types: a param value as a number, a step as a float, a timestamp as a string", async () => {
    await expect(logParam(t.db, eng(), { runId, key: "n", value: 3 })).rejects.toThrow(/string/);
    await expect(logMetric(t.db, eng(), { runId, key: "m", value: 1, timestamp: 1, step: 1.5 })).rejects.toThrow(/integer/);
    await expect(logMetric(t.db, eng(), { runId, key: "m", value: 1, timestamp: "yesterday" })).rejects.toThrow();
    await expect(logMetric(t.db, eng(), { runId, key: "m", value: "high", timestamp: 1 })).rejects.toThrow();
  });

  it("overwrites tags", async () => {
    await setRunTag(t.db, eng(), { runId, key: "note", value: "a" });
    await setRunTag(t.db, eng(), { runId, key: "note", value: "b" });
    expect((await getRun(t.db, runId)).data.tags).toContainEqual({ key: "note", value: "b" });
  });

  it("stores NaN and ±Infinity, and keeps the latest value per key by step, then timestamp", async () => {
    await logBatch(t.db, eng(), {
      runId,
      metrics: [
        { key: "acc", value: 0.5, timestamp: 100, step: 5 },
        { key: "acc", value: 0.9, timestamp: 50, step: 7 },
        { key: "acc", value: 0.1, timestamp: 300, step: 6 },
        { key: "nan", value: "NaN", timestamp: 1, step: 0 },
        { key: "inf", value: Infinity, timestamp: 1, step: 0 },
        { key: "ninf", value: "-Infinity", timestamp: 1, step: 0 },
      ],
    });
    // An older step logged later does not move the latest value back.
    await logMetric(t.db, eng(), { runId, key: "acc", value: 0.2, timestamp: 999, step: 1 });
    // Same step, later timestamp wins.
    await logMetric(t.db, eng(), { runId, key: "acc", value: 0.95, timestamp: 60, step: 7 });
    const { data } = await getRun(t.db, runId);
    const m = Object.fromEntries(data.metrics.map((x) => [x.key, x]));
    expect(m.acc).toEqual({ key: "acc", value: 0.95, timestamp: 60, step: 7 });
    expect(Number.isNaN(m.nan.value)).toBe(true);
    expect(m.inf.value).toBe(Infinity);
    expect(m.ninf.value).toBe(-Infinity);
    expect(await count(metrics, runId)).toBe(8);
  });

  it("enforces MLflow's batch limits, naming the limit, and writes nothing", async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: "v" }));
    await expect(logBatch(t.db, eng(), { runId, params: many(101) })).rejects.toThrow(/at most 100 params; this one has 101/);
    await expect(logBatch(t.db, eng(), { runId, tags: many(101) })).rejects.toThrow(/at most 100 tags/);
    const ms = Array.from({ length: 1001 }, (_, i) => ({ key: "x", value: i, timestamp: i, step: i }));
    await expect(logBatch(t.db, eng(), { runId, metrics: ms })).rejects.toThrow(/at most 1000 metrics/);
    await expect(logBatch(t.db, eng(), { runId, metrics: ms.slice(0, 950), params: many(60) })).rejects.toThrow(
      /at most 1000 metrics, params and tags in total/,
    );
    await expect(logBatch(t.db, eng(), { runId, params: [{ key: "long", value: "x".repeat(6001) }] })).rejects.toThrow(/6000/);
    await expect(logBatch(t.db, eng(), { runId, tags: [{ key: "k".repeat(251), value: "x" }] })).rejects.toThrow(/250/);
    expect(await count(params, runId)).toBe(1);
  });

  it("refuses unknown runs and logging to deleted runs, and updates status and end time", async () => {
    await expect(logMetric(t.db, eng(), { runId: "f".repeat(32), key: "a", value: 1, timestamp: 1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const r = await createRun(t.db, eng(), {});
    const done = await updateRun(t.db, eng(), { runId: r.info.runId, status: "FINISHED", endTime: 12345 });
    expect(done).toMatchObject({ status: "FINISHED", endTime: 12345 });
    // MLflow still takes metrics on a finished (active) run.
    await logMetric(t.db, eng(), { runId: r.info.runId, key: "late", value: 1, timestamp: 1 });
    await deleteRun(t.db, eng(), r.info.runId);
    await expect(setRunTag(t.db, eng(), { runId: r.info.runId, key: "a", value: "b" })).rejects.toMatchObject({ code: "INVALID" });
    // The run view (read as one JSON text) carries every column as drizzle reads it: dates as Dates, nulls, numbers.
    const [row] = await t.db.select().from(runs).where(eq(runs.runId, r.info.runId));
    const view = await getRun(t.db, r.info.runId);
    expect(view.info).toEqual(row);
    expect(view.info.deletedAt).toBeInstanceOf(Date);
    expect(view.info.createdAt.getTime()).toBe(row.createdAt.getTime());
    const [searched] = (await searchRuns(t.db, { experimentIds: [String(row.experimentId)], filter: `attributes.run_id = '${row.runId}'`, runViewType: "ALL" }))
      .runs;
    expect(searched.info).toEqual(row);
  });
});

describe("search and history", () => {
  let expId: string;
  let ids: string[];
  beforeAll(async () => {
    expId = String((await createExperiment(t.db, eng(), { name: "search" })).id);
    ids = await importRuns(
      t.db,
      eng(),
      expId,
      Array.from({ length: 30 }, (_, i) => ({
        runName: `run-${String(i).padStart(2, "0")}`,
        status: i % 10 === 9 ? ("FAILED" as const) : ("FINISHED" as const),
        startTime: 1_000_000 + i,
        params: { lr: String([0.1, 0.01, 0.001][i % 3]), backbone: i % 2 ? "resnet" : "mobilenet" },
        tags: { team: "perception" },
        metrics: i === 29 ? [] : [{ key: "acc", steps: [0, 1], values: [0, i / 100], timestamps: [1, 2] }],
      })),
    );
  });

  it("filters on metrics, params, tags and attributes, ordered by a metric with nulls last", async () => {
    const r = await searchRuns(t.db, {
      experimentIds: [expId],
      filter: "metrics.acc >= 0.2 and params.lr = '0.1' and tags.team = 'perception'",
      orderBy: ["metrics.acc DESC"],
    });
    expect(r.runs.map((x) => x.info.runName)).toEqual(["run-27", "run-24", "run-21"]);
    expect(r.runs[0].data.metrics).toEqual([{ key: "acc", value: 0.27, timestamp: 2, step: 1 }]);
    const failed = await searchRuns(t.db, { experimentIds: [expId], filter: "attributes.status IN ('FAILED') and run_name LIKE 'run-1%'" });
    expect(failed.runs.map((x) => x.info.runName)).toEqual(["run-19"]);
    const byAcc = await searchRuns(t.db, { experimentIds: [expId], orderBy: ["metrics.acc ASC"] });
    expect(byAcc.runs[byAcc.runs.length - 1].info.runName).toBe("run-29");
  });

  it("pages with opaque tokens until the last page, and refuses a forged token", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await searchRuns(t.db, { experimentIds: [expId], maxResults: 7, pageToken: token, orderBy: ["attributes.run_name"] });
      seen.push(...page.runs.map((r) => r.info.runName));
      token = page.nextPageToken ?? undefined;
    } while (token);
    expect(seen).toHaveLength(30);
    expect(seen).toEqual([...seen].sort());
    await expect(searchRuns(t.db, { experimentIds: [expId], pageToken: "not-a-token" })).rejects.toMatchObject({ code: "INVALID" });
    await expect(searchRuns(t.db, { experimentIds: [expId], filter: "metrics.acc >" })).rejects.toThrow(/position 13/);
  });

  it("pages metric history in step order with keyset tokens", async () => {
    const runId = ids[0];
    const points = Array.from({ length: 950 }, (_, i) => ({ key: "loss", value: 1 / (i + 1), timestamp: 10_000 + i, step: 949 - i }));
    await logBatch(t.db, eng(), { runId, metrics: points });
    const steps: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await getMetricHistory(t.db, { runId, key: "loss", maxResults: 400, pageToken: token });
      steps.push(...page.metrics.map((m) => m.step));
      token = page.nextPageToken ?? undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(steps).toEqual(Array.from({ length: 950 }, (_, i) => i));
    const latest = await t.db
      .select()
      .from(latestMetrics)
      .where(and(eq(latestMetrics.runId, runId), eq(latestMetrics.key, "loss")));
    expect(latest[0]).toMatchObject({ step: 949, value: 1 });
  });

  it("returns history values exactly (NaN, the infinities, full doubles), ties on a step in timestamp order, and pages that end on the last point", async () => {
    const run = await createRun(t.db, eng(), { experimentId: "0" });
    const runId = run.info.runId;
    const values = [NaN, Infinity, -Infinity, 5e-324, 0.1 + 0.2, 1e-300, -123456789.123456789, Number.MAX_VALUE];
    // Two points on step 5, logged late-first: the page orders them by timestamp.
    const points = [...values.map((value, i) => ({ key: "odd", value, timestamp: 2_000 + i, step: i })), { key: "odd", value: 9, timestamp: 1_001, step: 5 }];
    await logBatch(t.db, eng(), { runId, metrics: points });
    const all = await getMetricHistory(t.db, { runId, key: "odd", maxResults: 100 });
    expect(all.nextPageToken).toBeNull();
    expect(all.metrics.map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 5, 6, 7]);
    expect(all.metrics.map((m) => m.timestamp)).toEqual([2_000, 2_001, 2_002, 2_003, 2_004, 1_001, 2_005, 2_006, 2_007]);
    const got = all.metrics.filter((m) => m.timestamp !== 1_001).map((m) => m.value);
    expect(got).toHaveLength(values.length);
    got.forEach((v, i) => expect([i, v]).toEqual([i, values[i]]));
    expect(all.metrics.every((m) => m.key === "odd")).toBe(true);
    // Exactly one page's worth: no token; one more than a page: a token whose next page holds the rest.
    expect((await getMetricHistory(t.db, { runId, key: "odd", maxResults: 9 })).nextPageToken).toBeNull();
    const first = await getMetricHistory(t.db, { runId, key: "odd", maxResults: 8 });
    expect(first.metrics).toHaveLength(8);
    const rest = await getMetricHistory(t.db, { runId, key: "odd", maxResults: 8, pageToken: first.nextPageToken ?? undefined });
    expect(rest).toEqual({ metrics: [expect.objectContaining({ step: 7, timestamp: 2_007 })], nextPageToken: null });
    // A key never logged is an empty history; a run that does not exist is not found.
    expect(await getMetricHistory(t.db, { runId, key: "never", maxResults: 10 })).toEqual({ metrics: [], nextPageToken: null });
    await expect(getMetricHistory(t.db, { runId: "f".repeat(32), key: "odd", maxResults: 10 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("serves chart series downsampled with true min/max, from SQL buckets for long histories", async () => {
    const n = 120_000;
    const values = Array.from({ length: n }, (_, i) => (i === 70_001 ? 99 : Math.cos(i / 1000)));
    const [long] = await importRuns(t.db, eng(), expId, [
      {
        runName: "long",
        status: "FINISHED",
        startTime: 0,
        metrics: [{ key: "loss", steps: values.map((_, i) => i), values, timestamps: values.map((_, i) => i * 10) }],
      },
    ]);
    const r = await metricSeries(t.db, { runIds: [long, ids[0]], key: "loss", maxPoints: 500 });
    expect(r.series.map((s) => s.runId)).toEqual([long, ids[0]]);
    const s = r.series[0];
    expect(s).toMatchObject({ total: n, downsampled: true });
    expect(s.points.length).toBeLessThanOrEqual(500);
    expect(Math.max(...s.points.map((p) => p.max))).toBe(99);
    expect(s.points.reduce((a, p) => a + p.count, 0)).toBe(n);
    const zoom = await metricSeries(t.db, { runIds: [long], key: "loss", range: { from: 70_000, to: 70_100 }, maxPoints: 500 });
    expect(zoom.series[0]).toMatchObject({ total: 101, downsampled: false });
    expect(zoom.series[0].points.find((p) => p.x === 70_001)?.y).toBe(99);
    const rel = await metricSeries(t.db, { runIds: [ids[0]], key: "acc", xAxis: "relative" });
    expect(rel.series[0].points.map((p) => p.x)).toEqual([1 - 1_000_000, 2 - 1_000_000]);
  });
});

describe("tRPC", () => {
  it("lists experiments, reads the runs table with chosen columns and keys for the column chooser", async () => {
    const api = t.caller("viewer");
    const list = await api.experiments.listExperiments({ q: "search" });
    const exp = list.items.find((e) => e.name === "search")!;
    expect(exp.runCount).toBe(31);
    const table = await api.experiments.searchRuns({
      experimentIds: [exp.id],
      filter: "params.backbone = 'resnet'",
      orderBy: ["params.lr DESC"],
      columns: { params: ["lr"], metrics: [] },
      limit: 5,
    });
    expect(table.total).toBe(15);
    expect(table.rows).toHaveLength(5);
    expect(Object.keys(table.rows[0].params)).toEqual(["lr"]);
    expect(table.rows[0].metrics).toEqual({});
    expect((await api.experiments.paramKeys({ experimentIds: [exp.id] })).map((k) => k.key)).toEqual(["backbone", "lr"]);
    expect((await api.experiments.metricKeys({ experimentIds: [exp.id] })).find((k) => k.key === "acc")?.runs).toBe(29);
    const run = await api.experiments.getRun({ runId: table.rows[0].runId });
    expect(run.experiment.name).toBe("search");
  });

  it("groups the filtered runs by a param with aggregates of a metric's latest value", async () => {
    const api = t.caller("viewer");
    const exp = (await api.experiments.listExperiments({ q: "search" })).items.find((e) => e.name === "search")!;
    const groups = await api.experiments.runGroups({
      experimentIds: [exp.id],
      filter: "params.backbone = 'resnet'",
      by: { kind: "param", key: "lr" },
      metric: "acc",
    });
    // resnet runs are the odd i < 30; lr cycles 0.1, 0.01, 0.001 by i % 3; run 29 has no acc.
    const g = Object.fromEntries(groups.map((x) => [x.value, x]));
    expect(groups.map((x) => x.value)).toEqual(["0.001", "0.01", "0.1"]);
    expect(g["0.01"]).toMatchObject({ runs: 5, withMetric: 5, min: 0.01, max: 0.25 });
    expect(g["0.001"]).toMatchObject({ runs: 5, withMetric: 4, min: 0.05, max: 0.23 });
    expect(g["0.1"].mean).toBeCloseTo((0.03 + 0.09 + 0.15 + 0.21 + 0.27) / 5);
    const byTag = await api.experiments.runGroups({ experimentIds: [exp.id], by: { kind: "tag", key: "nope" } });
    expect(byTag).toEqual([{ value: null, runs: 31, withMetric: 0, min: null, max: null, mean: null }]);
  });

  it("lets engineers archive and restore; viewers cannot", async () => {
    const e = await createExperiment(t.db, eng(), { name: "trpc-archive" });
    await expect(t.caller("viewer").experiments.archiveExperiment({ experimentId: String(e.id) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await t.caller("engineer").experiments.archiveExperiment({ experimentId: String(e.id) })).lifecycleStage).toBe("deleted");
    expect((await t.caller("engineer").experiments.restoreExperiment({ experimentId: String(e.id) })).lifecycleStage).toBe("active");
    await expect(t.caller("viewer").experiments.searchRuns({ experimentIds: [String(e.id)], filter: "metrics.a > 'x'" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
