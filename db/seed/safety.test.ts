import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createSeededTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { ZPostEvaluation } from "@/server/safety/schemas";
import { addDays, toDay } from "@/server/cost/forecast";
import { costOverview, modelCost } from "@/server/cost/service";
import { releaseReview, safetyOverview } from "@/server/safety/service";
import { arrayContains } from "drizzle-orm";
import { sampleFrames } from "@/db/schema";
import { FCW_SETS } from "@/server/demo/fcw-frames";
import { fcwModelFile } from "@/server/demo/fcw-model";
import { SEATBELT_SETS } from "@/server/demo/cabin-frames";
import { SEATBELT_MODEL_FILE } from "@/server/demo/seatbelt-model";
import { getModel, getVersion, versionResource } from "@/server/registry/service";
import { makeInt8Variant } from "@/server/registry/variants";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { findUserByEmail } from "@/server/auth/users";
import { playgroundFrames } from "@/server/playground/service";
import { suggestedCalibrationTag } from "@/lib/variants";
import { demoConfusion, demoRows, demoSweep } from "./safety";
import { ZConfusionMatrix, ZSweep } from "@/server/safety/schemas";

describe("demo safety rows", () => {
  it("are deterministic and pass the evaluation validation (slices add up)", () => {
    const release = { version: 1, recall: 0.9, precision: 0.88, tweak: { night: { recall: -0.08 } } };
    const a = demoRows("forward-collision-warning", 2400, 5, release, 42);
    expect(demoRows("forward-collision-warning", 2400, 5, release, 42)).toEqual(a);
    const parsed = ZPostEvaluation.safeParse({ model: "fcw", version: 1, dataset: { name: "d" }, results: a });
    expect(parsed.success).toBe(true);
    for (const dim of ["time_of_day", "weather", "region", "camera_model"]) {
      const slices = a.filter((r) => r.slice?.dimension === dim);
      expect(slices.reduce((s, r) => s + r.tp + r.fn, 0)).toBe(2400);
    }
    const night = a.find((r) => r.slice?.value === "night")!;
    expect(night.tp / (night.tp + night.fn)).toBeLessThan(0.85);
  });
});

describe("demo sweeps and matrices", () => {
  it("pass through the operating point at 0.5 and the sweep validation", () => {
    const pts = demoSweep({ tp: 930, fp: 70, fn: 70 });
    expect(pts.find((p) => p.threshold === 0.5)).toEqual({ threshold: 0.5, tp: 930, fp: 70, fn: 70 });
    expect(ZSweep.safeParse({ eventType: "seatbelt", points: pts }).success).toBe(true);
    expect(pts[0].tp).toBeGreaterThan(930);
    expect(pts.at(-1)!.fp).toBeLessThan(70);
  });
  it("make a valid matrix whose rows add up to the support", () => {
    const m = demoConfusion("x", ["a", "b", "c"], [100, 50, 10], 0.9, 1);
    expect(ZConfusionMatrix.safeParse(m).success).toBe(true);
    expect(m.matrix.map((r) => r.reduce((a, b) => a + b, 0))).toEqual([100, 50, 10]);
  });
});

describe("demo seed: safety and cost", () => {
  let database: Database;
  let storeRoot: string;
  beforeAll(async () => {
    const seeded = await createSeededTestDatabase();
    database = seeded;
    storeRoot = seeded.storeRoot;
  }, SEED_HOOK_MS);
  afterAll(async () => {
    await database.close();
  });

  it("tells the FCW story, computed: v3 loses pedestrians at night against v2 on the evaluation frames", async () => {
    const overview = await safetyOverview(database.db);
    expect(new Set(overview.map((r) => r.eventType))).toEqual(
      new Set(["forward-collision-warning", "pedestrian-warning", "distracted-driving", "phone-use", "drowsiness", "seatbelt"]),
    );
    const ped = overview.find((r) => r.eventType === "pedestrian-warning")!;
    expect(ped.production?.version).toBe(2);
    expect(ped.trend.map((p) => p.version)).toEqual([2, 3]);
    expect(ped.candidate?.regressedSlices).toContainEqual({ dimension: "time_of_day", value: "night", metric: "recall" });
    const review = await releaseReview(database.db, { slug: "forward-collision-warning", candidate: 3 });
    expect(review.dataset).toContain(FCW_SETS.eval.tag);
    // The counts come from matching detections to the frames' ground truth: TP + FN is every labelled pedestrian.
    const frames = await database.db
      .select()
      .from(sampleFrames)
      .where(arrayContains(sampleFrames.tags, [FCW_SETS.eval.tag]));
    expect(frames).toHaveLength(FCW_SETS.eval.count);
    const pedestrians = frames.flatMap((f) => f.groundTruth?.boxes ?? []).filter((b) => b.label === "pedestrian").length;
    const whole = review.rows.find((r) => r.eventType === "pedestrian-warning" && r.dimension === "all")!;
    expect(whole.candidate!.tp + whole.candidate!.fn).toBe(pedestrians);
    expect(whole.production!.tp + whole.production!.fn).toBe(pedestrians);
    const dd = await releaseReview(database.db, { slug: "distracted-driving", candidate: 2 });
    expect(dd.regressions).toEqual([]);
    // PR curves from the computed sweeps, confusion matrices only for the classifier, v3's new misses include night pedestrians.
    expect(review.curves.map((c) => c.eventType)).toEqual(["forward-collision-warning", "pedestrian-warning"]);
    expect(review.curves[0].candidate?.operating).not.toBeNull();
    expect(review.confusion).toEqual([]);
    expect(dd.confusion.map((c) => c.name)).toEqual(["driver state"]);
    expect(overview.find((r) => r.eventType === "seatbelt")?.field).toMatchObject({ recallAgreement: "agrees", precisionAgreement: "agrees" });
    expect(review.newExamples.some((e) => e.outcome === "fn" && e.eventType === "pedestrian-warning" && e.frame.name.includes("night"))).toBe(true);
  });

  it("computes the seatbelt classifier's evaluation: v2's real weights run on the labelled cabin crops", async () => {
    const seatbelt = await getModel(database.db, "seatbelt");
    const byNumber = new Map(seatbelt.versions.map((v) => [v.number, v]));
    // Release 1 holds no weights and says so; v2 is the file examples/seatbelt-classifier trained.
    expect(byNumber.get(1)).toMatchObject({ artifactSha256: null, artifactUri: expect.stringMatching(/^s3:\/\//) });
    const v2 = versionResource(await getVersion(database.db, "seatbelt", 2));
    expect(v2.artifact).toMatchObject({ held: true, size: fs.statSync(SEATBELT_MODEL_FILE).size });
    expect(v2.lineage).toMatchObject({ sourceRunId: expect.any(String), dataset: { name: SEATBELT_SETS.train.tag } });
    expect(v2.manifest).toMatchObject({ labels: ["fastened", "unfastened", "obstructed"], postprocess: { kind: "softmax" } });
    expect(seatbelt.aliases.find((a) => a.alias === "production")?.version).toBe(1);
    const review = await releaseReview(database.db, { slug: "seatbelt", candidate: 2 });
    expect(review.dataset).toContain(SEATBELT_SETS.eval.tag);
    // Every crop is counted once in the matrix; the alert rows count the unfastened crops as the positives.
    const [matrix] = review.confusion;
    expect(matrix.name).toBe("belt state");
    expect(matrix.candidate.total).toBe(SEATBELT_SETS.eval.count);
    expect(matrix.candidate.classes.map((c) => c.support)).toEqual([40, 40, 40]);
    const whole = review.rows.find((r) => r.eventType === "seatbelt" && r.dimension === "all")!;
    expect(whole.candidate!.tp + whole.candidate!.fn).toBe(SEATBELT_SETS.eval.count / 3);
    expect(
      review.rows
        .filter((r) => r.dimension === "time_of_day")
        .map((r) => r.value)
        .sort(),
    ).toEqual(["day", "night"]);
    // A trained model, not chance: most crops land on the diagonal.
    expect(matrix.candidate.accuracy!.value).toBeGreaterThan(0.7);
  });

  it("generates cost with budgets, demo inference counts and the runaway LLM day flagged", async () => {
    const now = new Date();
    const anomalyDay = addDays(addDays(toDay(now), -1), -3);
    const o = await costOverview(database.db, { month: anomalyDay.slice(0, 7) }, now);
    expect(o.total.spentMicros).toBeGreaterThan(0);
    expect(o.budgets.map((b) => b.key).sort()).toEqual(["driver-monitoring", "incident-report-llm", "perception", "platform"]);
    expect(o.modelAnomalies.map((a) => [a.slug, a.day])).toContainEqual(["incident-report-llm", anomalyDay]);
    // Every model has demo usage rows; days where the demo telemetry counts more use telemetry instead.
    expect(o.models.every((m) => m.inferenceSource?.split(",").includes("demo"))).toBe(true);
    const fcw = await modelCost(database.db, { slug: "forward-collision-warning", month: anomalyDay.slice(0, 7) }, now);
    const [v3, v2] = fcw.versions;
    expect([v3.version, v2.version]).toEqual([3, 2]);
    // The canary costs about 40% more per inference.
    expect(v3.microsPer1k! / v2.microsPer1k!).toBeGreaterThan(1.3);
    // Cost against quality: FCW's versions with their cost per 1k and pooled recall.
    const scatter = o.scatter.filter((p) => p.slug === "forward-collision-warning").sort((a, b) => a.version - b.version);
    expect(scatter.map((p) => p.version)).toEqual([2, 3]);
    expect(scatter[1].microsPer1k / scatter[0].microsPer1k).toBeCloseTo(v3.microsPer1k! / v2.microsPer1k!, 6);
    expect(scatter[0].recall).toBeGreaterThan(0.3);
    // Filters: one resource kind only, and one model only.
    const gpu = await costOverview(database.db, { month: anomalyDay.slice(0, 7), kind: "gpu_hours" }, now);
    expect(gpu.dailyByKind.every((d) => d.kind === "gpu_hours")).toBe(true);
    expect(gpu.total.spentMicros).toBeLessThan(o.total.spentMicros);
    expect(gpu.total.budgetMicros).toBeNull();
    const one = await costOverview(database.db, { month: anomalyDay.slice(0, 7), model: "seatbelt" }, now);
    expect(one.models.map((m) => m.slug)).toEqual(["seatbelt"]);
    // Devices per version from the fleets: FCW v2 runs on the EU and US dashcam fleets.
    expect(v2.devices).toBeGreaterThan(0);
    expect(v2.microsPerDeviceMonth).not.toBeNull();
    expect(fcw.ota.fleetDevices).toBeGreaterThan(0);
    // v2's weights are held now (trained by examples/fcw-detector): its size is the shipped ONNX file's.
    expect(fcw.ota.versions.find((v) => v.version === 2)).toMatchObject({ sizeBytes: fs.statSync(fcwModelFile(2)).size, heldAsUri: false });
  });

  // Last in this file: it registers a variant (a new FCW version) in this copy of the seed.
  it("holds FCW's calibration frames, so a static int8 variant of v2 calibrates on the default tag", async () => {
    const slug = "forward-collision-warning";
    const tag = suggestedCalibrationTag(slug)!;
    expect(tag).toBe(FCW_SETS.calib.tag);
    const calib = await database.db
      .select({ name: sampleFrames.name })
      .from(sampleFrames)
      .where(arrayContains(sampleFrames.tags, [tag]));
    expect(calib).toHaveLength(FCW_SETS.calib.count);
    // The playground's newest frames still hold the demo scenes and every evaluation frame.
    const shown = await playgroundFrames(database.db);
    expect(shown.map((f) => f.name)).toContain("urban-day-stop");
    expect(shown.filter((f) => f.tags.includes(FCW_SETS.eval.tag))).toHaveLength(FCW_SETS.eval.count);
    const engineer = (await findUserByEmail(database.db, "engineer@example.com"))!;
    const actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "test" };
    const variant = versionResource(
      await makeInt8Variant(database.db, new LocalArtifactStore(storeRoot), actor, {
        slug,
        version: 2,
        method: "static",
        calibrationTag: tag,
        calibrationFrames: 4,
      }),
    );
    expect(variant).toMatchObject({ status: "draft", parentVersion: 2 });
    expect(variant.tags).toMatchObject({ quantization: "int8-static", "quantization.calibration_tag": tag, "quantization.calibration_frames": "4" });
  }, 180_000);
});
