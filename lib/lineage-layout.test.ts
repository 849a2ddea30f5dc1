import { describe, expect, it } from "vitest";
import { layoutLineage, mergeGraphs, NODE_WIDTH } from "./lineage-layout";

describe("lineage layout", () => {
  it("places upstream nodes left of downstream ones and labels every edge", () => {
    const nodes = [{ id: "version:v" }, { id: "dataset:d" }, { id: "run:r" }, { id: "deployment:x" }];
    const edges = [
      { from: "dataset:d", to: "run:r", label: "trained on" },
      { from: "run:r", to: "version:v", label: "registered from" },
      { from: "version:v", to: "deployment:x", label: "deployed to" },
    ];
    const l = layoutLineage(nodes, edges);
    const x = (id: string) => l.nodes.find((n) => n.id === id)!.x;
    expect(x("dataset:d")).toBeLessThan(x("run:r"));
    expect(x("run:r")).toBeLessThan(x("version:v"));
    expect(x("version:v")).toBeLessThan(x("deployment:x"));
    expect(l.width).toBeGreaterThan(4 * NODE_WIDTH);
    for (const e of l.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it("drops edges to nodes it was not given, and survives cycles (a retraining loop)", () => {
    const l = layoutLineage(
      [{ id: "a" }, { id: "b" }],
      [
        { from: "a", to: "b", label: "x" },
        { from: "b", to: "a", label: "y" },
        { from: "a", to: "gone", label: "z" },
      ],
    );
    expect(l.edges.map((e) => e.label).sort()).toEqual(["x", "y"]);
  });

  it("merges expansions by node id and edge identity", () => {
    const m = mergeGraphs([
      { nodes: [{ id: "a" }, { id: "b" }], edges: [{ from: "a", to: "b", label: "x" }] },
      {
        nodes: [{ id: "b" }, { id: "c" }],
        edges: [
          { from: "a", to: "b", label: "x" },
          { from: "b", to: "c", label: "y" },
        ],
      },
    ]);
    expect(m.nodes.map((n) => n.id)).toEqual(["a", "b", "c"]);
    expect(m.edges).toHaveLength(2);
  });
});
