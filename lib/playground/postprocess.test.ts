import { describe, expect, it } from "vitest";
import {
  classify,
  ctcGreedy,
  dbTextRegions,
  decodeBoxes,
  decodeCenterNet,
  iou,
  looksLikeProbabilities,
  multiLabel,
  nms,
  segmentationMask,
  softmax,
  unmapBox,
  type Box,
} from "./postprocess";

const box = (x: number, y: number, w: number, h: number, score: number, classIndex = 0): Box => ({ x, y, w, h, score, classIndex, label: `c${classIndex}` });

describe("classification", () => {
  it("softmaxes logits stably and leaves probabilities alone", () => {
    const p = softmax([1000, 1000, 998]);
    expect(p[0]).toBeCloseTo(p[1]);
    expect(Array.from(p).reduce((a, b) => a + b)).toBeCloseTo(1);
    expect(looksLikeProbabilities([0.7, 0.2, 0.1])).toBe(true);
    expect(classify({ data: [0.7, 0.2, 0.1], dims: [1, 3] }, ["a", "b", "c"], 2)).toEqual([
      { label: "a", index: 0, score: expect.closeTo(0.7, 6) },
      { label: "b", index: 1, score: expect.closeTo(0.2, 6) },
    ]);
    expect(classify({ data: [0, 2], dims: [1, 2] }, ["x", "y"])[0]).toMatchObject({ label: "y", score: expect.closeTo(0.8808, 3) });
  });
  it("keeps sigmoid labels over the threshold", () => {
    expect(multiLabel({ data: [3, -3, 0.1], dims: [1, 3] }, ["rain", "snow", "fog"], 0.5).map((c) => c.label)).toEqual(["rain", "fog"]);
  });
});

describe("nms", () => {
  it("suppresses overlaps within a class, keeps other classes, honours thresholds and the cap", () => {
    const boxes = [box(0, 0, 10, 10, 0.9), box(1, 1, 10, 10, 0.8), box(1, 1, 10, 10, 0.85, 1), box(50, 50, 10, 10, 0.3), box(80, 80, 5, 5, 0.1)];
    expect(nms(boxes, 0.5, 0.25, 10).map((b) => b.score)).toEqual([0.9, 0.85, 0.3]);
    expect(nms(boxes, 0.5, 0.5, 10).map((b) => b.score)).toEqual([0.9, 0.85]);
    expect(nms(boxes, 0.5, 0.25, 1)).toHaveLength(1);
    expect(nms([], 0.5, 0.25, 10)).toEqual([]);
    // IoU exactly at the threshold is kept (suppression needs strictly more overlap).
    const a = box(0, 0, 10, 10, 0.9);
    const b = box(5, 0, 10, 10, 0.8);
    expect(iou(a, b)).toBeCloseTo(1 / 3);
    expect(nms([a, b], 1 / 3, 0, 10)).toHaveLength(2);
    expect(nms([a, b], 0.3, 0, 10)).toHaveLength(1);
  });
  it("decodes yolo and row formats and maps letterboxed boxes back", () => {
    // 2 candidates, 2 classes: [1, 6, 2]
    const yolo = decodeBoxes({ data: [50, 10, 50, 10, 20, 4, 20, 4, 0.1, 0.9, 0.8, 0.2], dims: [1, 6, 2] }, "yolo", ["car", "sign"]);
    expect(yolo[0]).toMatchObject({ x: 40, y: 40, w: 20, h: 20, label: "sign", score: 0.8 });
    expect(yolo[1]).toMatchObject({ x: 8, y: 8, w: 4, h: 4, label: "car", score: 0.9 });
    const rows = decodeBoxes({ data: [1, 2, 11, 22, 0.5, 1], dims: [1, 6] }, "xyxy", ["a", "b"]);
    expect(rows[0]).toMatchObject({ x: 1, y: 2, w: 10, h: 20, label: "b" });
    expect(unmapBox({ x: 10, y: 90, w: 20, h: 20 }, { scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 80, width: 640, height: 640 })).toEqual({
      x: 20,
      y: 20,
      w: 40,
      h: 40,
    });
  });
});

describe("text", () => {
  it("finds separate regions in a DB probability map and unclips them", () => {
    const W = 20,
      H = 10;
    const data = new Float32Array(W * H);
    for (let y = 2; y < 5; y++) for (let x = 2; x < 8; x++) data[y * W + x] = 0.9;
    for (let y = 6; y < 9; y++) for (let x = 12; x < 18; x++) data[y * W + x] = 0.5;
    data[0] = 0.95; // a single hot pixel is noise
    const r = dbTextRegions({ data, dims: [1, 1, H, W] }, 0.3, 0.6, 1.5);
    expect(r).toHaveLength(1);
    expect(r[0].score).toBeCloseTo(0.9);
    const d = (6 * 3 * 1.5) / (2 * 9);
    expect(r[0]).toMatchObject({ x: 2 - d, y: 2 - d });
    expect(r[0].w).toBeCloseTo(6 + 2 * d);
    expect(dbTextRegions({ data, dims: [1, 1, H, W] }, 0.3, 0.4, 1.5)).toHaveLength(2);
  });
  it("decodes CTC with repeats and blanks", () => {
    const labels = ["<blank>", "S", "T", "O", "P"];
    const steps = [1, 1, 0, 2, 3, 0, 3, 4, 4, 0]; // S S _ T O _ O P P _  →  STOOP
    const C = labels.length;
    const data = new Float32Array(steps.length * C);
    steps.forEach((c, t) => (data[t * C + c] = 0.9));
    expect(ctcGreedy({ data, dims: [1, steps.length, C] }, labels)).toEqual({ text: "STOOP", confidence: expect.closeTo(0.9, 5) });
    expect(ctcGreedy({ data: new Float32Array(3 * C).fill(0), dims: [1, 3, C] }, labels).text).toBe("");
  });
  it("takes a per-pixel argmax for segmentation", () => {
    const m = segmentationMask({ data: [1, 0, 0, 1, 0, 2, 1, 0], dims: [1, 2, 2, 2] });
    expect(Array.from(m.mask)).toEqual([0, 1, 1, 0]);
    expect(m.counts).toEqual([2, 2]);
  });
});

describe("CenterNet decoding", () => {
  // A 2-class 4x8 map at stride 4 on a 32x16 input: one vehicle peak with a weaker neighbour, one pedestrian peak.
  const C = 2;
  const H = 4;
  const W = 8;
  const heat = new Float32Array(C * H * W);
  const size = new Float32Array(2 * H * W);
  const offset = new Float32Array(2 * H * W).fill(0.5);
  const at = (y: number, x: number) => y * W + x;
  heat[at(1, 2)] = 0.9;
  heat[at(1, 3)] = 0.6; // beside the peak: not a centre of its own
  heat[H * W + at(2, 6)] = 0.5;
  heat[H * W + at(0, 0)] = 0.1; // below the threshold
  size[at(1, 2)] = 12;
  size[H * W + at(1, 2)] = 8;
  size[at(2, 6)] = 3;
  size[H * W + at(2, 6)] = 9;
  offset[at(2, 6)] = 0.25;
  offset[H * W + at(2, 6)] = 0.75;
  const t = (d: Float32Array, c: number) => ({ data: d, dims: [1, c, H, W] });

  it("keeps 3x3 local maxima above the threshold and reads size and offset at the peak", () => {
    const boxes = decodeCenterNet(t(heat, C), t(size, 2), t(offset, 2), { width: 32, height: 16 }, ["vehicle", "pedestrian"], 0.3);
    expect(boxes).toEqual([
      { x: 10 - 6, y: 6 - 4, w: 12, h: 8, score: expect.closeTo(0.9, 6), classIndex: 0, label: "vehicle" },
      { x: (6 + 0.25) * 4 - 1.5, y: (2 + 0.75) * 4 - 4.5, w: 3, h: 9, score: 0.5, classIndex: 1, label: "pedestrian" },
    ]);
  });

  it("a higher threshold drops the weaker peak; without offsets the centre is the cell's middle", () => {
    const boxes = decodeCenterNet(t(heat, C), t(size, 2), undefined, { width: 32, height: 16 }, ["vehicle", "pedestrian"], 0.55);
    expect(boxes.map((b) => [b.label, b.x + b.w / 2, b.y + b.h / 2])).toEqual([["vehicle", 10, 6]]);
  });
});
