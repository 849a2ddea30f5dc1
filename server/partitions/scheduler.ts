// Partition maintenance schedule: a timer on every replica. The tick's advisory lock makes one replica
// do the work at a time and the work is idempotent, so no job queue is needed for a job this rare.
import { getDatabase } from "@/server/db";
import { env } from "@/server/env";
import { logger } from "@/server/log";
import { maintainPartitions, type Retention } from "./service";

export function retentionFromEnv(): Retention {
  return {
    metrics: env.METRICS_RETENTION_MONTHS,
    telemetry_summaries: env.TELEMETRY_RETENTION_MONTHS,
    drift_evaluations: env.DRIFT_EVALUATIONS_RETENTION_MONTHS,
    audit_log: env.AUDIT_LOG_RETENTION_MONTHS,
  };
}

export async function runPartitionTick(): Promise<void> {
  try {
    const { db } = await getDatabase();
    const r = await maintainPartitions(db, { ahead: env.PARTITIONS_AHEAD_MONTHS, retention: retentionFromEnv() });
    if (r.held.length) logger.warn({ held: r.held }, "audit rows of these months stay in the default partition (its month was never created ahead)");
    if (r.ran) logger.info({ created: r.created, dropped: r.dropped }, "partition maintenance");
  } catch (err) {
    logger.error({ err }, "partition maintenance failed");
  }
}

/** First tick soon after start (the migration created months ahead already), then every few hours. */
export function startPartitionMaintenance(): void {
  setTimeout(runPartitionTick, 45_000).unref();
  setInterval(runPartitionTick, env.PARTITION_MAINTENANCE_HOURS * 3600_000).unref();
}
