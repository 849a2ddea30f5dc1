import { describe, expect, it } from "vitest";
import { percentDomain } from "./chart-domain";

describe("percentDomain", () => {
  it("gives an all-zero error rate a 0-1% axis, not 0-400%", () => {
    expect(percentDomain([0, 0, 0])).toEqual([0, 0.01]);
    expect(percentDomain([])).toEqual([0, 0.01]);
  });
  it("fits small rates with headroom and keeps fractions of a whole at or under 100%", () => {
    const [lo, hi] = percentDomain([0.001, 0.03, null]);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.036, 10);
    expect(percentDomain([0.2, 1])).toEqual([0, 1]);
  });
  it("goes below zero for an overspent budget", () => {
    expect(percentDomain([1, -0.5])[0]).toBeCloseTo(-0.6, 10);
  });
});
