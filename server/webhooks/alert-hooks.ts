// What an alert transition causes besides itself, written in the alert's own transaction (the outbox):
// notification deliveries on firing and resolving, automated responses on firing.
import type { Db } from "@/db/client";
import { enqueueAlertResponses } from "./responses";
import { enqueueAlertNotifications } from "./service";

type Transitioned = { id?: string; modelId: string | null; kind: string; firingAt: Date | null; resolvedAt: Date | null };

export async function onAlertTransition(tx: Db, alert: Transitioned, action: string): Promise<void> {
  if (!alert.id || (action !== "alert.fire" && action !== "alert.resolve")) return;
  // Due from the transition's own time, so a replayed evaluation is sent at once rather than later.
  const at = (action === "alert.fire" ? alert.firingAt : alert.resolvedAt) ?? undefined;
  await enqueueAlertNotifications(tx, alert.id, action === "alert.fire" ? "alert.firing" : "alert.resolved", { now: at });
  if (action === "alert.fire") await enqueueAlertResponses(tx, { id: alert.id, modelId: alert.modelId, kind: alert.kind });
}
