// The alerts REST door and the Alertmanager receiver, through the real route handlers with API tokens.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as alertsRoute from "@/app/api/v1/alerts/route";
import * as alertmanagerRoute from "@/app/api/v1/integrations/alertmanager/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { alerts, auditLog, webhookDeliveries, webhookTargets } from "@/db/schema";
import { provideDatabase } from "@/server/db";
import { createModel } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { portalSeverity, type TAlertmanagerPayload } from "./alertmanager";

let t: TestEnv;
let writer: string;
let reader: string;
let modelId: string;

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  writer = (await createToken(t.db, t.actors.engineer, { name: "alertmanager", scopes: ["alerts:read", "alerts:write"] })).token;
  reader = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["alerts:read"] })).token;
  modelId = (await createModel(t.db, t.actors.engineer, { slug: "camera-health", name: "Camera health", team: "perception", task: "classification" })).id;
  // A Slack-style target for every alert: routing must reach it like for the portal's own alerts.
  await t.db.insert(webhookTargets).values({ name: "on-call channel", url: "https://hooks.example.com/x", format: "slack", secret: "s3cret-for-tests" });
});
afterAll(async () => {
  await t.close();
});

const ctx = () => ({ params: Promise.resolve({}) });
const call = (method: string, path: string, token: string, body?: unknown) =>
  new Request(`http://portal.test${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

function payload(
  status: "firing" | "resolved",
  over: { fingerprint?: string; labels?: Record<string, string>; extra?: Record<string, unknown> } = {},
): TAlertmanagerPayload {
  const labels = over.labels ?? { alertname: "EdgeHighLatency", severity: "critical", model: "camera-health", instance: "gw-7" };
  return {
    version: "4",
    groupKey: '{}:{alertname="EdgeHighLatency"}',
    status,
    receiver: "sentinel",
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: { summary: "p95 above 250 ms" },
    externalURL: "http://alertmanager.example:9093",
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels,
        annotations: { summary: "p95 above 250 ms", runbook_url: "https://runbooks.example/edge-latency" },
        // Go writes nanoseconds; they must parse.
        startsAt: "2026-12-01T10:00:00.123456789Z",
        endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2026-12-01T10:30:00Z",
        generatorURL: "http://prometheus.example:9090/graph?g0.expr=edge_p95",
        fingerprint: over.fingerprint ?? "e4d9f1a6c7",
        ...over.extra,
      },
    ],
  };
}

type Item = {
  id: string;
  title: string;
  severity: string;
  state: string;
  model: string | null;
  source: string;
  fingerprint: string | null;
  labels: Record<string, string>;
  kind: string;
};
const list = async (token: string, query = "") => {
  const res = await alertsRoute.GET(call("GET", `/api/v1/alerts${query}`, token), ctx());
  return { status: res.status, body: (await res.json()) as { items: Item[] } };
};
const post = (token: string, body: unknown) => alertmanagerRoute.POST(call("POST", "/api/v1/integrations/alertmanager", token, body), ctx());

describe("Alertmanager receiver", () => {
  it("turns a firing alert into one Sentinel alert per fingerprint, with labels, model and mapped severity, routed to webhooks", async () => {
    const first = await post(writer, { ...payload("firing"), someFutureField: { x: 1 } });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: 1, firing: 1, resolved: 0, unknownModels: [] });
    expect((await post(writer, payload("firing"))).status).toBe(200);

    const rows = await t.db.select().from(alerts).where(eq(alerts.externalFingerprint, "e4d9f1a6c7"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: "firing",
      severity: "page",
      modelId,
      source: "alertmanager",
      kind: "external",
      title: "EdgeHighLatency: p95 above 250 ms",
    });
    expect(rows[0].labels).toMatchObject({ alertname: "EdgeHighLatency", instance: "gw-7" });
    expect(rows[0].startedAt.toISOString()).toBe("2026-12-01T10:00:00.123Z");

    const { body } = await list(reader, "?state=firing&model=camera-health");
    expect(body.items.filter((a) => a.fingerprint === "e4d9f1a6c7")).toHaveLength(1);

    const deliveries = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.alertId, rows[0].id));
    expect(deliveries.map((d) => d.event)).toEqual(["alert.firing"]);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "alert.alertmanager"), eq(auditLog.actorUserId, t.actors.engineer.userId)));
    expect(audit).toHaveLength(2);
  });

  it("resolves the alert when Alertmanager says resolved, and announces it", async () => {
    const res = await post(writer, payload("resolved"));
    expect(res.status).toBe(200);
    const [row] = await t.db.select().from(alerts).where(eq(alerts.externalFingerprint, "e4d9f1a6c7"));
    expect(row.state).toBe("resolved");
    expect(row.resolvedAt?.toISOString()).toBe("2026-12-01T10:30:00.000Z");
    expect((await list(reader, "?state=firing")).body.items.some((a) => a.fingerprint === "e4d9f1a6c7")).toBe(false);
    expect((await list(reader, "?state=resolved")).body.items.some((a) => a.fingerprint === "e4d9f1a6c7")).toBe(true);
    const deliveries = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.alertId, row.id));
    expect(deliveries.map((d) => d.event).sort()).toEqual(["alert.firing", "alert.resolved"]);
  });

  it("keeps alerts without a known model, unattached, and says which model was unknown", async () => {
    const res = await post(
      writer,
      payload("firing", { fingerprint: "0badc0ffee", labels: { alertname: "DiskFull", severity: "warning", model: "no-such-model" } }),
    );
    expect(await res.json()).toMatchObject({ firing: 1, unknownModels: ["no-such-model"] });
    const [row] = await t.db.select().from(alerts).where(eq(alerts.externalFingerprint, "0badc0ffee"));
    expect(row).toMatchObject({ modelId: null, severity: "warning", state: "firing" });
  });

  it("refuses a token without alerts:write and a viewer, and writes nothing", async () => {
    const before = (await t.db.select().from(alerts)).length;
    expect((await post(reader, payload("firing", { fingerprint: "viewer-try" }))).status).toBe(403);
    const noScope = (await createToken(t.db, t.actors.engineer, { name: "reader-only", scopes: ["alerts:read"] })).token;
    expect((await post(noScope, payload("firing", { fingerprint: "scope-try" }))).status).toBe(403);
    expect((await post("not-a-token", payload("firing", { fingerprint: "bad-token-try" }))).status).toBe(401);
    expect((await t.db.select().from(alerts)).length).toBe(before);
  });

  it("answers 400 for payloads that are not Alertmanager v4, and stores none of their alerts", async () => {
    const before = (await t.db.select().from(alerts)).length;
    const v3 = await post(writer, { ...payload("firing", { fingerprint: "v3-try" }), version: "3" });
    expect(v3.status).toBe(400);
    const badTime = payload("firing", { fingerprint: "time-try", extra: { startsAt: "yesterday" } });
    expect((await post(writer, badTime)).status).toBe(400);
    const noLabels = await post(writer, { ...payload("firing"), alerts: [{ status: "firing", startsAt: "2026-12-01T10:00:00Z" }] });
    expect(noLabels.status).toBe(400);
    expect((await t.db.select().from(alerts)).length).toBe(before);
  });

  it("maps Alertmanager severities onto the portal's", () => {
    expect(["critical", "page", "warning", "info", "INFO", undefined, "odd"].map(portalSeverity)).toEqual([
      "page",
      "page",
      "warning",
      "info",
      "info",
      "warning",
      "warning",
    ]);
  });
});

describe("GET /api/v1/alerts", () => {
  it("sorts by severity, then newest, and filters by state, severity and model", async () => {
    const hour = 3_600_000;
    const base = Date.now() - 10 * hour;
    const mk = (subject: string, severity: string, startedMs: number, state: "pending" | "firing" = "firing") => ({
      ruleKey: "test:sort",
      subject,
      kind: "threshold",
      severity,
      modelId,
      title: `${severity} ${subject}`,
      state,
      startedAt: new Date(startedMs),
      firingAt: state === "firing" ? new Date(startedMs) : null,
      lastEvaluatedAt: new Date(startedMs),
    });
    await t.db
      .insert(alerts)
      .values([
        mk("a", "info", base + 5 * hour),
        mk("b", "page", base),
        mk("c", "warning", base + 3 * hour),
        mk("d", "page", base + 2 * hour),
        mk("e", "ticket", base, "pending"),
      ]);
    const { body } = await list(reader, "?state=open&model=camera-health");
    const ours = body.items.filter((a) => a.title.endsWith(" a") || / [b-e]$/.test(a.title)).map((a) => a.title);
    expect(ours).toEqual(["page d", "page b", "warning c", "ticket e", "info a"]);
    expect((await list(reader, "?state=pending")).body.items.map((a) => a.title)).toEqual(["ticket e"]);
    expect((await list(reader, "?severity=PAGE&state=firing")).body.items.every((a) => a.severity === "page")).toBe(true);
    expect((await list(reader, "?model=nothing-here")).body.items).toEqual([]);
  });

  it("answers 400 for an unknown filter value and 403 without alerts:read", async () => {
    expect((await list(reader, "?state=burning")).status).toBe(400);
    expect((await list(reader, "?severity=sev1")).status).toBe(400);
    const other = (await createToken(t.db, t.actors.viewer, { name: "models", scopes: ["models:read"] })).token;
    expect((await list(other)).status).toBe(403);
  });

  it("is in the OpenAPI document with its scopes and filters", async () => {
    const doc = (await openapiRoute.GET().json()) as {
      paths: Record<string, Record<string, { "x-required-scope"?: string; parameters?: { name: string; in: string }[] }>>;
    };
    expect(doc.paths["/api/v1/alerts"].get["x-required-scope"]).toBe("alerts:read");
    expect(doc.paths["/api/v1/alerts"].get.parameters?.filter((p) => p.in === "query").map((p) => p.name)).toEqual(
      expect.arrayContaining(["state", "severity", "model"]),
    );
    expect(doc.paths["/api/v1/integrations/alertmanager"].post["x-required-scope"]).toBe("alerts:write");
  });
});
