// Progressive rollout: a canary whose candidate regresses at night. The fleet (the simulator's own logic,
// driven through the REST API) follows its manifests; the analysis fails the step and the deployment
// rolls back by itself; the page shows the evidence and the rollback, and the audit log has both.
import type { APIRequestContext } from "@playwright/test";
import { followManifests, type Transport } from "@/server/demo/follow";
import { auditRows, deploymentOn, expect, expectHydrated, test, trpcMutation, uniqueName } from "./fixtures";

const FLEET = "canary-rigs";
const MODEL = "forward-collision-warning";

function transport(api: APIRequestContext): Transport {
  return {
    async get(path, headers = {}) {
      const res = await api.get(path, { headers });
      return { status: res.status(), etag: res.headers().etag ?? null, body: res.status() === 304 ? null : await res.json() };
    },
    async post(path, body) {
      const res = await api.post(path, { data: body });
      return { status: res.status(), body: await res.json() };
    },
  };
}

test("a canary that regresses at night is stopped by the analysis and rolls back by itself", async ({ signedInPage, apiAs }) => {
  test.setTimeout(180_000);
  const api = await apiAs("admin");
  // Re-runnable: start from "stable v2, nothing in flight".
  let d = await deploymentOn(api, FLEET, MODEL);
  if (d.state !== "idle") {
    expect((await trpcMutation(api, "deployments.abort", { deploymentId: d.id, revision: d.revision, idempotencyKey: uniqueName("e2e-abort") })).status()).toBe(
      200,
    );
    d = await deploymentOn(api, FLEET, MODEL);
  }
  if (d.stable !== 2) {
    expect(
      (
        await trpcMutation(api, "deployments.rollback", { deploymentId: d.id, version: 2, revision: d.revision, idempotencyKey: uniqueName("e2e-reset") })
      ).status(),
    ).toBe(200);
    d = await deploymentOn(api, FLEET, MODEL);
  }
  // The admin starts the canary from the page with a two-step plan. A long bake keeps the in-process
  // scheduler out of the test; a failure found earlier (Run analysis now) acts at once.
  const page = await signedInPage("admin");
  await page.goto(`/deployments/${d.id}`);
  await expect(page.getByRole("heading", { name: "Forward collision warning on Staging canary rigs", level: 1 })).toBeVisible();
  const start = page.getByRole("button", { name: "Start canary v3" });
  await expectHydrated(start);
  await start.click();
  const dialog = page.getByRole("dialog", { name: "Start canary v3?" });
  const removers = dialog.getByRole("button", { name: /^Remove step/ });
  while ((await removers.count()) > 2) await dialog.getByRole("button", { name: "Remove step 1" }).click();
  await dialog.getByLabel("Step 1 percent").fill("50");
  await dialog.getByLabel("Step 1 bake minutes").fill("30");
  await dialog.getByLabel("Step 1 after a pass").selectOption("auto");
  await dialog.getByLabel("Step 1 on a failure").selectOption("rollback");
  await dialog.getByLabel("Step 2 percent").fill("100");
  await dialog.getByLabel("Step 2 on a failure").selectOption("rollback");
  await expect(dialog).toContainText("about 30 devices first");
  await dialog.getByRole("button", { name: "Confirm: start canary v3" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("canary · v3 at 50%")).toBeVisible();

  // The fleet picks up the canary at its check-in rate and runs it; v3 is worse at night.
  const fleet = await followManifests(transport(api), { fleet: FLEET, model: MODEL, rounds: 4, checkInEvery: 2, regress: { version: 3, slice: "night" } });
  expect(fleet.running[3]).toBeGreaterThan(10);
  expect(fleet.running[2]).toBeGreaterThan(10);

  await page.reload();
  await expect(page.getByRole("table", { name: "Rollout plan" })).toContainText("roll back automatically");
  const fleetVersions = page.getByLabel("Fleet versions");
  await expect(fleetVersions).toContainText(`Running v3${fleet.running[3]}`);

  const run = page.getByRole("button", { name: "Run analysis now" });
  await expectHydrated(run);
  await run.click();
  await expect(page.getByRole("status").filter({ hasText: "Step 1" })).toContainText(/failed: .*Recall: forward_collision \[timeOfDay=night\]/);

  // The page refreshes: idle on v2, the analysis with its evidence, and the rollback on the timeline.
  await expect(page.getByText("stable", { exact: true })).toBeVisible();
  const analyses = page.getByRole("list", { name: "Analyses" });
  const latest = analyses.getByRole("listitem").first();
  await expect(latest).toContainText("Step 1 · 50% · v3 vs v2");
  await expect(latest).toContainText("rolled back automatically");
  await expect(latest.getByRole("img", { name: /night canary \d+(\.\d)?% vs control \d+(\.\d)?% \(regressed\)/ })).toBeVisible();
  const failedRow = latest.getByRole("row").filter({ hasText: "timeOfDay=night" }).filter({ hasText: "Recall" });
  await expect(failedRow).toContainText("fail");
  await expect(failedRow).toContainText("a real drop");
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByRole("listitem").first()).toContainText("rollback");
  await expect(timeline.getByRole("listitem").first()).toContainText("rollout analysis");

  // The devices follow the rollback at their next check-in.
  const back = await followManifests(transport(api), { fleet: FLEET, model: MODEL, rounds: 2, checkInEvery: 2 });
  expect(back.running).toEqual({ 2: 60 });
  await page.reload();
  await expect(page.getByLabel("Fleet versions")).toContainText("Running v260");
  await expect(page.getByLabel("Fleet versions")).toContainText("Pending0");

  const rollbacks = await auditRows(page, { action: "deployment.rollback", entityId: d.id });
  await expect(rollbacks.first()).toContainText("system");
  const analysed = await auditRows(page, { action: "deployment.analysis", entityId: d.id });
  await expect(analysed.first()).toContainText("admin@example.com");
});

test("a replayed device report is answered as a replay, and a viewer cannot run the analysis", async ({ apiAs }) => {
  const admin = await apiAs("admin");
  const devices = (await (await admin.get(`/api/v1/targets/${FLEET}/devices`)).json()) as { devices: { id: string }[] };
  const id = devices.devices[0].id;
  const report = { reportId: uniqueName("e2e-report"), models: [{ model: MODEL, running: 2 }] };
  const first = await admin.post(`/api/v1/devices/${id}/reports`, { data: report });
  expect(first.status()).toBe(201);
  const replay = await admin.post(`/api/v1/devices/${id}/reports`, { data: report });
  expect(replay.status()).toBe(200);
  expect(await replay.json()).toMatchObject({ replayed: true });
  const reused = await admin.post(`/api/v1/devices/${id}/reports`, { data: { ...report, models: [{ model: MODEL, running: 3 }] } });
  expect(reused.status()).toBe(409);

  const d = await deploymentOn(admin, FLEET, MODEL);
  const forged = await trpcMutation(await apiAs("viewer"), "deployments.runAnalysis", { deploymentId: d.id });
  expect(forged.status()).toBe(403);
});

test("an admin creates a target, an engineer deploys to it from the page; an archived version is refused and audited", async ({ signedInPage }) => {
  const slug = uniqueName("e2e-svc")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 40);
  const admin = await signedInPage("admin");
  await admin.goto("/deployments");
  const newTarget = admin.getByRole("button", { name: "New target" });
  await expectHydrated(newTarget);
  await newTarget.click();
  const td = admin.getByRole("dialog", { name: "New deployment target" });
  await td.getByLabel("Slug").fill(slug);
  await td.getByLabel("Name").fill(`E2E ${slug}`);
  await td.getByLabel("Environment").selectOption("dev");
  await td.getByRole("button", { name: "Create target" }).click();
  await expect(td).toBeHidden();

  const page = await signedInPage("engineer");
  await page.goto("/deployments");
  const open = page.getByRole("button", { name: "New deployment" });
  await expectHydrated(open);
  await open.click();
  const dialog = page.getByRole("dialog", { name: "New deployment" });
  await expect(dialog.getByLabel("Target").locator("option", { hasText: "Production" })).toHaveCount(0);
  await dialog.getByLabel("Target").selectOption(slug);
  await dialog.getByLabel("Model").fill(MODEL);
  await dialog.getByLabel("Version").fill("1");
  await dialog.getByRole("button", { name: "Deploy" }).click();
  await expect(dialog).toContainText("v1 is archived");
  await dialog.getByLabel("Version").fill("production");
  await dialog.getByRole("button", { name: "Deploy" }).click();
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: `Forward collision warning on E2E ${slug}`, level: 1 })).toBeVisible();

  const refused = await auditRows(admin, { action: "deployment.create.refused", entityId: `${MODEL}@${slug}` });
  await expect(refused.first()).toContainText("engineer@example.com");
});
