// Message bodies per format, rendered once when a delivery is enqueued (pure, so retries send the same content).
import type { alerts } from "@/db/schema";

type Alert = typeof alerts.$inferSelect;
export type AlertEvent = "alert.firing" | "alert.resolved";

/** Drift evidence carries whole distributions; notifications keep the numbers, retraining gets everything. */
function evidenceNumbers(evidence: Record<string, unknown>): Record<string, unknown> {
  const { reference: _r, current: _c, ...rest } = evidence;
  return rest;
}

function alertUrl(a: Alert, model: string | null, baseUrl: string): string {
  return `${baseUrl}/alerts?${new URLSearchParams({ state: "all", ...(model ? { model } : {}) })}#alert-${a.id}`;
}

export function alertSummary(a: Alert, model: string | null, baseUrl: string) {
  return {
    id: a.id,
    title: a.title,
    kind: a.kind,
    severity: a.severity,
    state: a.state,
    model,
    subject: a.subject,
    ruleKey: a.ruleKey,
    startedAt: a.startedAt,
    firingAt: a.firingAt,
    resolvedAt: a.resolvedAt,
    evidence: evidenceNumbers(a.evidence),
    url: alertUrl(a, model, baseUrl),
  };
}

export function genericPayload(event: AlertEvent, a: Alert, model: string | null, baseUrl: string) {
  return { event, alert: alertSummary(a, model, baseUrl) };
}

export function slackPayload(event: AlertEvent, a: Alert, model: string | null, baseUrl: string) {
  const icon = event === "alert.firing" ? (a.severity === "page" ? ":rotating_light:" : ":warning:") : ":white_check_mark:";
  const verb = event === "alert.firing" ? "Firing" : "Resolved";
  const text = `${icon} ${verb}: ${a.title}${model ? ` (${model})` : ""}`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${verb}* · ${a.severity} · ${a.kind}\n<${alertUrl(a, model, baseUrl)}|${a.title}>` } },
      { type: "context", elements: [{ type: "mrkdwn", text: `${a.subject} · started ${a.startedAt.toISOString()}` }] },
    ],
  };
}

export function testPayload(format: "slack" | "generic" | "retrain", targetName: string, now: Date) {
  const text = `Test message from Sentinel to ${targetName} at ${now.toISOString()}`;
  return format === "slack" ? { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] } : { event: "test", message: text, sentAt: now };
}

/** What the training pipeline gets: the model and version, the full drift evidence, and the data window to retrain on. */
export function retrainPayload(a: Alert, model: string | null, version: number | null, lookbackDays: number, baseUrl: string) {
  const to = a.lastEvaluatedAt;
  const from = new Date(a.startedAt.getTime() - lookbackDays * 86_400_000);
  return {
    event: "retrain",
    alert_id: a.id,
    model,
    version,
    reason: a.title,
    dataWindow: { from, to },
    evidence: a.evidence,
    alert: alertSummary(a, model, baseUrl),
    /** Set this tag on the training run (MLflow door) so it shows up on the alert. */
    runTag: { key: "sentinel.trigger.alert_id", value: a.id },
  };
}
