// Sweeps, confusion matrices and example frames posted with evaluations, and what the release review makes of them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { evaluations, sampleFrames } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { Invalid } from "@/server/errors";
import { createModel, registerVersion, setAlias } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import type { TPostEvaluation } from "./schemas";
import { LATENCY_BUCKETS } from "@/server/telemetry/histogram";
import { ingestSummaries } from "@/server/telemetry/service";
import { postEvaluation, releaseReview, safetyOverview } from "./service";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-safety-extras-"));
const frameIds: string[] = [];

const DD = "distracted-driving";
const whole = (tp: number, fp: number, fn: number) => ({ eventType: DD, tp, fp, fn });
const sweep = (points: [number, number, number, number][]) => ({ eventType: DD, points: points.map(([threshold, tp, fp, fn]) => ({ threshold, tp, fp, fn })) });
const post = (version: number, extra: Partial<TPostEvaluation>, results = [whole(90, 10, 10)]): TPostEvaluation => ({
  model: "dd",
  version,
  dataset: { name: "lab" },
  results,
  ...extra,
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
  return (await t.db.select({ n: count() }).from(evaluations))[0].n;
}

beforeAll(async () => {
  t = await setupTestEnv();
  const store = new LocalArtifactStore(root);
  await createModel(t.db, t.actors.engineer, { slug: "dd", name: "DD", team: "dm", task: "classification" });
  for (let i = 0; i < 2; i++) await registerVersion(t.db, store, t.actors.engineer, "dd", { artifactUri: `s3://m/dd/${i + 1}.onnx` });
  await setAlias(t.db, t.actors.engineer, "dd", "production", 1);
  for (const name of ["night-1", "rain-1", "glare-1"]) {
    const [f] = await t.db
      .insert(sampleFrames)
      .values({
        name,
        sha256: name,
        mediaType: "image/png",
        width: 640,
        height: 360,
        sizeBytes: 1,
        source: "upload",
        groundTruth: { boxes: [{ x: 10, y: 20, w: 30, h: 40, label: "car" }] },
      })
      .returning();
    frameIds.push(f.id);
  }
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("threshold sweeps: bad input", () => {
  it("refuses thresholds that do not ascend or leave [0, 1], naming the point, and writes nothing", async () => {
    const before = await evaluationCount();
    const issues = await issuesOf(
      postEvaluation(
        t.db,
        t.actors.engineer,
        post(1, {
          sweeps: [
            sweep([
              [0.5, 90, 10, 10],
              [0.4, 80, 5, 20],
              [1.2, 70, 2, 30],
            ]),
          ],
        }),
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "sweeps.0.points.1.threshold", message: "Thresholds must ascend: 0.4 follows 0.5" },
        { path: "sweeps.0.points.2.threshold", message: "a score threshold in [0, 1]" },
      ]),
    );
    expect(await evaluationCount()).toBe(before);
  });

  it("refuses counts that do not add up along the sweep or against the whole-dataset row", async () => {
    const before = await evaluationCount();
    const along = await issuesOf(
      postEvaluation(
        t.db,
        t.actors.engineer,
        post(1, {
          sweeps: [
            sweep([
              [0.2, 95, 30, 5],
              [0.5, 90, 10, 11],
              [0.8, 92, 12, 8],
            ]),
          ],
        }),
      ),
    );
    expect(along).toEqual([
      { path: "sweeps.0.points.1.fn", message: "TP + FN = 101 but 100 at threshold 0.2; the positives do not change with the threshold" },
      { path: "sweeps.0.points.2.fn", message: "TP + FN = 100 but 101 at threshold 0.5; the positives do not change with the threshold" },
      { path: "sweeps.0.points.2.tp", message: "TP rises from 90 to 92 as the threshold rises; a higher threshold can only drop detections" },
      { path: "sweeps.0.points.2.fp", message: "FP rises from 10 to 12 as the threshold rises; a higher threshold can only drop detections" },
    ]);
    const against = await issuesOf(
      postEvaluation(
        t.db,
        t.actors.engineer,
        post(1, {
          sweeps: [
            sweep([
              [0.2, 95, 30, 15],
              [0.5, 90, 10, 20],
            ]),
          ],
        }),
      ),
    );
    expect(against).toEqual([{ path: "sweeps.0.points.0.fn", message: "TP + FN = 110 but the whole-dataset row of distracted-driving has 100 positives" }]);
    expect(await evaluationCount()).toBe(before);
  });

  it("refuses an unknown event type and a sweep without a result row, naming the field", async () => {
    const before = await evaluationCount();
    const unknown = await issuesOf(
      postEvaluation(
        t.db,
        t.actors.engineer,
        post(1, {
          sweeps: [
            {
              eventType: "sneezing",
              points: [
                { threshold: 0.1, tp: 1, fp: 0, fn: 0 },
                { threshold: 0.2, tp: 1, fp: 0, fn: 0 },
              ],
            },
          ],
        }),
      ),
    );
    expect(unknown[0].path).toBe("sweeps.0.eventType");
    expect(unknown[0].message).toMatch(/^Unknown event type "sneezing"/);
    const orphan = await issuesOf(
      postEvaluation(
        t.db,
        t.actors.engineer,
        post(1, {
          sweeps: [
            {
              ...sweep([
                [0.1, 5, 1, 0],
                [0.2, 5, 0, 0],
              ]),
              eventType: "seatbelt",
            },
          ],
        }),
      ),
    );
    expect(orphan).toEqual([{ path: "sweeps.0.eventType", message: "seatbelt has a sweep but no whole-dataset result row" }]);
    expect(await evaluationCount()).toBe(before);
  });
});

describe("confusion matrices and examples: bad input", () => {
  it("refuses a matrix whose shape does not match its classes", async () => {
    const before = await evaluationCount();
    const issues = await issuesOf(
      postEvaluation(
        t.db,
        t.actors.engineer,
        post(1, {
          confusionMatrices: [
            {
              name: "state",
              labels: ["a", "b", "a"],
              matrix: [
                [1, 2, 3],
                [4, 5],
              ],
            },
          ],
        }),
      ),
    );
    expect(issues).toEqual([
      { path: "confusionMatrices.0.labels", message: 'Class "a" is listed twice' },
      { path: "confusionMatrices.0.matrix", message: "3 classes need 3 rows, got 2" },
      { path: "confusionMatrices.0.matrix.1", message: "Row 1 (b) has 2 columns; 3 classes need 3" },
    ]);
    expect(await evaluationCount()).toBe(before);
  });

  it("refuses an example frame that is not in the frame library, naming it, and writes nothing", async () => {
    const before = await evaluationCount();
    const err = await postEvaluation(
      t.db,
      t.actors.engineer,
      post(1, {
        examples: [
          { eventType: DD, frameId: frameIds[0], outcome: "fn" },
          { eventType: DD, frameId: "00000000-0000-4000-8000-000000000000", outcome: "fp" },
        ],
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Error).message).toMatch(/^examples\.1\.frameId: no frame 00000000-0000-4000-8000-000000000000/);
    const bad = await issuesOf(
      postEvaluation(t.db, t.actors.engineer, post(1, { examples: [{ eventType: DD, frameId: frameIds[0], outcome: "tp" as "fp" }] })),
    );
    expect(bad[0].path).toBe("examples.0.outcome");
    expect(await evaluationCount()).toBe(before);
  });
});

describe("release review with sweeps, matrices and examples", () => {
  beforeAll(async () => {
    await postEvaluation(
      t.db,
      t.actors.engineer,
      post(1, {
        sweeps: [
          sweep([
            [0.2, 95, 40, 5],
            [0.5, 90, 10, 10],
            [0.8, 60, 0, 40],
          ]),
        ],
        confusionMatrices: [
          {
            name: "state",
            labels: ["attentive", "distracted"],
            matrix: [
              [90, 10],
              [10, 90],
            ],
          },
        ],
        examples: [{ eventType: DD, frameId: frameIds[2], outcome: "fp" }],
      }),
    );
    await postEvaluation(
      t.db,
      t.actors.engineer,
      post(
        2,
        {
          sweeps: [
            sweep([
              [0.1, 98, 50, 2],
              [0.5, 92, 8, 8],
              [0.9, 50, 0, 50],
              [0.95, 0, 0, 100],
            ]),
          ],
          confusionMatrices: [
            {
              name: "state",
              labels: ["attentive", "distracted"],
              matrix: [
                [95, 5],
                [8, 92],
              ],
            },
          ],
          examples: [
            { eventType: DD, frameId: frameIds[2], outcome: "fp" },
            { eventType: DD, frameId: frameIds[0], outcome: "fn", box: { x: 1, y: 2, w: 3, h: 4 } },
            { eventType: DD, frameId: frameIds[1], outcome: "fp" },
          ],
        },
        [whole(92, 8, 8)],
      ),
    );
  });

  it("overlays both PR curves with each operating point from the whole-dataset row", async () => {
    const r = await releaseReview(t.db, { slug: "dd", candidate: 2 });
    expect(r.curves).toHaveLength(1);
    const [c] = r.curves;
    expect(c.eventType).toBe(DD);
    // 0.95 has no detections: left out.
    expect(c.candidate?.points.map((p) => [p.threshold, p.recall])).toEqual([
      [0.1, 0.98],
      [0.5, 0.92],
      [0.9, 0.5],
    ]);
    expect(c.candidate?.operating).toEqual({ recall: 0.92, precision: 0.92 });
    expect(c.production?.points[0]).toEqual({ threshold: 0.2, recall: 0.95, precision: 95 / 135 });
    expect(c.production?.operating).toEqual({ recall: 0.9, precision: 0.9 });
  });

  it("shows confusion matrices for a classifier with per-class rates beside production's", async () => {
    const r = await releaseReview(t.db, { slug: "dd", candidate: 2 });
    expect(r.confusion).toHaveLength(1);
    expect(r.confusion[0].candidate.accuracy?.value).toBe(187 / 200);
    expect(r.confusion[0].candidate.classes[1]).toMatchObject({ label: "distracted", recall: { value: 0.92 }, precision: { value: 92 / 97 } });
    expect(r.confusion[0].production?.classes[0].recall?.value).toBe(0.9);
  });

  it("lists only the candidate's new false alerts and misses, with the frame and its boxes", async () => {
    const r = await releaseReview(t.db, { slug: "dd", candidate: 2 });
    expect(r.newExamples.map((e) => [e.frame.name, e.outcome])).toEqual([
      ["night-1", "fn"],
      ["rain-1", "fp"],
    ]);
    expect(r.newExamples[0]).toMatchObject({
      box: { x: 1, y: 2, w: 3, h: 4 },
      frame: { width: 640, height: 360, imageUrl: `/api/v1/frames/${frameIds[0]}/image`, truthBoxes: [{ x: 10, label: "car" }] },
    });
  });
});

describe("field metrics beside the lab", () => {
  const NOW = new Date("2026-03-04T12:00:00Z");
  beforeAll(async () => {
    // Production v1 on the fleet: three days a week apart, 150 TP, 20 FP, 50 FN each → recall 450/600 = .75, Wilson
    // [.714, .783], below the lab's 90/100 [.826, .945]: disagrees; precision 450/510 = .882 [.852, .907] overlaps the lab's [.826, .945].
    const day = (key: string, at: string, tp: number, fp: number, fn: number) => ({
      idempotencyKey: key,
      model: "dd",
      version: 1,
      target: "device",
      windowStart: at,
      windowSeconds: 86_400,
      requests: 1000,
      errors: 0,
      latencyMs: { counts: new Array(LATENCY_BUCKETS).fill(0) },
      outcomes: { [DD]: { tp, fp, fn } },
    });
    await ingestSummaries(
      t.db,
      t.actors.engineer,
      {
        summaries: [
          day("field-0001", "2026-02-17T00:00:00Z", 150, 20, 50),
          day("field-0002", "2026-02-24T00:00:00Z", 150, 20, 50),
          day("field-0003", "2026-03-02T00:00:00Z", 150, 20, 50),
        ],
      },
      { now: NOW, maxLatenessMs: 30 * 86_400_000 },
    );
  });

  it("pools the recent weeks per version and marks where the field disagrees with the lab", async () => {
    const r = await releaseReview(t.db, { slug: "dd", candidate: 2 }, NOW);
    expect(r.field).toHaveLength(1);
    const [f] = r.field;
    expect(f).toMatchObject({ eventType: DD, version: 1, role: "production", recall: "disagrees", precision: "agrees" });
    expect(f.weeks.map((w) => [w.week, w.tp])).toEqual([
      ["2026-02-16", 150],
      ["2026-02-23", 150],
      ["2026-03-02", 150],
    ]);
    // FIELD_POOLED_WEEKS = 4: all three weeks are pooled.
    expect(f.pooled).toMatchObject({ tp: 450, fp: 60, fn: 150 });
    expect(f.pooled.recall?.value).toBe(0.75);
    expect(f.pooled.recall?.hi).toBeCloseTo(0.7832, 3);
    expect(f.lab?.recall?.value).toBe(0.9);
  });

  it("shows the production field numbers on the overview with the same mark", async () => {
    const [row] = await safetyOverview(t.db, NOW);
    expect(row.field).toMatchObject({ recall: { value: 0.75 }, recallAgreement: "disagrees", precisionAgreement: "agrees" });
  });
});
