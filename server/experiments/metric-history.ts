// Metric histories of many runs for one key, as MLflow's UI charts ask for them: the whole history
// (bounded) or an evenly sampled set of steps that always keeps each run's first and last step.
import { and, asc, eq, inArray, max, min } from "drizzle-orm";
import type { Db } from "@/db/client";
import { metrics } from "@/db/schema";
import { z } from "zod";
import { Invalid } from "@/server/errors";

export type MetricWithRun = { key: string; value: number; timestamp: number; step: number; run_id: string };

export const BULK_LIMITS = { runs: 100, historyResults: 25_000, perRunInterval: 2_500 } as const;

// Shapes only: the limits are checked below with MLflow's own messages, which its clients match on.
const ZHistoryBulk = z.strictObject({ runIds: z.array(z.string()), key: z.string().optional(), maxResults: z.number().int().optional() });
const ZHistoryBulkInterval = ZHistoryBulk.extend({ key: z.string(), startStep: z.number().int().optional(), endStep: z.number().int().optional() });

/** Up to `maxResults` points over all runs, ordered by run, timestamp, step, value (MLflow's order). */
export async function metricHistoryBulk(db: Db, raw: unknown): Promise<MetricWithRun[]> {
  const input = ZHistoryBulk.parse(raw);
  if (!input.runIds.length) throw new Invalid("GetMetricHistoryBulk request must specify at least one run_id.");
  if (input.runIds.length > BULK_LIMITS.runs) {
    throw new Invalid(`GetMetricHistoryBulk request cannot specify more than ${BULK_LIMITS.runs} run_ids. Received ${input.runIds.length} run_ids.`);
  }
  if (input.key === undefined) throw new Invalid("GetMetricHistoryBulk request must specify a metric_key.");
  const limit = Math.max(0, Math.min(input.maxResults ?? BULK_LIMITS.historyResults, BULK_LIMITS.historyResults));
  const rows = await db
    .select({ runId: metrics.runId, value: metrics.value, timestamp: metrics.timestamp, step: metrics.step })
    .from(metrics)
    .where(and(eq(metrics.key, input.key), inArray(metrics.runId, input.runIds)))
    .orderBy(asc(metrics.runId), asc(metrics.timestamp), asc(metrics.step), asc(metrics.value))
    .limit(limit);
  return rows.map((r) => ({ key: input.key!, value: r.value, timestamp: r.timestamp, step: r.step, run_id: r.runId }));
}

/**
 * Picks at most `maxResults` steps evenly from the sorted `allSteps` within [start, end], always
 * keeping the last one in range (MLflow's sampling, so the UI's charts look the same).
 */
export function sampleSteps(start: number, end: number, maxResults: number, allSteps: number[]): Set<number> {
  const inRange = allSteps.filter((s) => s >= start && s <= end);
  if (inRange.length <= maxResults) return new Set(inRange);
  const interval = inRange.length / maxResults;
  const picked = new Set<number>();
  for (let i = 0; i < maxResults; i++) picked.add(inRange[Math.floor(i * interval)]);
  picked.add(inRange[inRange.length - 1]);
  return picked;
}

/** Sampled histories: the same steps for every run, plus each run's own first and last step in range. */
export async function metricHistoryBulkInterval(db: Db, raw: unknown): Promise<MetricWithRun[]> {
  const input = ZHistoryBulkInterval.parse(raw);
  const maxResults = input.maxResults ?? BULK_LIMITS.perRunInterval;
  let { startStep, endStep } = input;
  if (startStep !== undefined && endStep !== undefined) {
    if (startStep > endStep) throw new Invalid(`end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`);
  } else if (startStep !== undefined || endStep !== undefined) {
    throw new Invalid("If either start step or end step are specified, both must be specified.");
  }
  if (!input.runIds.length) return [];
  const scope = and(eq(metrics.key, input.key), inArray(metrics.runId, input.runIds));
  const [distinct, bounds] = await Promise.all([
    db.selectDistinct({ step: metrics.step }).from(metrics).where(scope).orderBy(asc(metrics.step)),
    db
      .select({ lo: min(metrics.step), hi: max(metrics.step) })
      .from(metrics)
      .where(scope)
      .groupBy(metrics.runId),
  ]);
  const allSteps = distinct.map((d) => d.step);
  if (startStep === undefined || endStep === undefined) {
    startStep = 0;
    endStep = allSteps.length ? allSteps[allSteps.length - 1] : 0;
  }
  const steps = sampleSteps(startStep, endStep, maxResults, allSteps);
  for (const b of bounds) for (const s of [b.lo, b.hi]) if (s !== null && s >= startStep && s <= endStep) steps.add(s);
  if (!steps.size) return [];
  const stepList = [...steps];
  const out: MetricWithRun[] = [];
  for (const runId of input.runIds) {
    const rows = await db
      .select({ value: metrics.value, timestamp: metrics.timestamp, step: metrics.step })
      .from(metrics)
      .where(and(eq(metrics.key, input.key), eq(metrics.runId, runId), inArray(metrics.step, stepList)))
      .orderBy(asc(metrics.step), asc(metrics.timestamp), asc(metrics.value))
      .limit(BULK_LIMITS.historyResults);
    for (const r of rows) out.push({ key: input.key, value: r.value, timestamp: r.timestamp, step: r.step, run_id: runId });
  }
  return out;
}
