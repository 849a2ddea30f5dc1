// In-process evaluation schedule. On the embedded database there is one process, so a timer is the
// whole job system; with several replicas on PostgreSQL a transaction-scoped advisory lock lets one
// replica run each tick (the others skip), and the work itself is idempotent (upserts per window).
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { getDatabase } from "@/server/db";
import { logger } from "@/server/log";
import { analyseDueRollouts } from "@/server/deployments/rollout";
import { evaluateAll } from "./service";

export const EVALUATION_INTERVAL_MS = 5 * 60_000;
const LOCK_KEY = 0x5e71_0007;

let running = false;

export async function runEvaluationTick(): Promise<void> {
  if (running) return;
  running = true;
  try {
    const { db, driver } = await getDatabase();
    if (driver === "postgres") {
      // A pooled connection cannot hold a session lock reliably; the transaction's lock ends with it.
      await db.transaction(async (tx) => {
        const [row] = await queryRows(tx, sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`);
        if (row?.ok) logger.info(await evaluateAll(tx), "monitoring evaluation");
      });
    } else logger.info(await evaluateAll(db), "monitoring evaluation");
    // After drift verdicts are fresh: baked rollout steps are analysed and advanced or stopped per plan.
    logger.info(await analyseDueRollouts(db), "rollout analysis");
  } catch (err) {
    logger.error({ err }, "monitoring evaluation failed");
  } finally {
    running = false;
  }
}

export function startMonitoringScheduler(): void {
  setTimeout(runEvaluationTick, 30_000).unref();
  setInterval(runEvaluationTick, EVALUATION_INTERVAL_MS).unref();
}
