// Monitoring: the demo fleet's night shift shows as drift with its evidence; engineers silence alerts;
// devices post telemetry with a token and a retried window is counted once.
import { expect, expectHydrated, test, trpcMutation, uniqueName } from "./fixtures";

test("the overview ranks the drifting model first and its page shows the drift evidence", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/monitoring");
  await expect(page.getByRole("heading", { name: "Monitoring", level: 1 })).toBeVisible();
  // Firing alerts show as a count on the navigation's Alerts entry.
  await expect(page.getByRole("navigation", { name: "Main" }).getByTestId("nav-badge-alerts")).toHaveText(/^[1-9]\d*$/);
  const rows = page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
  const cam = rows.filter({ hasText: "camera-health" });
  await expect(cam).toContainText("drifting");
  await expect(cam).toContainText("brightness");
  // Worst first: the drifting, alerting model sits above a quiet one.
  const order = await rows.allTextContents();
  expect(order.findIndex((r) => r.includes("camera-health"))).toBeLessThan(order.findIndex((r) => r.includes("seatbelt")));

  // Filters live in the URL.
  await page.goto("/monitoring?health=drifting");
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: "seatbelt" })).toHaveCount(0);
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: "camera-health" })).toHaveCount(1);

  await page.getByRole("link", { name: "Camera health" }).click();
  await expect(page).toHaveURL(/\/monitoring\/camera-health/);
  const drift = page.getByRole("region", { name: "Drift" });
  await expect(drift.getByText(/model drifting|some features drift/)).toBeVisible();
  const brightness = drift.getByRole("row").filter({ hasText: "brightness" }).first();
  await expect(brightness).toContainText("drift");
  await expect(page.getByRole("figure", { name: /Reference and current distributions of/ })).toBeVisible();
  await expect(page.getByRole("figure", { name: /Drift of .* over time/ })).toBeVisible();
  await expect(page.getByRole("figure", { name: "Latency percentiles" })).toBeVisible();
  // The firing alert carries the numbers that raised it; a viewer cannot act on it.
  const alert = page.getByTestId("alert-row").filter({ hasText: "Brightness drift on" });
  await expect(alert).toContainText("firing");
  await expect(alert).toContainText(/Wasserstein distance \(normed\) \d[\d.]* against a threshold of/);
  await expect(alert.getByRole("button", { name: /Silence/ })).toHaveCount(0);

  // Time range presets are deep links.
  await page.getByRole("link", { name: "7d", exact: true }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole("link", { name: "7d", exact: true })).toHaveAttribute("aria-current", "page");
});

test("an engineer acknowledges and silences an alert with a reason", async ({ signedInPage }) => {
  const page = await signedInPage("engineer");
  await page.goto("/alerts?state=firing&model=distracted-driving");
  const row = page.getByTestId("alert-row").filter({ hasText: "availability SLO burning" }).first();
  await expect(row).toContainText("page");
  const ack = row.getByRole("button", { name: /^Acknowledge/ });
  await expectHydrated(ack);
  await ack.click();
  await expect(row).toContainText("acknowledged by engineer@example.com");
  await row.getByRole("button", { name: /^Silence/ }).click();
  const dialog = page.getByRole("dialog");
  const reason = uniqueName("fix deploying");
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Silence alert" }).click();
  await expect(dialog).toHaveCount(0);
  await page.goto("/alerts?state=silenced&model=distracted-driving");
  await expect(page.getByTestId("alert-row").filter({ hasText: reason })).toContainText("silenced by engineer@example.com");
});

test("a device posts telemetry with a token; a retried window is counted once; a late one is refused", async ({ apiAs, anonApi }) => {
  const api = await apiAs("engineer");
  const created = await trpcMutation(api, "tokens.create", { name: uniqueName("e2e-device"), scopes: ["telemetry:write", "telemetry:read"] });
  expect(created.status()).toBe(200);
  const token = ((await created.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
  const auth = { Authorization: `Bearer ${token}` };
  const buckets = (await (await anonApi.get("/api/v1/telemetry/buckets", { headers: auth })).json()) as { latencyBuckets: number };
  const latency = new Array(buckets.latencyBuckets).fill(0);
  latency[12] = 10;
  const windowStart = new Date(Math.floor(Date.now() / 300_000) * 300_000 - 300_000).toISOString();
  const summary = {
    idempotencyKey: uniqueName("e2e-window"),
    model: "camera-health",
    version: 1,
    target: "device",
    cohort: "e2e",
    windowStart,
    requests: 10,
    errors: 0,
    latencyMs: { counts: latency },
  };
  const first = await anonApi.post("/api/v1/telemetry/summaries", { headers: auth, data: { summaries: [summary] } });
  expect(first.status()).toBe(201);
  expect(await first.json()).toMatchObject({ accepted: 1, duplicates: 0 });
  const retry = await anonApi.post("/api/v1/telemetry/summaries", { headers: auth, data: { summaries: [summary] } });
  expect(retry.status()).toBe(200);
  expect(await retry.json()).toMatchObject({ accepted: 0, duplicates: 1 });
  const late = await anonApi.post("/api/v1/telemetry/summaries", {
    headers: auth,
    data: { summaries: [{ ...summary, idempotencyKey: uniqueName("e2e-late"), windowStart: new Date(Date.now() - 7 * 3600_000).toISOString() }] },
  });
  expect(late.status()).toBe(400);
  expect(await late.json()).toMatchObject({ code: "INVALID", details: { code: "TOO_LATE" } });
  const noScope = await trpcMutation(api, "tokens.create", { name: uniqueName("e2e-reader"), scopes: ["models:read"] });
  const readOnly = ((await noScope.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
  const refused = await anonApi.post("/api/v1/telemetry/summaries", { headers: { Authorization: `Bearer ${readOnly}` }, data: { summaries: [summary] } });
  expect(refused.status()).toBe(403);
});
