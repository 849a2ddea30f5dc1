import { describe, expect, it } from "vitest";
import { diffInterpretations, interpret, matchBoxes, percentile, precisionRecall, whyNotOnFrames, whyNotRunnable, type Interpretation } from "./interpret";

const identity = { scaleX: 1, scaleY: 1, padX: 0, padY: 0, width: 100, height: 100 };
const manifest = (kind: "softmax") => ({ labels: ["ok", "dark"], postprocess: { kind } });

describe("interpret", () => {
  it("classifies with extras from small side outputs", () => {
    const r = interpret(manifest("softmax"), { scores: { data: [0.1, 0.9], dims: [1, 2] }, features: { data: [0.5, 1, 2], dims: [1, 3] } }, identity, {
      score: 0.25,
      iou: 0.45,
      binary: 0.3,
      box: 0.6,
    });
    expect(r).toMatchObject({ kind: "classes", classes: [{ label: "dark" }, { label: "ok" }], extras: { features: [0.5, 1, 2] } });
  });
  it("finds text regions in source coordinates with a letterbox transform", () => {
    const W = 8,
      H = 8;
    const data = new Float32Array(W * H);
    for (let y = 4; y < 7; y++) for (let x = 1; x < 7; x++) data[y * W + x] = 0.9;
    const r = interpret(
      { labels: [], postprocess: { kind: "db-text", binaryThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1 } },
      { m: { data, dims: [1, 1, H, W] } },
      { scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 2, width: 8, height: 8 },
      { score: 0, iou: 0, binary: 0.3, box: 0.6 },
    );
    expect(r.kind).toBe("text-regions");
    if (r.kind === "text-regions") {
      expect(r.regions).toHaveLength(1);
      expect(r.regions[0].y).toBeGreaterThanOrEqual(0);
      expect(r.regions[0].x + r.regions[0].w).toBeLessThanOrEqual(16);
    }
  });
});

describe("segmentation", () => {
  it("keeps the class mask and its transform for the overlay", () => {
    const r = interpret(
      { labels: ["road", "car"], postprocess: { kind: "segmentation" } },
      { m: { data: [1, 0, 0, 1, 0, 2, 1, 0], dims: [1, 2, 2, 2] } },
      identity,
      { score: 0, iou: 0, binary: 0, box: 0 },
    );
    expect(r).toMatchObject({
      kind: "mask",
      counts: [
        { label: "road", pixels: 2 },
        { label: "car", pixels: 2 },
      ],
      mask: { width: 2, height: 2 },
    });
    if (r.kind === "mask") expect(Array.from(r.mask.data)).toEqual([0, 1, 1, 0]);
  });
});

describe("ground truth and comparison", () => {
  it("matches one to one at IoU ≥ 0.5 and counts misses and false positives", () => {
    const truth = [
      { x: 0, y: 0, w: 10, h: 10, label: "sign" },
      { x: 50, y: 50, w: 10, h: 10, label: "plate" },
    ];
    const pred = [
      { x: 1, y: 0, w: 10, h: 10 },
      { x: 0, y: 1, w: 10, h: 10 },
      { x: 90, y: 90, w: 5, h: 5 },
    ];
    const m = matchBoxes(pred, truth);
    expect(m.matches).toHaveLength(1);
    expect(m.misses).toEqual([1]);
    expect(m.falsePositives.sort()).toEqual([1, 2]);
    expect(precisionRecall(1, 2, 1)).toEqual({ precision: 1 / 3, recall: 0.5 });
    expect(precisionRecall(0, 0, 0)).toEqual({ precision: null, recall: null });
  });
  it("reports class flips, text changes and boxes found by one version only", () => {
    const a: Interpretation = { kind: "classes", classes: [{ label: "ok", index: 0, score: 0.9 }], extras: {} };
    const b: Interpretation = { kind: "classes", classes: [{ label: "dark", index: 1, score: 0.8 }], extras: {} };
    expect(diffInterpretations(a, b)).toEqual([{ kind: "class-flip", detail: "ok → dark" }]);
    const ra: Interpretation = {
      kind: "text-regions",
      regions: [
        { x: 0, y: 0, w: 10, h: 10, score: 0.9, text: "STOP" },
        { x: 40, y: 40, w: 5, h: 5, score: 0.9 },
      ],
      map: { data: new Float32Array(), width: 0, height: 0 },
      transform: identity,
    };
    const rb: Interpretation = { ...ra, regions: [{ x: 0, y: 0, w: 10, h: 10, score: 0.9, text: "ST0P" }] };
    expect(
      diffInterpretations(ra, rb)
        .map((d) => d.kind)
        .sort(),
    ).toEqual(["only-a", "text-change"]);
    // Boxes name their class and the versions by the names given.
    const boxes = (list: { x: number; label: string }[]): Interpretation => ({
      kind: "boxes",
      boxes: list.map((b, i) => ({ ...b, y: 150, w: 30, h: 80, score: 0.8, classIndex: i })),
      candidates: list.length,
    });
    expect(diffInterpretations(boxes([{ x: 170, label: "pedestrian" }]), boxes([]), 0.1, { a: "v2 (production)", b: "v3" })).toEqual([
      { kind: "only-a", detail: "pedestrian found only by v2 (production) at (170, 150)" },
    ]);
    expect(diffInterpretations(boxes([]), boxes([{ x: 20, label: "vehicle" }]), 0.1, { a: "v2 (production)", b: "v3" })[0].detail).toBe(
      "vehicle found only by v3 at (20, 150)",
    );
  });
  it("computes percentiles by nearest rank", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(19);
    expect(percentile([], 50)).toBeNull();
  });
});

describe("runnability", () => {
  const m = {
    input: {
      name: "x",
      layout: "NCHW" as const,
      width: 224,
      height: 224,
      channels: 3 as const,
      colorOrder: "RGB" as const,
      resize: "stretch" as const,
      scale: 1,
      mean: [0],
      std: [1],
      subject: "frame" as const,
    },
    labels: [],
    postprocess: { kind: "none" as const },
  };
  it("says why a version cannot run", () => {
    expect(whyNotRunnable({ artifact: { held: false }, manifest: m, inputs: [] })).toMatch(/No file is held/);
    expect(whyNotRunnable({ artifact: { held: true, integrity: "mismatch" }, manifest: m, inputs: [] })).toMatch(/integrity/);
    expect(
      whyNotRunnable({ artifact: { held: true, integrity: "ok" }, manifest: m, inputs: [{ name: "x", elemType: "float32", shape: [1, 1, 224, 224] }] }),
    ).toMatch(/1 channels/);
    expect(
      whyNotRunnable({ artifact: { held: true, integrity: "ok" }, manifest: m, inputs: [{ name: "x", elemType: "float32", shape: ["N", 3, "H", "W"] }] }),
    ).toBeNull();
  });
  it("refuses whole frames to a model that reads crops", () => {
    expect(whyNotOnFrames(m)).toBeNull();
    expect(whyNotOnFrames({ ...m, input: { ...m.input, subject: "crop" } })).toMatch(/reads crops .* not whole frames/);
  });
});
