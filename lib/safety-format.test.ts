import { describe, expect, it } from "vitest";
import { interval, pct, points, prepareTrend, sliceLabel } from "./safety-format";

describe("safety formatting", () => {
  it("formats rates, intervals and deltas", () => {
    expect(pct(0.93)).toBe("93.0%");
    expect(pct(null)).toBe("—");
    expect(interval({ lo: 0.8256, hi: 0.9448 })).toBe("[82.6, 94.5]");
    expect(points(-0.03)).toBe("−3.0 pt");
    expect(points(0.0125)).toBe("+1.3 pt");
    expect(points(0)).toBe("±0.0 pt");
    expect(sliceLabel("time_of_day", "night")).toBe("Time of day: night");
    expect(sliceLabel("all", "all")).toBe("All data");
  });

  it("orders the trend by version and marks production", () => {
    expect(
      prepareTrend([
        { version: 3, recall: 0.9444, precision: null, production: false },
        { version: 2, recall: 0.931, precision: 0.889, production: true },
      ]),
    ).toEqual([
      { label: "v2 (prod)", recall: 93.1, precision: 88.9 },
      { label: "v3", recall: 94.4, precision: null },
    ]);
  });
});
