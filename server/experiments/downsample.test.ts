import { describe, expect, it } from "vitest";
import { ema } from "@/lib/series";
import { downsample, type Point } from "./downsample";

const series = (n: number, f: (i: number) => number): Point[] => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

describe("downsample", () => {
  it("returns short series point for point", () => {
    const pts = series(10, (i) => i * 2);
    expect(downsample(pts, 100)).toEqual(pts.map((p) => ({ x: p.x, y: p.y, min: p.y, max: p.y, x0: p.x, x1: p.x, count: 1 })));
    expect(downsample([], 100)).toEqual([]);
  });

  it("reduces to at most maxPoints buckets covering every raw point once, first and last kept", () => {
    const pts = series(100_000, (i) => Math.sin(i / 500));
    const out = downsample(pts, 1500);
    expect(out.length).toBeLessThanOrEqual(1500);
    expect(out.length).toBeGreaterThan(1400);
    expect(out.reduce((a, b) => a + b.count, 0)).toBe(100_000);
    expect(out[0]).toMatchObject({ x: 0, count: 1 });
    expect(out[out.length - 1]).toMatchObject({ x: 99_999, count: 1 });
    for (let i = 1; i < out.length; i++) expect(out[i].x0).toBeGreaterThan(out[i - 1].x1);
  });

  it("keeps a one-point spike visible: as the representative point and in the bucket's max", () => {
    const pts = series(200_000, (i) => (i === 123_457 ? 50 : 1 + Math.sin(i) * 0.01));
    const out = downsample(pts, 500);
    const spiked = out.find((b) => b.x0 <= 123_457 && b.x1 >= 123_457)!;
    expect(spiked.max).toBe(50);
    expect(spiked).toMatchObject({ x: 123_457, y: 50 });
    expect(Math.max(...out.map((b) => b.y))).toBe(50);
    // A downward spike too.
    const dip = downsample(
      series(50_000, (i) => (i === 777 ? -9 : 0)),
      300,
    );
    expect(Math.min(...dip.map((b) => b.min))).toBe(-9);
    expect(dip.some((b) => b.y === -9)).toBe(true);
  });

  it("reports each bucket's true min and max", () => {
    const pts = series(10_000, (i) => (i % 7) - 3);
    for (const b of downsample(pts, 100)) {
      const raw = pts.filter((p) => p.x >= b.x0 && p.x <= b.x1).map((p) => p.y);
      expect(b.min).toBe(Math.min(...raw));
      expect(b.max).toBe(Math.max(...raw));
      expect(raw).toHaveLength(b.count);
      expect(b.y).toBeGreaterThanOrEqual(b.min);
      expect(b.y).toBeLessThanOrEqual(b.max);
    }
  });

  it("works on uneven x spacing (wall time)", () => {
    const pts = series(5000, (i) => i).map((p, i) => ({ x: i * i, y: p.y }));
    const out = downsample(pts, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.map((b) => b.x)).toEqual([...out.map((b) => b.x)].sort((a, b) => a - b));
  });
});

describe("ema", () => {
  it("smooths with debiasing so the first value is kept", () => {
    const out = ema([10, 0, 0], 0.5);
    expect(out[0]).toBeCloseTo(10);
    expect(out[1]).toBeCloseTo(10 / 3);
    expect(ema([1, 1, 1], 0.9).every((v) => Math.abs(v - 1) < 1e-12)).toBe(true);
  });
});
