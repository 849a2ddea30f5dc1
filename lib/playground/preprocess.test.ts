import { describe, expect, it } from "vitest";
import { cropRgba, letterboxTransform, preprocess, targetSize } from "./preprocess";

const solid = (w: number, h: number, rgb: [number, number, number]) => {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], i * 4);
  return { data, width: w, height: h };
};
const base = {
  name: "x",
  layout: "NCHW" as const,
  width: 4,
  height: 4,
  channels: 3 as const,
  colorOrder: "RGB" as const,
  resize: "stretch" as const,
  scale: 1 / 255,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  subject: "frame" as const,
};

describe("preprocess", () => {
  it("scales, normalises and lays out channels", () => {
    const p = preprocess(solid(8, 8, [255, 0, 51]), { ...base, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
    expect(p.dims).toEqual([1, 3, 4, 4]);
    expect(p.data[0]).toBeCloseTo(1);
    expect(p.data[16]).toBeCloseTo(-1);
    expect(p.data[32]).toBeCloseTo((0.2 - 0.5) / 0.5);
    const bgr = preprocess(solid(8, 8, [255, 0, 0]), { ...base, colorOrder: "BGR", layout: "NHWC" });
    expect(bgr.dims).toEqual([1, 4, 4, 3]);
    expect(Array.from(bgr.data.slice(0, 3))).toEqual([0, 0, 1]);
  });
  it("letterboxes keeping aspect, pads with black, and reports the transform", () => {
    const t = letterboxTransform(640, 360, 640, 640, "letterbox");
    expect(t).toEqual({ scaleX: 1, scaleY: 1, padX: 0, padY: 140, width: 640, height: 640 });
    const p = preprocess(solid(8, 4, [255, 255, 255]), { ...base, resize: "letterbox" });
    // rows 0 and 3 are padding (black), rows 1-2 the image (white)
    expect(Array.from(p.data.slice(0, 16))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  });
  it("gives recognisers a dynamic width up to the maximum", () => {
    expect(targetSize({ ...base, height: 48, maxWidth: 320 }, 200, 50)).toEqual({ width: 192, height: 48 });
    expect(targetSize({ ...base, height: 48, maxWidth: 320 }, 2000, 50)).toEqual({ width: 320, height: 48 });
  });
  it("interpolates bilinearly with half-pixel centres", () => {
    const src = { data: new Uint8ClampedArray([0, 0, 0, 255, 255, 255, 255, 255]), width: 2, height: 1 };
    const p = preprocess(src, { ...base, width: 4, height: 1, scale: 1 });
    expect(Array.from(p.data.slice(0, 4))).toEqual([0, 63.75, 191.25, 255]);
  });
  it("crops within bounds and turns crops by 180°", () => {
    const src = { data: new Uint8ClampedArray([1, 0, 0, 255, 2, 0, 0, 255, 3, 0, 0, 255, 4, 0, 0, 255]), width: 2, height: 2 };
    const c = cropRgba(src, { x: -5, y: 0, w: 10, h: 10 }, true);
    expect(c.width).toBe(2);
    expect([c.data[0], c.data[4], c.data[8], c.data[12]]).toEqual([4, 3, 2, 1]);
  });
});
