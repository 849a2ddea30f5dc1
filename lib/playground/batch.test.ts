import { describe, expect, it } from "vitest";
import { groupsByWidth, stackPadded } from "./batch";

const tensor = (c: number, h: number, w: number, start: number) => ({
  data: Float32Array.from({ length: c * h * w }, (_, i) => start + i),
  dims: [1, c, h, w],
});

describe("stackPadded", () => {
  it("stacks equal shapes as they are", () => {
    const s = stackPadded([tensor(2, 2, 3, 1), tensor(2, 2, 3, 100)]);
    expect(s.dims).toEqual([2, 2, 2, 3]);
    expect(Array.from(s.data.subarray(12))).toEqual(Array.from(tensor(2, 2, 3, 100).data));
  });

  it("pads narrower crops on the right with zeros, row by row", () => {
    const s = stackPadded([tensor(2, 1, 2, 1), tensor(2, 1, 3, 10)]);
    expect(s.dims).toEqual([2, 2, 1, 3]);
    // First crop: channel 0 row [1, 2] and channel 1 row [3, 4], each padded to width 3.
    expect(Array.from(s.data)).toEqual([1, 2, 0, 3, 4, 0, 10, 11, 12, 13, 14, 15]);
  });

  it("refuses shapes that differ in more than the width", () => {
    expect(() => stackPadded([tensor(3, 2, 4, 0), tensor(3, 3, 4, 0)])).toThrow(/Cannot batch/);
  });
});

describe("groupsByWidth", () => {
  it("groups narrowest first, at most `size` to a group, keeping indices", () => {
    expect(groupsByWidth([50, 10, 30, 10, 90], 2)).toEqual([[1, 3], [2, 0], [4]]);
  });
});
