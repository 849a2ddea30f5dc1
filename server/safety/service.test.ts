import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { auditLog, evaluationResults, evaluations, safetySignOffs } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createModel, registerVersion, setAlias } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import type { TPostEvaluation } from "./schemas";
import { latestSignOff, postEvaluation, releaseReview, safetyOverview } from "./service";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-safety-"));

type Row = TPostEvaluation["results"][number];
const fcw = (results: Row[], version = 1, dataset = "fleet-eval"): TPostEvaluation => ({
  model: "fcw",
  version,
  dataset: { name: dataset, version: "3" },
  results,
});
const overall = (tp: number, fp: number, fn: number, drivingHours = 1000): Row => ({ eventType: "forward-collision-warning", tp, fp, fn, drivingHours });
const night = (tp: number, fp: number, fn: number): Row => ({
  eventType: "forward-collision-warning",
  slice: { dimension: "time_of_day", value: "night" },
  tp,
  fp,
  fn,
  drivingHours: 300,
});

async function issuesOf(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ZodError);
  return (err as ZodError).issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

async function evaluationCount() {
  const [{ n }] = await t.db.select({ n: count() }).from(evaluations);
  const [{ r }] = await t.db.select({ r: count() }).from(evaluationResults);
  return { n, r };
}

beforeAll(async () => {
  t = await setupTestEnv();
  const store = new LocalArtifactStore(root);
  await createModel(t.db, t.actors.engineer, { slug: "fcw", name: "FCW", team: "perception", task: "detection" });
  for (let i = 0; i < 3; i++) await registerVersion(t.db, store, t.actors.engineer, "fcw", { artifactUri: `s3://m/fcw/${i + 1}.onnx` });
  await setAlias(t.db, t.actors.engineer, "fcw", "production", 1);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("posting evaluations", () => {
  it("stores counts and computes rates and intervals, audited", async () => {
    const ev = await postEvaluation(t.db, t.actors.engineer, fcw([overall(930, 70, 70, 5000), night(300, 40, 50)]));
    const all = ev.results.find((r) => r.slice.dimension === "all")!;
    expect(all.recall?.value).toBe(0.93);
    expect(all.recall?.lo).toBeCloseTo(0.9124853518487167, 12);
    expect(all.precision?.value).toBe(0.93);
    expect(all.falseAlertsPer1kHours).toBe(14);
    expect(ev.dataset).toBe("fleet-eval@3");
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "evaluation.create"), eq(auditLog.entityId, "fcw/1")));
    expect(audit).toHaveLength(1);
  });

  it("refuses counts that do not add up, naming the row and field, and writes nothing", async () => {
    const before = await evaluationCount();
    const issues = await issuesOf(
      postEvaluation(
        t.db,
        t.actors.engineer,
        fcw([
          overall(90, 10, 10),
          { ...night(50, 5, 5), positives: 60 },
          { ...night(1, 1, 1), slice: { dimension: "weather", value: "rain" }, negatives: 4, tn: 2 },
        ]),
      ),
    );
    expect(issues).toEqual([
      { path: "results.1.fn", message: "TP + FN = 55 but positives = 60" },
      { path: "results.2.tn", message: "FP + TN = 3 but negatives = 4" },
    ]);
    expect(await evaluationCount()).toEqual(before);
  });

  it("refuses unknown event types and slices bigger than the whole", async () => {
    const before = await evaluationCount();
    const unknown = await issuesOf(postEvaluation(t.db, t.actors.engineer, fcw([overall(1, 1, 1), { eventType: "sneezing", tp: 1, fp: 0, fn: 0 }])));
    expect(unknown[0].path).toBe("results.1.eventType");
    expect(unknown[0].message).toMatch(/^Unknown event type "sneezing"; known types: forward-collision-warning/);
    const bigger = await issuesOf(
      postEvaluation(
        t.db,
        t.actors.engineer,
        fcw([overall(10, 1, 1), night(6, 1, 0), { ...night(6, 0, 0), slice: { dimension: "time_of_day", value: "day" } }]),
      ),
    );
    expect(bigger).toEqual([
      { path: "results.2.tp", message: "The time_of_day slices of forward-collision-warning add up to TP = 12, more than the whole dataset's 10" },
    ]);
    const dup = await issuesOf(postEvaluation(t.db, t.actors.engineer, fcw([overall(10, 1, 1), overall(10, 1, 1)])));
    expect(dup[0]).toEqual({ path: "results.1.slice", message: "Duplicates row 0 (forward-collision-warning, all=all)" });
    const negative = await issuesOf(postEvaluation(t.db, t.actors.engineer, fcw([overall(-1, 1, 1)])));
    expect(negative[0].path).toBe("results.0.tp");
    expect(await evaluationCount()).toEqual(before);
  });

  it("refuses a version that does not exist, writing nothing", async () => {
    const before = await evaluationCount();
    await expect(postEvaluation(t.db, t.actors.engineer, fcw([overall(1, 1, 1)], 99))).rejects.toThrow("Version 99 of fcw not found");
    expect(await evaluationCount()).toEqual(before);
  });
});

describe("release review and sign-off", () => {
  beforeAll(async () => {
    // v3: overall recall 0.90 on 1,000 positives (a real drop from .93); night recall .829 on 350 (a 2.9-point drop from .857, within noise).
    await postEvaluation(t.db, t.actors.engineer, fcw([overall(900, 60, 100, 5000), night(290, 30, 60)], 3));
  });

  it("marks a regression only where the interval says so", async () => {
    const r = await releaseReview(t.db, { slug: "fcw", candidate: 3 });
    expect(r.dataset).toBe("fleet-eval@3");
    expect(r.production?.version).toBe(1);
    const all = r.rows.find((x) => x.dimension === "all")!;
    expect(all.recall.verdict).toBe("regressed");
    expect(all.recall.delta?.delta).toBeCloseTo(-0.03, 12);
    expect(all.recall.delta?.hi).toBeLessThan(0);
    const n = r.rows.find((x) => x.value === "night")!;
    expect(n.recall.delta?.delta).toBeLessThan(0);
    expect(n.recall.verdict).toBe("unchanged");
    expect(r.regressions).toEqual([{ eventType: "forward-collision-warning", dimension: "all", value: "all", recall: "regressed", precision: "unchanged" }]);
  });

  it("shows production numbers, the trend and the candidate's regressed slices on the overview", async () => {
    const [row] = await safetyOverview(t.db);
    expect(row.eventType).toBe("forward-collision-warning");
    expect(row.production?.version).toBe(1);
    expect(row.production?.recall?.value).toBe(0.93);
    expect(row.trend.map((p) => [p.version, p.recall])).toEqual([
      [1, 0.93],
      [3, 0.9],
    ]);
    expect(row.candidate).toEqual({ version: 3, regressedSlices: [{ dimension: "all", value: "all", metric: "recall" }], signOff: null });
    expect(row.shippedWithoutSignOff).toEqual([]);
  });

  it("refuses a viewer without the safety-reviewer permission, then accepts once an admin grants it", async () => {
    const review = await releaseReview(t.db, { slug: "fcw", candidate: 3 });
    const seen = { candidateEvaluationId: review.candidate.evaluationId!, productionEvaluationId: review.production!.evaluationId };
    const input = { slug: "fcw", version: 3, decision: "reject" as const, comment: "Overall recall dropped 3 points", seen };
    await expect(t.caller("viewer").safety.signOff(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(t.caller("engineer").safety.grant({ userId: t.actors.viewer.userId, permission: "safety_reviewer" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await t.db.select().from(safetySignOffs)).toHaveLength(0);

    await t.caller("admin").safety.grant({ userId: t.actors.viewer.userId, permission: "safety_reviewer" });
    const first = await t.caller("viewer").safety.signOff(input);
    expect(first).toMatchObject({ decision: "reject", reviewer: "viewer@test.local", superseded: false, supersedesId: null });
    expect(first.snapshot).toMatchObject({
      candidate: { version: 3 },
      production: { version: 1 },
      dataset: "fleet-eval@3",
      regressions: [{ dimension: "all" }],
    });

    const second = await t.caller("viewer").safety.signOff({ ...input, decision: "approve", comment: "Accepted: the drop is on highway scenes only" });
    expect(second.supersedesId).toBe(first.id);
    const latest = await latestSignOff(t.db, "fcw", 3);
    expect(latest?.id).toBe(second.id);
    const all = await t.caller("viewer").safety.signOffs({ slug: "fcw", version: 3 });
    expect(all.map((s) => [s.decision, s.superseded])).toEqual([
      ["approve", false],
      ["reject", true],
    ]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, "fcw/3"));
    expect(audit.map((a) => a.action).filter((a) => a.startsWith("signoff."))).toEqual(["signoff.reject", "signoff.approve"]);
  });

  it("refuses a sign-off on numbers that changed since the page was opened", async () => {
    const review = await releaseReview(t.db, { slug: "fcw", candidate: 3 });
    const seen = { candidateEvaluationId: review.candidate.evaluationId!, productionEvaluationId: review.production!.evaluationId };
    await postEvaluation(t.db, t.actors.engineer, fcw([overall(920, 60, 80, 5000)], 3));
    const before = (await t.db.select().from(safetySignOffs)).length;
    await expect(t.caller("viewer").safety.signOff({ slug: "fcw", version: 3, decision: "approve", comment: "looks fine", seen })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect(await t.db.select().from(safetySignOffs)).toHaveLength(before);
  });

  it("lets an admin revoke the permission, after which the viewer is refused again", async () => {
    await t.caller("admin").safety.revoke({ userId: t.actors.viewer.userId, permission: "safety_reviewer" });
    const review = await releaseReview(t.db, { slug: "fcw", candidate: 3 });
    const seen = { candidateEvaluationId: review.candidate.evaluationId!, productionEvaluationId: review.production!.evaluationId };
    await expect(t.caller("viewer").safety.signOff({ slug: "fcw", version: 3, decision: "approve", comment: "again", seen })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const reviewers = await t.caller("admin").safety.reviewers();
    expect(reviewers.filter((r) => r.granted)).toHaveLength(0);
  });
});
