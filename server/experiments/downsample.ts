// Downsampling for charts: min-max buckets with an LTTB-chosen representative per bucket, so a
// spike stays visible as a point and each bucket's true minimum and maximum travel with it.

export type Point = { x: number; y: number };
export type Bucket = {
  /** The representative point (largest triangle with its neighbours' buckets). */
  x: number;
  y: number;
  /** True extremes of the raw points in the bucket. */
  min: number;
  max: number;
  /** Range of x covered by the bucket and how many raw points it summarises. */
  x0: number;
  x1: number;
  count: number;
};

/**
 * Reduces `points` (sorted by x, finite values only) to at most `maxPoints` buckets. Short series
 * come back one bucket per point. The first and last points are kept as their own buckets.
 */
export function downsample(points: readonly Point[], maxPoints: number): Bucket[] {
  const n = points.length;
  const target = Math.max(3, Math.floor(maxPoints));
  if (n <= target) return points.map((p) => ({ x: p.x, y: p.y, min: p.y, max: p.y, x0: p.x, x1: p.x, count: 1 }));

  // Bucket boundaries: first and last points alone, the middle split evenly by index.
  const inner = target - 2;
  const edges: number[] = [1];
  for (let b = 1; b <= inner; b++) edges.push(1 + Math.floor((b * (n - 2)) / inner));
  const out: Bucket[] = [single(points[0])];
  let prev = points[0];
  for (let b = 0; b < inner; b++) {
    const lo = edges[b];
    const hi = edges[b + 1];
    // Average of the next bucket (or the last point) as the third corner of the triangle.
    const nlo = hi;
    const nhi = b + 1 < inner ? edges[b + 2] : n;
    let ax = 0;
    let ay = 0;
    for (let j = nlo; j < nhi; j++) {
      ax += points[j].x;
      ay += points[j].y;
    }
    const cnt = nhi - nlo;
    ax /= cnt;
    ay /= cnt;
    let best = lo;
    let bestArea = -1;
    let min = Infinity;
    let max = -Infinity;
    for (let j = lo; j < hi; j++) {
      const p = points[j];
      if (p.y < min) min = p.y;
      if (p.y > max) max = p.y;
      const area = Math.abs((prev.x - ax) * (p.y - prev.y) - (prev.x - p.x) * (ay - prev.y));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    const rep = points[best];
    out.push({ x: rep.x, y: rep.y, min, max, x0: points[lo].x, x1: points[hi - 1].x, count: hi - lo });
    prev = rep;
  }
  out.push(single(points[n - 1]));
  return out;
}

function single(p: Point): Bucket {
  return { x: p.x, y: p.y, min: p.y, max: p.y, x0: p.x, x1: p.x, count: 1 };
}
