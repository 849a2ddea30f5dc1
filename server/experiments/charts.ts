// Chart data: metric series per run, downsampled on the server (never every point to the browser).
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { metrics, runs } from "@/db/schema";
import { downsample, type Bucket, type Point } from "./downsample";
import { ZMetricSeries } from "./schemas";

/** Above this many points in range, buckets are aggregated in SQL instead of reading raw points. */
const RAW_LIMIT = 100_000;

export type Series = {
  runId: string;
  runName: string;
  /** Raw points in range (finite ones), and how many were NaN or infinite (not drawable). */
  total: number;
  nonFinite: number;
  /** True when `points` are buckets (each with min/max), false when every raw point is there. */
  downsampled: boolean;
  points: Bucket[];
};

/** Per run: the key's history on the chosen x-axis, at most `maxPoints` buckets with true min/max each. */
export async function metricSeries(db: Db, input: unknown): Promise<{ key: string; xAxis: string; series: Series[] }> {
  const q = ZMetricSeries.parse(input);
  const runRows = await db.select({ runId: runs.runId, runName: runs.runName, startTime: runs.startTime }).from(runs).where(inArray(runs.runId, q.runIds));
  const series = await Promise.all(
    runRows.map(async (run): Promise<Series> => {
      const x =
        q.xAxis === "step" ? sql`${metrics.step}` : q.xAxis === "wall" ? sql`${metrics.timestamp}` : sql`(${metrics.timestamp} - ${run.startTime}::bigint)`;
      // A range of relative time is also put on the bare timestamp (the partition key), so only its months are read.
      const relative = q.xAxis !== "step" && q.xAxis !== "wall";
      const base = and(
        eq(metrics.runId, run.runId),
        eq(metrics.key, q.key),
        q.range ? sql`${x} between ${Math.floor(q.range.from)} and ${Math.ceil(q.range.to)}` : undefined,
        q.range && relative
          ? sql`${metrics.timestamp} between ${Math.floor(q.range.from) + run.startTime} and ${Math.ceil(q.range.to) + run.startTime}`
          : undefined,
      );
      const finite = sql`${metrics.value} not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`;
      // How many points, counted only up to the raw limit so long histories are not scanned twice.
      const [capped] = await queryRows(db, sql`select count(*) as "n" from (select 1 from ${metrics} where ${base} limit ${RAW_LIMIT + 1}) as "capped"`);
      if (Number(capped.n) <= RAW_LIMIT) {
        const rows = await queryRows(
          db,
          sql`select ${x} as "x", ${metrics.value} as "y" from ${metrics} where ${base} order by ${x}, ${metrics.timestamp}, ${metrics.id}`,
        );
        const points: Point[] = [];
        for (const r of rows) {
          const y = Number(r.y);
          if (Number.isFinite(y)) points.push({ x: Number(r.x), y });
        }
        const n = points.length;
        return {
          runId: run.runId,
          runName: run.runName,
          total: n,
          nonFinite: rows.length - n,
          downsampled: n > q.maxPoints,
          points: downsample(points, q.maxPoints),
        };
      }
      // Long histories: equal-width buckets over x computed where the data lives, in one scan; each
      // keeps its true min and max so a spike still shows, and the mean as the drawn value.
      const [span] = await queryRows(db, sql`select min(${x}) as "lo", max(${x}) as "hi" from ${metrics} where ${base}`);
      const lo = Number(span.lo);
      const hi = Number(span.hi);
      const width = Math.max(1, (hi - lo + 1) / q.maxPoints);
      const rows = await queryRows(
        db,
        sql`select floor((${x} - ${lo}) / ${width}::float8) as "b", min(${x}) filter (where ${finite}) as "x0", max(${x}) filter (where ${finite}) as "x1",
              avg(${metrics.value}) filter (where ${finite}) as "y", min(${metrics.value}) filter (where ${finite}) as "min", max(${metrics.value}) filter (where ${finite}) as "max",
              count(*) filter (where ${finite}) as "n", count(*) filter (where not ${finite}) as "bad"
            from ${metrics} where ${base} group by 1 order by 1`,
      );
      let n = 0;
      let nonFinite = 0;
      const points: Bucket[] = [];
      for (const r of rows) {
        nonFinite += Number(r.bad);
        if (!Number(r.n)) continue;
        n += Number(r.n);
        const x0 = Number(r.x0);
        const x1 = Number(r.x1);
        points.push({ x: (x0 + x1) / 2, y: Number(r.y), min: Number(r.min), max: Number(r.max), x0, x1, count: Number(r.n) });
      }
      return { runId: run.runId, runName: run.runName, total: n, nonFinite, downsampled: true, points };
    }),
  );
  const order = new Map(q.runIds.map((id, i) => [id, i]));
  series.sort((a, b) => order.get(a.runId)! - order.get(b.runId)!);
  return { key: q.key, xAxis: q.xAxis, series };
}
