// Server start (Node.js runtime only): open, migrate and seed the database, close it on signals.
import { artifactStore } from "@/server/artifacts";
import { closeDatabase, getDatabase } from "@/server/db";
import { env } from "@/server/env";
import { logger } from "@/server/log";
import { startMonitoringScheduler } from "@/server/monitoring/scheduler";
import { startPartitionMaintenance } from "@/server/partitions/scheduler";
import { verifyAllArtifacts } from "@/server/registry/service";
import { startDeliveryWorker } from "@/server/webhooks/worker";

type ShutdownGlobals = { __sentinelDrains?: boolean; __sentinelShutdown?: () => Promise<void> };

export async function startServer(): Promise<void> {
  let closing: Promise<void> | null = null;
  let jobs: Awaited<ReturnType<typeof startMonitoringScheduler>> = null;
  // Stops the job queue, then closes the database (PGlite checkpoints and its DATA_DIR lock is removed).
  const close = () =>
    (closing ??= (async () => {
      logger.info("shutting down: stopping jobs, closing the database");
      if (jobs) await jobs.stop({ graceful: true, timeout: 5_000 }).catch((err: unknown) => logger.error({ err }, "stopping the job queue failed"));
      await closeDatabase().catch((err: unknown) => logger.error({ err }, "closing the database failed"));
    })());
  const g = globalThis as ShutdownGlobals;
  g.__sentinelShutdown = close;
  // Under scripts/serve.mjs the HTTP server owns the signals: it drains requests first, then calls close.
  // Elsewhere (next dev, plain next start) close on the signal ourselves.
  if (!g.__sentinelDrains) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void close().finally(() => process.exit(0)));
  }
  try {
    await getDatabase();
  } catch (err) {
    logger.fatal({ err: err instanceof Error ? err.message : err }, "cannot open the database");
    process.exit(1);
  }
  scheduleIntegrityChecks();
  try {
    jobs = await startMonitoringScheduler(env.DATABASE_URL);
  } catch (err) {
    logger.error({ err }, "cannot start the monitoring schedule; evaluations run only when an engineer presses Evaluate now");
  }
  startDeliveryWorker();
  startPartitionMaintenance();
}

/** Re-hashes every stored artifact periodically so silently changed bytes get flagged. */
function scheduleIntegrityChecks(): void {
  if (!env.INTEGRITY_CHECK_MINUTES) return;
  const run = async () => {
    try {
      const { db } = await getDatabase();
      logger.info(await verifyAllArtifacts(db, artifactStore), "artifact integrity check");
    } catch (err) {
      logger.error({ err }, "artifact integrity check failed");
    }
  };
  setTimeout(run, 60_000).unref();
  setInterval(run, env.INTEGRITY_CHECK_MINUTES * 60_000).unref();
}
