import { describe, expect, it } from "vitest";
import { chooseMethod, detectDrift, detectDriftSamples, modelDrift, psiBand } from "./detect";
import { psi, sharesWithEpsilon } from "./stats";

const num = (counts: number[], edges = counts.map((_, i) => i).concat(counts.length)) => ({ kind: "numeric" as const, edges, counts });
const cat = (counts: Record<string, number>) => ({ kind: "categorical" as const, counts });

describe("method choice (Evidently's defaults)", () => {
  it("uses tests for small references and distances for large ones", () => {
    expect(chooseMethod("numeric", 1000)).toBe("ks");
    expect(chooseMethod("numeric", 1001)).toBe("wasserstein");
    expect(chooseMethod("categorical", 500)).toBe("chisquare");
    expect(chooseMethod("categorical", 5000)).toBe("jensenshannon");
    expect(detectDrift(num([100, 200, 100]), num([90, 210, 100])).method).toBe("ks");
    expect(detectDrift(num([1000, 2000, 1000]), num([900, 2100, 1000])).method).toBe("wasserstein");
    expect(detectDrift(cat({ a: 10, b: 20 }), cat({ a: 12, b: 18 })).method).toBe("chisquare");
    expect(detectDrift(cat({ a: 1000, b: 2000 }), cat({ a: 1200, b: 1800 })).method).toBe("jensenshannon");
  });

  it("honours an override and refuses numeric methods on categories", () => {
    expect(detectDrift(num([1000, 2000, 1000]), num([900, 2100, 1000]), { method: "psi" }).method).toBe("psi");
    expect(() => detectDrift(cat({ a: 1 }), cat({ a: 1 }), { method: "ks" })).toThrow(/numeric/);
  });
});

describe("verdicts", () => {
  it("identical distributions do not drift under any method", () => {
    for (const method of ["ks", "chisquare", "wasserstein", "jensenshannon", "psi"] as const) {
      const r = detectDrift(num([50, 100, 50, 10]), num([50, 100, 50, 10]), { method });
      expect(r.drifted, method).toBe(false);
      if (r.pValue !== null) expect(r.pValue).toBeCloseTo(1, 9);
      else expect(r.statistic).toBeCloseTo(0, 12);
    }
  });

  it("disjoint distributions drift under every method", () => {
    for (const method of ["ks", "chisquare", "wasserstein", "jensenshannon", "psi"] as const) {
      expect(detectDrift(num([100, 100, 0, 0]), num([0, 0, 100, 100]), { method }).drifted, method).toBe(true);
    }
    expect(detectDrift(num([100, 100, 0, 0]), num([0, 0, 100, 100]), { method: "jensenshannon" }).statistic).toBeCloseTo(1, 12);
  });

  it("re-bins a current window sent with other edges onto the reference's", () => {
    const r = detectDrift(num([10, 10, 10, 10], [0, 1, 2, 3, 4]), num([20, 20], [0, 2, 4]), { method: "psi" });
    expect(r.statistic).toBeCloseTo(0, 12);
    expect(r.currentCount).toBe(40);
  });

  it("normalises Wasserstein by the reference std, floored for a constant reference", () => {
    // Reference all in bin centre 0.5 (std 0 -> 0.001), current all at 1.5: distance 1 / 0.001.
    expect(detectDrift(num([500, 0]), num([0, 500]), { method: "wasserstein" }).statistic).toBeCloseTo(1000, 6);
    // Reference 1000 at 0.5 and 1000 at 1.5 (std 0.5); current all at 1.5: W = 0.5, normalised 1.
    expect(detectDrift(num([1000, 1000]), num([0, 1000]), { method: "wasserstein" }).statistic).toBeCloseTo(1, 12);
  });

  it("handles one-element windows and a constant reference on raw samples", () => {
    const one = detectDriftSamples([1], [2]);
    expect(one).toMatchObject({ method: "ks", statistic: 1, pValue: 1, drifted: false });
    const constant = detectDriftSamples(
      new Array(30).fill(3),
      Array.from({ length: 30 }, (_, i) => 3 + i / 100),
    );
    expect(constant.method).toBe("ks");
    expect(constant.drifted).toBe(true);
    expect(detectDriftSamples(["a", "a", "b"], ["a", "b", "b"]).method).toBe("chisquare");
  });
});

describe("PSI", () => {
  it("matches a hand-computed value, with epsilon for empty bins", () => {
    // shares r = [0.5, 0.5], c = [0.25, 0.75]: (0.25)ln2 + (-0.25)ln(2/3)
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(2) - 0.25 * Math.log(2 / 3), 12);
    expect(sharesWithEpsilon([0, 10])).toEqual([1e-4, 1]);
    const withEmpty = psi([0, 100], [50, 50]);
    expect(Number.isFinite(withEmpty)).toBe(true);
    expect(withEmpty).toBeCloseTo((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), 12);
    expect(psiBand(0.05)).toBe("stable");
    expect(psiBand(0.1)).toBe("warning");
    expect(psiBand(0.3)).toBe("alert");
  });
});

describe("model drift", () => {
  it("drifts when at least half the features drift (configurable)", () => {
    expect(modelDrift([true, false, false]).drifted).toBe(false);
    expect(modelDrift([true, true, false, false]).drifted).toBe(true);
    expect(modelDrift([true, false, false, false], 0.25)).toMatchObject({ drifted: true, driftedCount: 1, total: 4, share: 0.25 });
    expect(modelDrift([]).drifted).toBe(false);
  });
});
