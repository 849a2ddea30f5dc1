// Prometheus Alertmanager webhook receiver: each alert of a v4 notification becomes a Sentinel alert
// through the same lifecycle as the portal's own rules (applyAlertSteps), so routing is unchanged.
import { createHash } from "node:crypto";
import { and, eq, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { alerts, models } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { applyAlertSteps, type AlertStep } from "./alerts";

const ZLabels = z.record(z.string().max(256), z.string().max(4096));

/**
 * RFC 3339 as Alertmanager writes it (Go time: up to nanoseconds, any offset). JavaScript dates keep
 * milliseconds, so extra fraction digits are cut before parsing.
 */
const ZGoTime = z.union([
  z.date(), // already parsed: the REST door validates, then the service parses again
  z.iso.datetime({ offset: true }).transform((s) => new Date(s.replace(/(\.\d{3})\d+/, "$1"))),
]);

/** One alert of the notification; unknown fields are tolerated (Alertmanager adds them over time). */
export const ZAlertmanagerAlert = z.looseObject({
  status: z.enum(["firing", "resolved"]),
  labels: ZLabels,
  annotations: ZLabels.default({}),
  startsAt: ZGoTime,
  /** "0001-01-01T00:00:00Z" while an alert fires and has no end yet. */
  endsAt: ZGoTime.optional(),
  generatorURL: z.string().max(4096).default(""),
  fingerprint: z.string().min(1).max(128).optional(),
});

/** The documented webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const ZAlertmanagerPayload = z.looseObject({
  version: z.literal("4", { error: 'Only Alertmanager webhook payload version "4" is understood' }),
  groupKey: z.string().max(4096),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string().max(256),
  groupLabels: ZLabels.default({}),
  commonLabels: ZLabels.default({}),
  commonAnnotations: ZLabels.default({}),
  externalURL: z.string().max(4096).default(""),
  alerts: z.array(ZAlertmanagerAlert).max(1000, "At most 1,000 alerts per notification"),
});
export type TAlertmanagerPayload = z.input<typeof ZAlertmanagerPayload>;
type AmAlert = z.output<typeof ZAlertmanagerAlert>;

/** Alertmanager severities (free text by convention) onto the portal's info < ticket < warning < page. */
export function portalSeverity(label: string | undefined): "info" | "ticket" | "warning" | "page" {
  switch ((label ?? "").trim().toLowerCase()) {
    case "critical":
    case "page":
    case "high":
    case "error":
      return "page";
    case "ticket":
    case "low":
      return "ticket";
    case "info":
    case "informational":
    case "none":
      return "info";
    default:
      // "warning", and anything unknown: loud enough to be seen, not enough to page.
      return "warning";
  }
}

/** Alertmanager's own fingerprint when sent; otherwise a stable one from the sorted label set. */
export function fingerprintOf(a: Pick<AmAlert, "labels" | "fingerprint">): string {
  if (a.fingerprint) return a.fingerprint;
  const canonical = Object.keys(a.labels)
    .sort()
    .map((k) => `${k}=${a.labels[k]}`)
    .join("\u0000");
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

export function alertTitle(a: Pick<AmAlert, "labels" | "annotations">): string {
  const name = a.labels.alertname ?? "Alertmanager alert";
  const what = a.annotations.summary ?? a.annotations.description ?? a.annotations.message;
  return (what ? `${name}: ${what}` : name).slice(0, 300);
}

const ZERO_TIME = 0; // Go's zero time has a year of 1; anything before 1970 means "no end yet".

export type AlertmanagerResult = { received: number; firing: number; resolved: number; unknownModels: string[] };

/**
 * Applies a notification: firing alerts open (or refresh) one Sentinel alert per fingerprint,
 * resolved ones resolve it. All alerts of the notification are applied in one transaction, with
 * one audit row naming the caller; transitions are audited and routed as any alert's.
 */
export async function receiveAlertmanager(db: Db, actor: Actor, input: unknown, now = new Date()): Promise<AlertmanagerResult> {
  const p = ZAlertmanagerPayload.parse(input);
  return db.transaction(async (tx) => {
    const slugs = [...new Set(p.alerts.map((a) => a.labels.model).filter((s): s is string => !!s))];
    const found = slugs.length ? await tx.select({ id: models.id, slug: models.slug }).from(models).where(inArray(models.slug, slugs)) : [];
    const modelIds = new Map(found.map((m) => [m.slug, m.id]));
    let firing = 0;
    let resolved = 0;
    for (const a of p.alerts) {
      const fingerprint = fingerprintOf(a);
      const ruleKey = `alertmanager:${a.labels.alertname ?? "unnamed"}`;
      const [open] = await tx
        .select({ lastEvaluatedAt: alerts.lastEvaluatedAt })
        .from(alerts)
        .where(and(eq(alerts.ruleKey, ruleKey), eq(alerts.subject, fingerprint), ne(alerts.state, "resolved")));
      const evidence = {
        source: "alertmanager",
        receiver: p.receiver,
        groupKey: p.groupKey,
        externalURL: p.externalURL,
        generatorURL: a.generatorURL,
        annotations: a.annotations,
        startsAt: a.startsAt.toISOString(),
        endsAt: a.endsAt && a.endsAt.getTime() > ZERO_TIME ? a.endsAt.toISOString() : null,
      };
      let step: AlertStep;
      if (a.status === "firing") {
        // A re-sent notification must not move the alert back in time: never before what was already seen.
        const at = open && open.lastEvaluatedAt > a.startsAt ? open.lastEvaluatedAt : a.startsAt;
        step = { at, condition: true, evidence, severity: portalSeverity(a.labels.severity), title: alertTitle(a) };
        firing++;
      } else {
        const ended = a.endsAt && a.endsAt.getTime() > ZERO_TIME ? a.endsAt : now;
        const at = open && open.lastEvaluatedAt > ended ? open.lastEvaluatedAt : ended;
        step = { at, condition: false, evidence };
        resolved++;
      }
      await applyAlertSteps(
        tx,
        {
          ruleKey,
          subject: fingerprint,
          kind: "external",
          severity: portalSeverity(a.labels.severity),
          modelId: (a.labels.model && modelIds.get(a.labels.model)) || null,
          title: alertTitle(a),
          // Alertmanager already waited for its rule's `for`; the alert fires on arrival.
          forMs: 0,
          source: "alertmanager",
          externalFingerprint: fingerprint,
          labels: a.labels,
        },
        [step],
      );
    }
    const unknownModels = slugs.filter((s) => !modelIds.has(s));
    await writeAudit(tx, actor, {
      action: "alert.alertmanager",
      entityType: "integration",
      entityId: "alertmanager",
      after: {
        groupKey: p.groupKey.slice(0, 500),
        receiver: p.receiver,
        status: p.status,
        firing,
        resolved,
        truncatedAlerts: p.truncatedAlerts,
        unknownModels,
      },
    });
    return { received: p.alerts.length, firing, resolved, unknownModels };
  });
}
