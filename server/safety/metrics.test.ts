import { describe, expect, it } from "vitest";
import { differenceInterval, proportion, rates, verdict, wilson } from "./metrics";

// Reference values from scipy.stats.binomtest(k, n).proportion_ci(method="wilson"), and for
// 90/100 by hand: p = .9, z² = 3.8415, centre = (.9 + .019207) / 1.038415 = .88522,
// half = 1.88745 · √(.0009 + .000096) = .059568 → [.82565, .94477].
describe("wilson", () => {
  it.each([
    [90, 100, 0.8256343384950865, 0.9447708629393249],
    [0, 10, 0, 0.2775327998628892],
    [10, 10, 0.7224672001371109, 1],
    [1, 2, 0.09453120573423074, 0.9054687942657693],
    [930, 1000, 0.9124853518487167, 0.9442236358537061],
  ])("%i of %i", (k, n, lo, hi) => {
    const i = wilson(k, n);
    expect(i.lo).toBeCloseTo(lo, 12);
    expect(i.hi).toBeCloseTo(hi, 12);
  });

  it("is [0, 1] with no observations and refuses impossible counts", () => {
    expect(wilson(0, 0)).toEqual({ lo: 0, hi: 1 });
    expect(() => wilson(5, 4)).toThrow(RangeError);
    expect(() => wilson(-1, 4)).toThrow(RangeError);
    expect(() => wilson(1.5, 4)).toThrow(RangeError);
  });
});

describe("rates", () => {
  it("computes precision, recall, F1 and false alerts per 1,000 hours from counts", () => {
    // tp 90, fp 10, fn 30: precision 90/100, recall 90/120 = .75, F1 = 180 / 220, 10 FP in 2,500 h = 4 per 1,000 h.
    const r = rates({ tp: 90, fp: 10, fn: 30, tn: null, drivingHours: 2500 });
    expect(r.precision?.value).toBe(0.9);
    expect(r.precision?.n).toBe(100);
    expect(r.recall?.value).toBe(0.75);
    expect(r.f1).toBeCloseTo(180 / 220, 15);
    expect(r.falseAlertsPer1kHours).toBe(4);
    expect(r.specificity).toBeNull();
  });

  it("gives null, not NaN, when a rate has nothing to divide by", () => {
    const r = rates({ tp: 0, fp: 0, fn: 0, tn: 50, drivingHours: null });
    expect(r.precision).toBeNull();
    expect(r.recall).toBeNull();
    expect(r.f1).toBeNull();
    expect(r.falseAlertsPer1kHours).toBeNull();
    expect(r.specificity?.value).toBe(1);
  });
});

describe("difference interval and the regression rule", () => {
  // Newcombe method 10, computed in python from the Wilson bounds above.
  it("matches Newcombe's hybrid score interval", () => {
    const d = differenceInterval(proportion(900, 1000)!, proportion(930, 1000)!);
    expect(d.delta).toBeCloseTo(-0.03, 12);
    expect(d.lo).toBeCloseTo(-0.05466603814003191, 12);
    expect(d.hi).toBeCloseTo(-0.005528587736690963, 12);
  });

  it("marks a regression only when the whole interval is below zero", () => {
    // 3 points lower on 1,000 positives: real.
    expect(verdict(proportion(900, 1000), proportion(930, 1000)).verdict).toBe("regressed");
    // The same 3 points on 50 positives: could be noise.
    const small = verdict(proportion(45, 50), proportion(930, 1000));
    expect(small.verdict).toBe("unchanged");
    expect(small.delta?.hi).toBeCloseTo(0.029175603502610392, 12);
    // 10 points lower on 70 each side is still within noise.
    expect(verdict(proportion(56, 70), proportion(63, 70)).verdict).toBe("unchanged");
    expect(verdict(proportion(930, 1000), proportion(900, 1000)).verdict).toBe("improved");
    expect(verdict(null, proportion(900, 1000)).verdict).toBe("unknown");
  });
});
