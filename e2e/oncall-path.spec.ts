// The on-call path: from the home page to a completed rollback of the demo's drifting FCW canary in at most three clicks,
// as the engineer on call (not an admin), at desktop and phone widths; and what a viewer sees instead. Screenshots go to
// docs/oncall/ for a person to look at.
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { z } from "zod";
import { auditRows, deploymentOn, expect, expectHydrated, test, trpcMutation, uniqueName, ZIdList } from "./fixtures";

const ALERT = "Predicted pedestrians drift on forward-collision-warning v3, canary devices at night";
const shots = path.join(__dirname, "..", "docs", "oncall");

const ZEvents = z.object({ result: z.object({ data: z.object({ json: z.object({ events: z.array(z.object({ kind: z.string() })) }) }) }) });

/** Rollbacks already on the deployment's record (earlier runs): they show on the timeline as deployment events. */
async function rollbacksSoFar(api: APIRequestContext, id: string): Promise<number> {
  const res = await api.get(`/api/trpc/deployments.get?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}`);
  return ZEvents.parse(await res.json()).result.data.json.events.filter((e) => e.kind === "rollback").length;
}

/** Re-runnable: the demo state (FCW v3 canary at 5% over v2 on EU-dashcam-v3) and no open FCW incident. */
async function arrange(admin: APIRequestContext) {
  let d = await deploymentOn(admin, "eu-dashcam-v3");
  if (d.state === "idle") {
    expect(d.stable).toBe(2);
    const started = await trpcMutation(admin, "deployments.startCanary", {
      deploymentId: d.id,
      version: 3,
      revision: d.revision,
      idempotencyKey: uniqueName("e2e-canary"),
      override: { reason: "Re-arranging the demo canary for the on-call e2e test" },
    });
    expect(started.status()).toBe(200);
    d = await deploymentOn(admin, "eu-dashcam-v3");
    expect(
      (await trpcMutation(admin, "deployments.advance", { deploymentId: d.id, revision: d.revision, idempotencyKey: uniqueName("e2e-advance") })).status(),
    ).toBe(200);
    d = await deploymentOn(admin, "eu-dashcam-v3");
  }
  const open = await admin.get(
    `/api/trpc/incidents.list?input=${encodeURIComponent(JSON.stringify({ json: { status: "open", model: "forward-collision-warning" } }))}`,
  );
  for (const i of ZIdList.parse(await open.json()).result.data.json) {
    expect((await trpcMutation(admin, "incidents.setStatus", { id: i.id, status: "resolved", note: "closed by the e2e set-up" })).status()).toBe(200);
  }
  return d;
}

for (const size of [
  { name: "1280", viewport: { width: 1280, height: 900 } },
  { name: "390", viewport: { width: 390, height: 844 } },
]) {
  test.describe(`at ${size.name} px`, () => {
    test.use({ viewport: size.viewport });

    test("the on-call engineer rolls back the drifting canary from the home page in at most three clicks", async ({ signedInPage, apiAs }) => {
      const admin = await apiAs("admin");
      const d = await arrange(admin);
      const earlier = await rollbacksSoFar(admin, d.id);
      const page = await signedInPage("engineer");
      await page.goto("/");
      const firing = page.getByRole("region", { name: "Firing now" });
      const card = firing.getByRole("listitem").filter({ hasText: ALERT });
      await expect(card).toContainText("page");
      const rollback = card.getByRole("button", { name: "Roll back EU-dashcam-v3 to v2" });
      await expectHydrated(rollback);
      await page.screenshot({ path: path.join(shots, `home-${size.name}.png`), fullPage: true });

      // Click 1.
      await rollback.click();
      const dialog = page.getByRole("dialog", { name: "Roll back EU-dashcam-v3 to v2?" });
      // True numbers from device reports, not the fleet size.
      await expect(dialog).toContainText(/from v3 to v2: \d{3} devices report running v3/);
      await expect(dialog).not.toContainText("4,812 devices report");
      await expect(dialog.getByLabel("Why (required)")).toHaveValue(`Mitigating the alert: ${ALERT}`);
      await page.screenshot({ path: path.join(shots, `dialog-${size.name}.png`) });
      // Click 2.
      await dialog.getByRole("button", { name: "Confirm: roll back eu-dashcam-v3 to v2" }).click();
      const done = page.getByRole("status").filter({ hasText: "Done:" });
      await expect(done).toContainText("Declared incident #");
      await expect(done).toContainText("The alert should resolve within about 30 minutes");
      // The refresh after the action drops the deployment from the card (nothing older to roll back to); the message stays.
      await expect(card).toContainText(/Open incident #\d+ \(mitigated\)/);
      await expect(done).toBeVisible();
      // Click 3: the incident.
      await done.getByRole("link", { name: /Open incident #\d+/ }).click();
      await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
      const incidentId = page.url().split("/").pop()!;
      await expect(page.getByText("mitigated", { exact: true }).first()).toBeVisible();
      await expect(page.getByTestId("ttm")).not.toHaveText("not yet");
      const timeline = page.locator("#timeline");
      // This rollback once (the incident's own entry); earlier runs' rollbacks stay visible as deployment events.
      const ROLLBACK = /Roll back fleet EU-dashcam-v3 \(production\) from v3 to v2/;
      await expect(timeline.getByRole("listitem").filter({ hasText: ROLLBACK }).filter({ hasText: "action" })).toHaveCount(1);
      await expect(timeline.getByRole("listitem").filter({ hasText: ROLLBACK })).toHaveCount(earlier + 1);
      await expect(timeline.getByText(/Notified the admins: admin@example\.com/)).toBeVisible();
      await page.screenshot({ path: path.join(shots, `incident-${size.name}.png`), fullPage: true });

      // The alert it came from, for the record.
      await page.goto("/alerts?state=open&model=forward-collision-warning");
      await page.screenshot({ path: path.join(shots, `alert-${size.name}.png`), fullPage: true });

      // Audited as the engineer's; the admins were told in-app.
      const adminPage = await signedInPage("admin");
      const rows = await auditRows(adminPage, { action: "deployment.rollback", entityId: d.id });
      await expect(rows.first()).toContainText("engineer@example.com");
      await adminPage.goto("/");
      await expect(
        adminPage
          .getByRole("list", { name: "Notifications" })
          .getByRole("link", { name: /engineer@example\.com rolled back forward-collision-warning to v2/ })
          .first(),
      ).toHaveAttribute("href", `/incidents/${incidentId}`);
    });
  });
}

test("a viewer sees why they cannot roll back, in words, and can request a rollback that pages the admins", async ({ signedInPage, apiAs }) => {
  await arrange(await apiAs("admin"));
  const page = await signedInPage("viewer");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const card = page.getByRole("region", { name: "Firing now" }).getByRole("listitem").filter({ hasText: ALERT });
  await expect(card.getByRole("button", { name: "Roll back EU-dashcam-v3 to v2" })).toBeDisabled();
  await expect(card.getByText(/Viewers cannot change deployments/)).toBeVisible();
  const request = card.getByRole("button", { name: "Request rollback" });
  await expectHydrated(request);
  await request.click();
  await expect(card.getByRole("status")).toContainText("Rollback requested: paged admin@example.com");
  await page.screenshot({ path: path.join(shots, "home-viewer-390.png"), fullPage: true });
  const adminPage = await signedInPage("admin");
  const rows = await auditRows(adminPage, { action: "deployment.rollback_request" });
  await expect(rows.first()).toContainText("viewer@example.com");
});
