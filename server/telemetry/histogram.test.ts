import { describe, expect, it } from "vitest";
import {
  addCounts,
  binCounts,
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKETS,
  latencyBucket,
  latencyHistogram,
  latencyQuantile,
  mergeSummaries,
  rebin,
  shareUnder,
} from "./histogram";

describe("latency buckets", () => {
  it("are log-spaced, 10 per decade, 1 ms to 100 s, plus overflow", () => {
    expect(LATENCY_BOUNDS_MS[0]).toBe(1);
    expect(LATENCY_BOUNDS_MS[10]).toBe(10);
    expect(LATENCY_BOUNDS_MS[50]).toBe(100000);
    expect(LATENCY_BUCKETS).toBe(52);
    for (let i = 1; i < LATENCY_BOUNDS_MS.length; i++) expect(LATENCY_BOUNDS_MS[i] / LATENCY_BOUNDS_MS[i - 1]).toBeCloseTo(10 ** 0.1, 4);
  });

  it("puts a value in the first bucket whose upper bound holds it", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1)).toBe(0);
    expect(latencyBucket(1.0001)).toBe(1);
    expect(latencyBucket(10)).toBe(10);
    expect(latencyBucket(1e9)).toBe(LATENCY_BUCKETS - 1);
  });

  it("merges by adding counts, and percentiles of the merge equal those of the pooled samples' histogram", () => {
    const a = latencyHistogram([5, 7, 9, 12, 40]);
    const b = latencyHistogram([8, 11, 300]);
    const merged = addCounts([...a], b);
    expect(merged).toEqual(latencyHistogram([5, 7, 9, 12, 40, 8, 11, 300]));
    expect(merged.reduce((x, y) => x + y)).toBe(8);
  });

  it("estimates quantiles inside the bucket holding the rank, geometrically", () => {
    // 100 requests all in the bucket (10, 12.5893] ms: p50 is the geometric midpoint.
    const counts = new Array(LATENCY_BUCKETS).fill(0);
    counts[11] = 100;
    expect(latencyQuantile(counts, 0.5)).toBeCloseTo(Math.sqrt(10 * 12.5893), 6);
    expect(latencyQuantile(counts, 1)).toBeCloseTo(12.5893, 6);
    // 90 fast (bucket 0: 0..1 ms), 10 slow (bucket 20: 79.4..100 ms): p50 in the first, p95 in the slow one.
    const two = new Array(LATENCY_BUCKETS).fill(0);
    two[0] = 90;
    two[20] = 10;
    expect(latencyQuantile(two, 0.45)).toBeCloseTo(0.5, 9);
    expect(latencyQuantile(two, 0.95)).toBeCloseTo(79.4328 * (100 / 79.4328) ** 0.5, 3);
    expect(latencyQuantile(new Array(LATENCY_BUCKETS).fill(0), 0.5)).toBeNull();
    const overflow = new Array(LATENCY_BUCKETS).fill(0);
    overflow[LATENCY_BUCKETS - 1] = 3;
    expect(latencyQuantile(overflow, 0.99)).toBe(100000);
  });

  it("counts the share under a threshold by whole buckets", () => {
    const h = latencyHistogram([1, 5, 10, 50, 200]);
    expect(shareUnder(h, 10)).toEqual({ good: 3, total: 5 });
    expect(shareUnder(h, 100)).toEqual({ good: 4, total: 5 });
  });
});

describe("feature histograms", () => {
  it("bins values with end bins catching the outside", () => {
    expect(binCounts([-5, 0, 0.5, 1, 1.5, 2, 9], [0, 1, 2])).toEqual([3, 4]);
  });

  it("re-bins evenly spread mass onto other edges, keeping the total", () => {
    expect(rebin([0, 2, 4], [10, 20], [0, 1, 2, 3, 4])).toEqual([5, 5, 10, 10]);
    expect(rebin([0, 1, 2], [4, 6], [0, 2])).toEqual([10]);
    // Mass below the first edge and above the last lands in the end bins.
    expect(rebin([-1, 1, 3], [4, 8], [0, 1, 2])).toEqual([4, 8]);
  });

  it("merges numeric summaries onto the first one's edges and categories by key", () => {
    const m = mergeSummaries([
      { kind: "numeric", edges: [0, 1, 2], counts: [1, 2] },
      { kind: "numeric", edges: [0, 1, 2], counts: [3, 4] },
      { kind: "numeric", edges: [0, 2], counts: [2] },
    ]);
    expect(m).toEqual({ kind: "numeric", edges: [0, 1, 2], counts: [5, 7] });
    expect(
      mergeSummaries([
        { kind: "categorical", counts: { a: 1, b: 2 } },
        { kind: "categorical", counts: { b: 1, c: 5 } },
      ]),
    ).toEqual({ kind: "categorical", counts: { a: 1, b: 3, c: 5 } });
    expect(mergeSummaries([])).toBeNull();
  });
});
