import { describe, expect, it } from "vitest";
import { accumulate, meanColour, occlude, occlusionMap, occlusionPatches, ExplainCancelled } from "./explain";
import type { Rgba } from "./preprocess";

const grey = (width: number, height: number, v = 100): Rgba => ({ data: new Uint8ClampedArray(width * height * 4).fill(v), width, height });

describe("occlusion patches", () => {
  it("cover the frame to its edges with the last row and column moved in", () => {
    const p = occlusionPatches(100, 50, { patch: 32, stride: 32 });
    expect(p.map((r) => r.x).filter((x, i, a) => a.indexOf(x) === i)).toEqual([0, 32, 64, 68]);
    expect(p.map((r) => r.y).filter((y, i, a) => a.indexOf(y) === i)).toEqual([0, 18]);
    expect(p).toHaveLength(8);
    expect(p.every((r) => r.x + r.w <= 100 && r.y + r.h <= 50)).toBe(true);
  });

  it("refuse tiny patches and runs that would take thousands of passes", () => {
    expect(() => occlusionPatches(640, 360, { patch: 4, stride: 4 })).toThrow(/at least 8 px/);
    expect(() => occlusionPatches(640, 360, { patch: 8, stride: 2 })).toThrow(/forward passes/);
  });
});

describe("the occlusion map", () => {
  it("averages the drops of overlapping squares per pixel", () => {
    const m = accumulate(
      4,
      1,
      [
        { x: 0, y: 0, w: 2, h: 1 },
        { x: 1, y: 0, w: 2, h: 1 },
      ],
      [1, 0.5],
    );
    expect(Array.from(m)).toEqual([1, 0.75, 0.5, 0]);
  });

  it("covers with the frame's mean colour and copies the frame", () => {
    const img = grey(4, 4, 10);
    img.data.fill(250, 0, 4 * 8);
    expect(meanColour(img)).toEqual([130, 130, 130]);
    const o = occlude(img, { x: 1, y: 1, w: 2, h: 2 }, [1, 2, 3]);
    expect(Array.from(o.data.slice((1 * 4 + 1) * 4, (1 * 4 + 1) * 4 + 4))).toEqual([1, 2, 3, 250]);
    expect(img.data[(1 * 4 + 1) * 4]).toBe(250);
  });

  it("is highest where a score depends on the pixels", async () => {
    // A stand-in model whose score is the brightness of one 16x16 corner: only squares over it may lower the score.
    const img = grey(64, 64, 0);
    for (let y = 40; y < 56; y++) for (let x = 40; x < 56; x++) img.data.fill(255, (y * 64 + x) * 4, (y * 64 + x) * 4 + 3);
    const bright = async (i: Rgba) => {
      let s = 0;
      for (let y = 40; y < 56; y++) for (let x = 40; x < 56; x++) s += i.data[(y * 64 + x) * 4];
      return s / (16 * 16 * 255);
    };
    const seen: number[] = [];
    const r = await occlusionMap(img, { patch: 16, stride: 8 }, bright, { onProgress: (d) => seen.push(d) });
    expect(r.passes).toBe(r.patches.length + 1);
    expect(seen.at(-1)).toBe(r.patches.length);
    expect(r.map[48 * 64 + 48]).toBeGreaterThan(0.5);
    expect(r.map[8 * 64 + 8]).toBe(0);
  });

  it("stops when cancelled", async () => {
    let calls = 0;
    const run = occlusionMap(grey(64, 64), { patch: 16, stride: 16 }, async () => ++calls, { cancelled: () => calls >= 3 });
    await expect(run).rejects.toBeInstanceOf(ExplainCancelled);
    expect(calls).toBe(3);
  });
});
