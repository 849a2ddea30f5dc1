import { describe, expect, it } from "vitest";
import { FCW_SETS, fcwFrameSpecs, generateFcwFrames } from "./fcw-frames";
import { FRAME_HEIGHT, FRAME_WIDTH } from "./frame-generator";

describe("FCW frame sets", () => {
  it("are balanced day/night, pinned by seed and disjoint between training and evaluation", () => {
    const train = fcwFrameSpecs("train");
    const evalSet = fcwFrameSpecs("eval");
    expect(train).toHaveLength(FCW_SETS.train.count);
    expect(train.filter((s) => s.light === "night")).toHaveLength(FCW_SETS.train.count / 2);
    expect(evalSet.filter((s) => s.light === "night")).toHaveLength(FCW_SETS.eval.count / 2);
    expect(fcwFrameSpecs("eval")).toEqual(evalSet);
    const seeds = new Set(train.map((s) => s.seed));
    expect(evalSet.some((s) => seeds.has(s.seed))).toBe(false);
    // Enough people to learn from, by day and at night.
    for (const light of ["day", "night"]) expect(train.filter((s) => s.light === light).flatMap((s) => s.pedestrians ?? []).length).toBeGreaterThan(60);
  });

  it("keeps as calibration set the training set's first scenes, balanced day/night, none of them evaluation scenes", () => {
    const calib = fcwFrameSpecs("calib");
    expect(calib).toHaveLength(FCW_SETS.calib.count);
    const train = fcwFrameSpecs("train", FCW_SETS.calib.count);
    // The same scene (seed, road, light, objects); only the name says which set the frame belongs to.
    expect(calib.map(({ name: _, ...scene }) => scene)).toEqual(train.map(({ name: _, ...scene }) => scene));
    expect(calib.every((s) => s.name.startsWith("fcw-calib-"))).toBe(true);
    expect(calib.filter((s) => s.light === "night")).toHaveLength(FCW_SETS.calib.count / 2);
  });

  it("renders labelled pedestrians and vehicles inside the frame, tagged with the set, same bytes twice", async () => {
    const a = await generateFcwFrames("eval", 4);
    const b = await generateFcwFrames("eval", 4);
    expect(a.map((f) => f.sha256)).toEqual(b.map((f) => f.sha256));
    const boxes = a.flatMap((f) => f.groundTruth.boxes);
    expect(boxes.some((x) => x.label === "pedestrian")).toBe(true);
    expect(boxes.some((x) => x.label === "car" || x.label === "truck" || x.label === "bus")).toBe(true);
    for (const x of boxes) expect(x.x >= 0 && x.y >= 0 && x.x + x.w <= FRAME_WIDTH && x.y + x.h <= FRAME_HEIGHT).toBe(true);
    for (const f of a) expect(f.tags).toContain(FCW_SETS.eval.tag);
    expect(a.map((f) => f.tags.includes("night"))).toEqual([false, true, false, true]);
  });
});
