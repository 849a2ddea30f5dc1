import { describe, expect, it } from "vitest";
import {
  columnIdentifier,
  completeFilter,
  filterErrorAt,
  filterForGroup,
  nextOrder,
  orderClause,
  parseView,
  RUN_PALETTE,
  runColor,
  runIdFilter,
  serializeView,
  toggleSelection,
  type RunsView,
} from "./view-state";

describe("runs view in the URL", () => {
  it("round-trips every part of the view", () => {
    const v: RunsView = {
      filter: "metrics.map > 0.5 and params.lr = '0.01'",
      order: { column: { kind: "metric", key: "mAP50-95" }, desc: true },
      columns: [
        { kind: "param", key: "learning_rate" },
        { kind: "metric", key: "val loss" },
        { kind: "tag", key: "mlflow.user" },
        { kind: "attribute", key: "user_id" },
      ],
      selected: ["a1", "b2"],
      pinned: ["c3"],
      group: { kind: "param", key: "backbone", metric: "mAP50" },
    };
    const sp = serializeView(v);
    expect(parseView(new URLSearchParams(sp.toString()))).toEqual(v);
  });

  it("leaves out empty parts and distinguishes no columns chosen from an empty choice", () => {
    const empty = parseView(new URLSearchParams(""));
    expect(empty).toEqual({ filter: "", order: null, columns: null, selected: [], pinned: [], group: null });
    expect(serializeView(empty).toString()).toBe("");
    expect(parseView(new URLSearchParams("cols=")).columns).toEqual([]);
  });

  it("ignores malformed parts instead of failing", () => {
    const v = parseView(new URLSearchParams("order=x:nope&cols=m:a,zz,a:secret,m:a&group=m:acc&sel=ok,<script>"));
    expect(v.order).toBeNull();
    expect(v.columns).toEqual([{ kind: "metric", key: "a" }]);
    expect(v.group).toBeNull();
    expect(v.selected).toEqual(["ok"]);
  });

  it("builds order_by clauses and filters with backticked keys", () => {
    expect(orderClause({ column: { kind: "metric", key: "mAP50-95" }, desc: true })).toBe("metrics.`mAP50-95` DESC");
    expect(orderClause({ column: { kind: "attribute", key: "start_time" }, desc: false })).toBe("attributes.start_time ASC");
    expect(columnIdentifier({ kind: "tag", key: "mlflow.user" })).toBe("tags.`mlflow.user`");
    expect(filterForGroup("", { kind: "param", key: "lr", metric: null }, "0.01")).toBe("params.`lr` = '0.01'");
    expect(filterForGroup("metrics.a > 1", { kind: "tag", key: "t", metric: null }, "it's")).toBe("metrics.a > 1 and tags.`t` = 'it\\'s'");
    expect(filterForGroup("", { kind: "tag", key: "t", metric: null }, null)).toBeNull();
    expect(runIdFilter(["a", "b"])).toBe("attributes.run_id IN ('a', 'b')");
  });

  it("cycles a header's sort: first direction, the other, then none", () => {
    const lr = { kind: "param" as const, key: "lr" };
    const acc = { kind: "metric" as const, key: "acc" };
    const o1 = nextOrder(null, lr);
    expect(o1).toEqual({ column: lr, desc: false });
    const o2 = nextOrder(o1, lr);
    expect(o2).toEqual({ column: lr, desc: true });
    expect(nextOrder(o2, lr)).toBeNull();
    // Metrics start with the largest first; another column starts over.
    expect(nextOrder(o2, acc)).toEqual({ column: acc, desc: true });
  });
});

describe("selection", () => {
  const order = ["a", "b", "c", "d", "e"];
  it("toggles one row without shift", () => {
    expect(toggleSelection([], order, "c", null, false)).toEqual(["c"]);
    expect(toggleSelection(["c"], order, "c", "c", false)).toEqual([]);
  });
  it("selects the range from the anchor with shift, in either direction", () => {
    expect(toggleSelection(["b"], order, "d", "b", true)).toEqual(["b", "c", "d"]);
    expect(toggleSelection(["d"], order, "a", "d", true)).toEqual(["d", "a", "b", "c"]);
  });
  it("clears the range when the shift-clicked row was selected", () => {
    expect(toggleSelection(["a", "b", "c", "d"], order, "c", "a", true)).toEqual(["d"]);
  });
  it("keeps selected runs that are not loaded", () => {
    expect(toggleSelection(["zz"], order, "a", null, false)).toEqual(["zz", "a"]);
  });
});

describe("filter box helpers", () => {
  it("reads the position out of the parser's message", () => {
    expect(filterErrorAt("Invalid filter at position 13: expected a value\nmetrics.acc >\n             ^")).toEqual({
      position: 13,
      reason: "expected a value",
    });
    expect(filterErrorAt("Something else")).toBeNull();
  });
  it("completes prefixes and keys under the caret, backticking keys that need it", () => {
    const keys = { params: ["lr", "batch_size"], metrics: ["mAP50", "mAP50-95", "val_loss"], tags: ["mlflow.user"] };
    expect(completeFilter("me", 2, keys).map((c) => c.insert)).toEqual(["metrics."]);
    expect(completeFilter("metrics.ma", 10, keys).map((c) => c.insert)).toEqual(["metrics.mAP50", "metrics.`mAP50-95`"]);
    const c = completeFilter("params.lr = '0.1' and tags.ml", 29, keys);
    expect(c).toEqual([{ insert: "tags.`mlflow.user`", label: "tags.`mlflow.user`", from: 22, to: 29 }]);
    expect(completeFilter("params.lr = 'me", 15, keys)).toEqual([]);
  });
});

describe("run colours", () => {
  it("are stable per run and vary between runs", () => {
    expect(runColor("abc")).toBe(runColor("abc"));
    const colours = new Set(Array.from({ length: 50 }, (_, i) => runColor(`run-${i}`)));
    expect(colours.size).toBeGreaterThan(8);
  });

  it("go by position within a selection, so ten compared runs all differ", () => {
    const ids = Array.from({ length: 10 }, (_, i) => `r${i}`);
    expect(new Set(ids.map((id) => runColor(id, ids))).size).toBe(10);
    expect(runColor("r3", ids)).toBe(RUN_PALETTE[3]);
    expect(runColor("elsewhere", ids)).toBe(runColor("elsewhere"));
  });

  it("are far apart in CIELAB, every pair (ΔE76 ≥ 20) and neighbours more (≥ 35)", () => {
    const lab = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
      const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
      const [fx, fy, fz] = xyz.map(f);
      return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
    };
    const dE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));
    for (let i = 0; i < RUN_PALETTE.length; i++) {
      for (let j = i + 1; j < RUN_PALETTE.length; j++)
        expect(dE(RUN_PALETTE[i], RUN_PALETTE[j]), `${RUN_PALETTE[i]} vs ${RUN_PALETTE[j]}`).toBeGreaterThanOrEqual(20);
      if (i > 0) expect(dE(RUN_PALETTE[i - 1], RUN_PALETTE[i])).toBeGreaterThanOrEqual(35);
    }
  });
});
