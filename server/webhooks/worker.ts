// In-process delivery worker: a timer like the monitoring scheduler. Runs pending automated responses,
// then sends due webhook deliveries; both claim rows with skip locked, so replicas can all run it.
import { getDatabase } from "@/server/db";
import { logger } from "@/server/log";
import { runPendingResponses } from "./responses";
import { deliverDue } from "./service";

export const DELIVERY_INTERVAL_MS = 15_000;

let running = false;

export async function runDeliveryTick(): Promise<void> {
  if (running) return;
  running = true;
  try {
    const { db } = await getDatabase();
    const responses = await runPendingResponses(db);
    const sent = await deliverDue(db);
    if (responses || sent.length)
      logger.info({ responses, deliveries: sent.length, failed: sent.filter((s) => s.state !== "succeeded").length }, "webhook worker");
  } catch (err) {
    logger.error({ err }, "webhook worker failed");
  } finally {
    running = false;
  }
}

export function startDeliveryWorker(): void {
  setInterval(runDeliveryTick, DELIVERY_INTERVAL_MS).unref();
}
