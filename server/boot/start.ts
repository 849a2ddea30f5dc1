// Server start (Node.js runtime only): open, migrate and seed the database, close it on signals.
import { artifactStore } from "@/server/artifacts";
import { closeDatabase, getDatabase } from "@/server/db";
import { env } from "@/server/env";
import { logger } from "@/server/log";
import { startMonitoringScheduler } from "@/server/monitoring/scheduler";
import { verifyAllArtifacts } from "@/server/registry/service";
import { startDeliveryWorker } from "@/server/webhooks/worker";

export async function startServer(): Promise<void> {
  let closing = false;
  let jobs: Awaited<ReturnType<typeof startMonitoringScheduler>> = null;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down: closing the database");
    (jobs ? jobs.stop({ graceful: true, timeout: 5_000 }).catch((err: unknown) => logger.error({ err }, "stopping the job queue failed")) : Promise.resolve())
      .then(() => closeDatabase())
      .catch((err) => logger.error({ err }, "closing the database failed"))
      .finally(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
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
