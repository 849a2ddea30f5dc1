import { describe, expect, it } from "vitest";
import { genericPayload, retrainPayload, slackPayload } from "./payloads";
import { targetMatches } from "./service";

const alert = {
  id: "0b6a3c1e-0000-4000-8000-000000000001",
  ruleKey: "drift:m",
  subject: "cam/v3/brightness",
  kind: "drift",
  severity: "warning",
  modelId: "model-1",
  title: "Drift in brightness of cam v3",
  state: "firing" as const,
  evidence: {
    method: "ks",
    pValue: 0.001,
    reference: { kind: "numeric", edges: [0, 1], counts: [3] },
    current: { kind: "numeric", edges: [0, 1], counts: [4] },
  },
  startedAt: new Date("2026-03-01T10:00:00Z"),
  firingAt: new Date("2026-03-01T11:00:00Z"),
  lastEvaluatedAt: new Date("2026-03-01T12:00:00Z"),
  resolvedAt: null,
  acknowledgedBy: null,
  acknowledgedAt: null,
  silencedBy: null,
  silencedUntil: null,
  silenceReason: null,
  source: "sentinel",
  externalFingerprint: null,
  labels: {},
};

describe("payloads", () => {
  it("Slack messages carry text and blocks with a link to the alert", () => {
    const p = slackPayload("alert.firing", alert, "cam", "https://sentinel.example");
    expect(p.text).toBe(":warning: Firing: Drift in brightness of cam v3 (cam)");
    expect(JSON.stringify(p.blocks)).toContain(`https://sentinel.example/alerts?state=all&model=cam#alert-${alert.id}`);
    expect(slackPayload("alert.resolved", alert, "cam", "").text).toMatch(/^:white_check_mark: Resolved/);
  });
  it("notifications keep the numbers but not whole distributions; retraining gets everything and its data window", () => {
    expect(genericPayload("alert.firing", alert, "cam", "").alert.evidence).toEqual({ method: "ks", pValue: 0.001 });
    const r = retrainPayload(alert, "cam", 3, 7, "");
    expect(r).toMatchObject({
      alert_id: alert.id,
      model: "cam",
      version: 3,
      evidence: { reference: { counts: [3] } },
      runTag: { key: "sentinel.trigger.alert_id", value: alert.id },
    });
    expect(r.dataWindow).toEqual({ from: new Date("2026-02-22T10:00:00Z"), to: alert.lastEvaluatedAt });
  });
});

describe("targetMatches", () => {
  const t = { enabled: true, format: "generic" as const, modelId: null, minSeverity: null, kinds: [] as string[] };
  it("filters by model, kind and minimum severity; never sends alerts to retrain targets or disabled ones", () => {
    expect(targetMatches(t, alert)).toBe(true);
    expect(targetMatches({ ...t, modelId: "other" }, alert)).toBe(false);
    expect(targetMatches({ ...t, kinds: ["slo"] }, alert)).toBe(false);
    expect(targetMatches({ ...t, minSeverity: "ticket" }, alert)).toBe(true);
    expect(targetMatches({ ...t, minSeverity: "page" }, alert)).toBe(false);
    expect(targetMatches({ ...t, format: "retrain" }, alert)).toBe(false);
    expect(targetMatches({ ...t, enabled: false }, alert)).toBe(false);
  });
});
