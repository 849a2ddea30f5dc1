import { describe, expect, it } from "vitest";
import { confusionRates, differenceInterval, prCurve, proportion, rates, verdict, wilson } from "./metrics";

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

describe("prCurve", () => {
  it("turns each threshold's counts into recall and precision, in sweep order", () => {
    // 100 positives. t=0.2: 95/100 recall, 95/(95+45) = .678571 precision; t=0.5: 90/100, 90/100; t=0.9: 40/100, 40/42.
    const c = prCurve([
      { threshold: 0.2, tp: 95, fp: 45, fn: 5 },
      { threshold: 0.5, tp: 90, fp: 10, fn: 10 },
      { threshold: 0.9, tp: 40, fp: 2, fn: 60 },
    ]);
    expect(c.map((p) => p.threshold)).toEqual([0.2, 0.5, 0.9]);
    expect(c.map((p) => p.recall)).toEqual([0.95, 0.9, 0.4]);
    expect(c[0].precision).toBeCloseTo(0.678571428571, 10);
    expect(c[1].precision).toBe(0.9);
    expect(c[2].precision).toBeCloseTo(0.952380952381, 10);
  });

  it("leaves out a threshold with no detections (precision undefined) instead of drawing it at 0", () => {
    expect(
      prCurve([
        { threshold: 0.5, tp: 3, fp: 1, fn: 1 },
        { threshold: 0.99, tp: 0, fp: 0, fn: 4 },
      ]),
    ).toEqual([{ threshold: 0.5, recall: 0.75, precision: 0.75 }]);
  });
});

describe("confusionRates", () => {
  it("reads recall along the true row and precision down the predicted column", () => {
    // rows true, columns predicted: a: 8 right, 2 called b; b: 1 called a, 9 right.
    const r = confusionRates(
      ["a", "b"],
      [
        [8, 2],
        [1, 9],
      ],
    );
    expect(r.total).toBe(20);
    expect(r.accuracy?.value).toBe(17 / 20);
    expect(r.classes[0]).toMatchObject({
      label: "a",
      support: 10,
      recall: { value: 0.8, successes: 8, n: 10 },
      precision: { value: 8 / 9, successes: 8, n: 9 },
    });
    expect(r.classes[1]).toMatchObject({ label: "b", support: 10, recall: { value: 0.9 }, precision: { value: 9 / 11 } });
  });

  it("has no rate for a class never seen or never predicted", () => {
    const r = confusionRates(
      ["a", "b"],
      [
        [5, 0],
        [0, 0],
      ],
    );
    expect(r.classes[1].recall).toBeNull();
    expect(r.classes[1].precision).toBeNull();
  });
});
