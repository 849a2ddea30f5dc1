import { describe, expect, it } from "vitest";
import { changedFields, shapeText, sideBySide, topOperators } from "./format";

describe("registry display helpers", () => {
  it("shows symbolic dims by name and unknown dims as ?", () => {
    expect(shapeText([null, 3, "height", 640])).toBe("[?, 3, height, 640]");
    expect(shapeText([])).toBe("[]");
  });

  it("ranks operators by count then name, keeping the top ones", () => {
    expect(topOperators({ Relu: 3, Conv: 10, Add: 3, Gemm: 1 }, 3)).toEqual([
      { op: "Conv", count: 10 },
      { op: "Add", count: 3 },
      { op: "Relu", count: 3 },
    ]);
  });

  it("pairs flattened values and marks the differing ones", () => {
    const rows = sideBySide({ input: { width: 640, mean: [0, 0, 0] }, labels: ["a"] }, { input: { width: 320, mean: [0, 0, 0] } });
    expect(rows).toEqual([
      { key: "input.width", a: "640", b: "320", differs: true },
      { key: "input.mean", a: "0, 0, 0", b: "0, 0, 0", differs: false },
      { key: "labels", a: "a", b: "—", differs: true },
    ]);
  });

  it("summarises long arrays but still compares them exactly", () => {
    const long = (n: number) => Array.from({ length: 20 }, (_, i) => String(i + n));
    const [row] = sideBySide({ labels: long(0) }, { labels: long(1) });
    expect(row).toEqual({ key: "labels", a: "20 items", b: "20 items", differs: true });
  });

  it("describes what an audit entry changed, ignoring timestamps", () => {
    expect(changedFields({ status: "draft", updatedAt: 1, modelCard: "" }, { status: "candidate", updatedAt: 2, modelCard: "x".repeat(100) })).toEqual([
      "status: draft → candidate",
      "modelCard edited",
    ]);
    expect(changedFields(null, { status: "draft" })).toEqual([]);
  });
});
