// Evaluation schedule. On the embedded database there is one process, so a timer is the whole job
// system. On PostgreSQL, pg-boss owns the schedule: a cron job every 5 minutes in a singleton queue,
// so with several replicas one of them runs each tick and a slow tick never overlaps the next. The
// tick's body is the same code either way; its transaction-scoped advisory lock stays as a second
// guard (an operator's "evaluate now" can race a scheduled tick), and the work is idempotent.
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import { queryRows, type Db } from "@/db/client";
import { getDatabase } from "@/server/db";
import { logger } from "@/server/log";
import { runDeliveryTick } from "@/server/webhooks/worker";
import { evaluateCostAlerts } from "@/server/cost/alerts";
import { analyseDueRollouts } from "@/server/deployments/rollout";
import { evaluateAll } from "./evaluate";

export const EVALUATION_INTERVAL_MS = 5 * 60_000;
const LOCK_KEY = 0x5e71_0007;

let running = false;

export async function runEvaluationTick(): Promise<void> {
  if (running) return;
  running = true;
  try {
    const { db, driver } = await getDatabase();
    const evaluate = async (d: Db) => ({ ...(await evaluateAll(d)), cost: await evaluateCostAlerts(d) });
    if (driver === "postgres") {
      // A pooled connection cannot hold a session lock reliably; the transaction's lock ends with it.
      await db.transaction(async (tx) => {
        const [row] = await queryRows(tx, sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`);
        if (row?.ok) logger.info(await evaluate(tx), "monitoring evaluation");
      });
    } else logger.info(await evaluate(db), "monitoring evaluation");
    // After drift verdicts are fresh: baked rollout steps are analysed and advanced or stopped per plan
    // (each under its own row lock, so replicas do not analyse the same step twice).
    logger.info(await analyseDueRollouts(db), "rollout analysis");
  } catch (err) {
    logger.error({ err }, "monitoring evaluation failed");
  } finally {
    running = false;
  }
  // Send what this tick raised now rather than at the worker's next tick.
  await runDeliveryTick();
}

export const EVALUATION_QUEUE = "monitoring-evaluate";
const EVALUATION_CRON = "*/5 * * * *";

/** Timers on the embedded database; pg-boss on PostgreSQL (returns it so shutdown can stop it). */
export async function startMonitoringScheduler(databaseUrl?: string): Promise<PgBoss | null> {
  if (!databaseUrl) {
    setTimeout(runEvaluationTick, 30_000).unref();
    setInterval(runEvaluationTick, EVALUATION_INTERVAL_MS).unref();
    return null;
  }
  return startJobQueue(databaseUrl, runEvaluationTick);
}

/** Starts pg-boss (its own `pgboss` schema, created on first start) and schedules `tick` every 5 minutes. */
export async function startJobQueue(databaseUrl: string, tick: () => Promise<void>, cron = EVALUATION_CRON): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 2, application_name: "sentinel-jobs" });
  boss.on("error", (err) => logger.error({ err }, "job queue error"));
  await boss.start();
  await boss.createQueue(EVALUATION_QUEUE, { name: EVALUATION_QUEUE, policy: "singleton", expireInSeconds: 15 * 60, retryLimit: 0 });
  await boss.schedule(EVALUATION_QUEUE, cron, {}, { tz: "UTC" });
  await boss.work(EVALUATION_QUEUE, async () => {
    await tick();
  });
  return boss;
}
