import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/prng";
import { levelsOf, omegaSquared, paramImportance } from "./importance";

describe("parameter importance", () => {
  it("gives all the variance to the parameter the objective is a function of, none to one it ignores", () => {
    // A full 3 x 2 grid, objective = f(lr) only: lr explains everything (no noise left), batch_size nothing
    // (every batch size sees each lr once, so its levels' means are all 2).
    const f: Record<string, number> = { "0.001": 1, "0.01": 2, "0.1": 3 };
    const trials = ["0.001", "0.01", "0.1"].flatMap((lr) => ["32", "64"].map((bs) => ({ params: { lr, batch_size: bs }, value: f[lr] })));
    const result = paramImportance(trials, ["batch_size", "lr"]);
    expect(result.map((r) => r.param)).toEqual(["lr", "batch_size"]);
    expect(result[0]).toMatchObject({ param: "lr", score: 1, share: 1, levels: 3 });
    expect(result[1]).toMatchObject({ param: "batch_size", score: 0, share: 0, levels: 2 });
  });

  it("computes omega squared as worked out by hand", () => {
    // Values 0, 2 | 4, 6: group means 1 and 5, grand mean 3. SS_total = 9+1+1+9 = 20, SS_between = 2·4 + 2·4 = 16,
    // MS_within = (20-16)/(4-2) = 2, so ω² = (16 - 1·2) / (20 + 2) = 14/22.
    expect(omegaSquared([0, 2, 4, 6], [0, 0, 1, 1], 2)).toBeCloseTo(14 / 22, 12);
  });

  it("finds the one parameter that matters in a noisy random search, and scores pure noise near zero", () => {
    const rng = mulberry32(42);
    const trials = Array.from({ length: 400 }, () => {
      const lr = 10 ** (-5 + 4 * rng());
      const dropout = rng() * 0.5;
      const seed = String(Math.floor(rng() * 5));
      const value = 0.9 - 0.05 * (Math.log10(lr) + 3) ** 2 + 0.01 * (rng() - 0.5);
      return { params: { lr: String(lr), dropout: String(dropout), seed }, value };
    });
    const [top, ...rest] = paramImportance(trials, ["dropout", "lr", "seed"]);
    expect(top.param).toBe("lr");
    expect(top.score).toBeGreaterThan(0.8);
    expect(top.levels).toBe(8);
    for (const r of rest) expect(r.score).toBeLessThan(0.05);
  });

  it("does not depend on the order of the trials, and ignores trials without a finite objective", () => {
    const rng = mulberry32(7);
    const trials = Array.from({ length: 60 }, (_, i) => ({ params: { a: String(i % 4), b: String(rng()) }, value: (i % 4) * 2 + rng() }));
    const forward = paramImportance(trials, ["a", "b"]);
    const backward = paramImportance([...trials].reverse(), ["a", "b"]);
    expect(backward).toEqual(forward);
    expect(paramImportance([...trials, { params: { a: "9", b: "1" }, value: NaN }], ["a", "b"])).toEqual(forward);
  });

  it("bins numbers with many distinct values by rank, keeping ties together, and keeps categories and missing values apart", () => {
    expect(levelsOf(["1", "1", "1", "1", "2", "3", "4", "5", "6", "7", "8", "9"], 4).level).toEqual([0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(levelsOf(["adam", undefined, "sgd", "adam"])).toEqual({ level: [1, 0, 2, 1], count: 3 });
  });

  it("scores nothing when every trial has the same objective or there are too few trials", () => {
    expect(
      paramImportance(
        [
          { params: { a: "1" }, value: 1 },
          { params: { a: "2" }, value: 1 },
          { params: { a: "3" }, value: 1 },
        ],
        ["a"],
      )[0].score,
    ).toBe(0);
    expect(
      paramImportance(
        [
          { params: { a: "1" }, value: 1 },
          { params: { a: "2" }, value: 2 },
        ],
        ["a"],
      )[0].score,
    ).toBe(0);
  });
});
