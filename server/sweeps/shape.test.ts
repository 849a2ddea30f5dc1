import { describe, expect, it } from "vitest";
import { bestSoFar, defaultDirection, parallelData, ranked, type Trial } from "./shape";

const trial = (i: number, value: number | null, params: Record<string, string> = {}): Trial => ({
  runId: `r${i}`,
  runName: `t${i}`,
  status: "FINISHED",
  startTime: i,
  params,
  value,
});

describe("sweep shaping", () => {
  it("keeps the best value seen so far in either direction, carrying it over trials without a value", () => {
    const ts = [trial(1, 0.5), trial(2, null), trial(3, 0.3), trial(4, 0.7)];
    expect(bestSoFar(ts, "min")).toEqual([
      { trial: 1, value: 0.5, best: 0.5 },
      { trial: 2, value: null, best: 0.5 },
      { trial: 3, value: 0.3, best: 0.3 },
      { trial: 4, value: 0.7, best: 0.3 },
    ]);
    expect(bestSoFar(ts, "max").map((p) => p.best)).toEqual([0.5, 0.5, 0.5, 0.7]);
  });

  it("thins a long curve but keeps every improvement and the last trial", () => {
    const ts = Array.from({ length: 3000 }, (_, i) => trial(i, i % 500 === 0 ? -i : 1));
    const curve = bestSoFar(ts, "min", 100);
    expect(curve.length).toBeLessThanOrEqual(100);
    expect(curve.filter((p) => p.value !== null && p.value < 0).map((p) => p.trial)).toEqual([501, 1001, 1501, 2001, 2501]);
    expect(curve.at(-1)).toEqual({ trial: 3000, value: 1, best: -2500 });
  });

  it("ranks best first and draws at most maxLines, always including the best", () => {
    const ts = Array.from({ length: 1000 }, (_, i) => trial(i, i, { lr: String(10 ** (-5 + (i % 5))), opt: i % 2 ? "sgd" : "adam" }));
    const order = ranked(ts, "max");
    expect(order[0].value).toBe(999);
    const p = parallelData(order, ["lr", "opt"], "acc", 200, 50);
    expect(p.lines).toHaveLength(200);
    expect(p.omitted).toBe(800);
    // Painted worst first: the best is the last line, at the top of the objective axis with t = 1.
    expect(p.lines.at(-1)).toMatchObject({ runId: "r999", t: 1 });
    expect(p.lines.at(-1)?.positions.at(-1)).toBe(1);
    expect(p.axes.map((a) => a.kind)).toEqual(["log", "categorical", "numeric"]);
  });

  it("minimises losses and errors, maximises the rest by default", () => {
    expect(defaultDirection("val_loss")).toBe("min");
    expect(defaultDirection("eval/rmse")).toBe("min");
    expect(defaultDirection("val_accuracy")).toBe("max");
    expect(defaultDirection("mAP50")).toBe("max");
  });
});
