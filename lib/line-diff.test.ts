import { describe, expect, it } from "vitest";
import { diffStats, lineDiff } from "./line-diff";

describe("lineDiff", () => {
  it("marks changed lines as removed then added, keeping line numbers of both sides", () => {
    const d = lineDiff("a\nb\nc\nd", "a\nB\nc\nd\ne");
    expect(d.map((l) => `${l.op}:${l.text}`)).toEqual(["same:a", "del:b", "add:B", "same:c", "same:d", "add:e"]);
    expect(d.find((l) => l.text === "e")).toMatchObject({ a: null, b: 5 });
    expect(d.find((l) => l.text === "b")).toMatchObject({ a: 2, b: null });
    expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
  });
  it("finds the longest common run when lines move", () => {
    const d = lineDiff("x\n1\n2\n3\ny", "1\n2\n3\nx\ny");
    expect(diffStats(d)).toEqual({ added: 1, removed: 1 });
    expect(d.filter((l) => l.op === "same").map((l) => l.text)).toEqual(["1", "2", "3", "y"]);
  });
  it("is empty of changes for equal texts", () => {
    expect(diffStats(lineDiff("same\ntext", "same\ntext"))).toEqual({ added: 0, removed: 0 });
  });
});
