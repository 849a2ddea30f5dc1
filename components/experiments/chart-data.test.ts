import { describe, expect, it } from "vitest";
import {
  bestRunPerMetric,
  ema,
  formatValue,
  metricDirection,
  paramDiff,
  pointsPerRun,
  prepareMetricChart,
  prepareParallel,
  prepareScatter,
  robustDomain,
  type RunSummary,
} from "./chart-data";

const pt = (x: number, y: number) => ({ x, y, min: y, max: y });

describe("metric charts", () => {
  it("smooths with a debiased EMA and leaves weight 0 alone", () => {
    expect(ema([1, 1, 1], 0.9)).toEqual([1, 1, 1].map(() => expect.closeTo(1, 10)));
    expect(ema([0, 10], 0)).toEqual([0, 10]);
    const s = ema([0, 10, 10, 10], 0.5);
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo(6.667, 3);
    expect(s[3]).toBeGreaterThan(s[2]);
  });

  it("ignores a spike when asked, while the spike stays in the data", () => {
    const values = Array.from({ length: 100 }, (_, i) => (i === 50 ? 1000 : 1 + (i % 5) * 0.01));
    const d = robustDomain(values)!;
    expect(d[1]).toBeLessThan(2);
    const input = [{ runId: "r", runName: "r", color: "#000", points: values.map((v, i) => pt(i, v)) }];
    const chart = prepareMetricChart(input, { smoothing: 0, log: false, ignoreOutliers: true });
    expect(chart.yDomain![1]).toBeLessThan(2);
    expect(Math.max(...chart.lines[0].points.map((p) => p.y))).toBe(1000);
    expect(prepareMetricChart(input, { smoothing: 0, log: false, ignoreOutliers: false }).yDomain).toBeNull();
  });

  it("drops values a log scale cannot draw and keeps the raw band under smoothing", () => {
    const chart = prepareMetricChart([{ runId: "r", runName: "r", color: "#000", points: [pt(0, 0), pt(1, 10), { x: 2, y: 1, min: 0.5, max: 4 }] }], {
      smoothing: 0.5,
      log: true,
      ignoreOutliers: false,
    });
    expect(chart.lines[0].points.map((p) => p.x)).toEqual([1, 2]);
    expect(chart.lines[0].points[1].band).toEqual([0.5, 4]);
    expect(chart.lines[0].points[1].y).not.toBe(1);
    expect(chart.xDomain).toEqual([1, 2]);
  });

  it("shares a point budget between runs", () => {
    expect(pointsPerRun(1)).toBe(1000);
    expect(pointsPerRun(100)).toBe(80);
    expect(pointsPerRun(10_000)).toBe(20);
  });
});

const runs: RunSummary[] = [
  { runId: "a", runName: "A", params: { lr: "0.1", backbone: "resnet", seed: "0" }, metrics: { acc: 0.8, loss: 0.5 } },
  { runId: "b", runName: "B", params: { lr: "0.01", backbone: "resnet", seed: "0" }, metrics: { acc: 0.9, loss: 0.7 } },
  { runId: "c", runName: "C", params: { lr: "0.001", backbone: "vit", seed: "0" }, metrics: { acc: NaN, loss: 0.2 } },
];

describe("comparing runs", () => {
  it("marks the best run per metric by the metric's direction, skipping non-finite values", () => {
    expect(metricDirection("mAP50")).toBe("higher");
    expect(metricDirection("val_loss")).toBe("lower");
    expect(metricDirection("valLoss")).toBe("lower");
    expect(metricDirection("val/accuracy")).toBe("higher");
    expect(bestRunPerMetric(runs)).toEqual({ acc: "b", loss: "c" });
  });

  it("never marks a best run for a metric without a declared direction (lr, epoch, step)", () => {
    for (const k of ["lr", "learning_rate", "epoch", "step", "batch_size", "momentum", "mapping_size", "errands"]) expect(metricDirection(k), k).toBeNull();
    const withLr = runs.map((r, i) => ({ ...r, metrics: { ...r.metrics, lr: [0.1, 0.01, 0.001][i] } }));
    expect(bestRunPerMetric(withLr)).toEqual({ acc: "b", loss: "c" });
  });

  it("lists only differing params unless asked for all", () => {
    expect(paramDiff(runs, false).map((r) => r.key)).toEqual(["backbone", "lr"]);
    const all = paramDiff(runs, true);
    expect(all.map((r) => r.key)).toEqual(["backbone", "lr", "seed"]);
    expect(all[2]).toEqual({ key: "seed", values: ["0", "0", "0"], differs: false });
    expect(paramDiff([...runs, { runId: "d", runName: "D", params: { lr: "0.1", backbone: "resnet" }, metrics: {} }], false).map((r) => r.key)).toContain(
      "seed",
    );
  });

  it("puts params on numeric or categorical axes and the metric last, coloured best-warm", () => {
    const { axes, lines } = prepareParallel(runs, ["lr", "backbone"], "acc");
    expect(axes.map((a) => [a.key, a.kind])).toEqual([
      ["lr", "numeric"],
      ["backbone", "categorical"],
      ["acc", "numeric"],
    ]);
    expect(lines[0].positions).toEqual([1, 0, 0]);
    expect(lines[1].positions[2]).toBe(1);
    // A run without a finite metric has no position on that axis and a neutral colour.
    expect(lines[2].positions).toEqual([0, 1, null]);
    expect(lines[2].color).toBe("#a1a1aa");
    expect(lines[1].color).not.toBe(lines[0].color);
  });

  it("scatters a categorical param against a metric", () => {
    const s = prepareScatter(runs, { kind: "param", key: "backbone" }, { kind: "metric", key: "loss" });
    expect(s.xCategories).toEqual(["resnet", "vit"]);
    expect(s.points.map((p) => [p.x, p.y])).toEqual([
      [0, 0.5],
      [0, 0.7],
      [1, 0.2],
    ]);
    expect(prepareScatter(runs, { kind: "param", key: "lr" }, { kind: "metric", key: "acc" }).points).toHaveLength(2);
  });

  it("formats values compactly", () => {
    expect(formatValue(0.123456)).toBe("0.1235");
    expect(formatValue(12)).toBe("12");
    expect(formatValue(0.00001234)).toBe("1.234e-5");
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(-Infinity)).toBe("-Infinity");
    expect(formatValue(null)).toBe("");
  });
});

describe("axes", () => {
  it("formats x by its kind", async () => {
    const { formatX } = await import("./chart-data");
    expect(formatX(1500, "step")).toBe("1500");
    expect(formatX(90_000, "relative")).toBe("2m");
    expect(formatX(5_400_000, "relative")).toBe("1.5h");
    expect(formatX(Date.UTC(2026, 8, 1, 8, 5), "wall")).toBe("08:05");
    expect(formatX(Date.UTC(2026, 8, 1, 8, 5), "wall", 3 * 86_400_000)).toBe("09-01 08:05");
  });
  it("merges few lines onto shared x rows", async () => {
    const { mergeLines } = await import("./chart-data");
    const rows = mergeLines([
      {
        runId: "a",
        runName: "a",
        color: "",
        points: [
          { x: 1, y: 1, band: [1, 1] },
          { x: 2, y: 2, band: [2, 3] },
        ],
      },
      { runId: "b", runName: "b", color: "", points: [{ x: 2, y: 5, band: [5, 5] }] },
    ]);
    expect(rows).toEqual([
      { x: 1, y0: 1, b0: [1, 1] },
      { x: 2, y0: 2, b0: [2, 3], y1: 5, b1: [5, 5] },
    ]);
  });
});
