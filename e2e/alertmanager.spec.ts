// Prometheus Alertmanager posts a firing alert: it shows on /alerts with its labels; the resolved notification resolves it.
import { expect, test, uniqueName } from "./fixtures";

function notification(status: "firing" | "resolved", alertname: string, fingerprint: string, startsAt: string) {
  const labels = { alertname, severity: "critical", model: "camera-health", instance: "gateway-7" };
  return {
    version: "4",
    groupKey: `{}:{alertname="${alertname}"}`,
    status,
    receiver: "sentinel",
    groupLabels: { alertname },
    commonLabels: labels,
    commonAnnotations: { summary: "p95 above 250 ms on the edge gateways" },
    externalURL: "http://alertmanager.example:9093",
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels,
        annotations: { summary: "p95 above 250 ms on the edge gateways", description: "Edge p95 latency has been over 250 ms for 10 minutes" },
        startsAt,
        endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : new Date().toISOString(),
        generatorURL: "http://prometheus.example:9090/graph?g0.expr=edge_p95",
        fingerprint,
      },
    ],
  };
}

test("an Alertmanager alert appears on /alerts with its labels, then resolves", async ({ apiAs, anonApi, signedInPage }) => {
  const api = await apiAs("engineer");
  const created = await api.post("/api/v1/tokens", { data: { name: uniqueName("alertmanager"), scopes: ["alerts:read", "alerts:write"] } });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const headers = { Authorization: `Bearer ${token}` };
  const alertname = `EdgeHighLatency${Date.now().toString(36)}`;
  const fingerprint = uniqueName("fp");
  const startsAt = new Date().toISOString();
  const title = `${alertname}: p95 above 250 ms on the edge gateways`;

  for (let i = 0; i < 2; i++) {
    const res = await anonApi.post("/api/v1/integrations/alertmanager", { headers, data: notification("firing", alertname, fingerprint, startsAt) });
    expect(res.status()).toBe(200);
  }

  const page = await signedInPage("engineer");
  await page.goto("/alerts?state=firing");
  const row = page.getByTestId("alert-row").filter({ hasText: title });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("From Prometheus Alertmanager: Edge p95 latency has been over 250 ms for 10 minutes")).toBeVisible();
  await expect(row.getByText("instance=gateway-7")).toBeVisible();
  await expect(row.getByRole("link", { name: "camera-health" })).toBeVisible();
  await expect(row.getByText("page", { exact: true })).toBeVisible();

  const resolved = await anonApi.post("/api/v1/integrations/alertmanager", { headers, data: notification("resolved", alertname, fingerprint, startsAt) });
  expect(resolved.status()).toBe(200);
  await page.goto("/alerts?state=firing");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByTestId("alert-row").filter({ hasText: title })).toHaveCount(0);
  await page.goto("/alerts?state=resolved");
  const done = page.getByTestId("alert-row").filter({ hasText: title });
  await expect(done).toHaveCount(1);
  await expect(done.getByText("resolved", { exact: true })).toBeVisible();
});
