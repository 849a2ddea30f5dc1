// The safety sign-off as a promotion gate: the demo's FCW v3 has none, so promoting it on the US fleet needs an admin
// override with a reason; the PM then sees "shipped without sign-off" on /safety and on the review, at 1280 and 390 px.
import { deploymentOn, expect, expectHydrated, test, trpcMutation, uniqueName } from "./fixtures";

test("an admin overrides the missing sign-off to promote FCW v3; the PM sees it shipped without sign-off", async ({ apiAs, signedInPage }) => {
  const adminApi = await apiAs("admin");
  // Re-runnable: start from v2 stable on the US fleet.
  let d = await deploymentOn(adminApi, "us-dashcam-v3");
  if (d.stable !== 2) {
    expect(
      (
        await trpcMutation(adminApi, "deployments.rollback", { deploymentId: d.id, version: 2, revision: d.revision, idempotencyKey: uniqueName("e2e-back") })
      ).status(),
    ).toBe(200);
    d = await deploymentOn(adminApi, "us-dashcam-v3");
  }
  expect(d.state).toBe("idle");

  const admin = await signedInPage("admin");
  await admin.goto(`/deployments/${d.id}?version=3`);
  const gates = admin.getByRole("list", { name: "Gates" });
  await expect(gates.getByRole("listitem").filter({ hasText: "Safety sign-off" })).toContainText(
    /v3 is safety-relevant and (no safety reviewer has signed it off|.* withdrew the sign-off|.* rejected it)/,
  );
  await expect(gates.getByRole("listitem").filter({ hasText: "Four-eyes approval" })).toBeVisible();
  await expect(gates.getByRole("link", { name: "Open the safety review" })).toHaveAttribute("href", "/safety/review/forward-collision-warning?candidate=3");

  const promote = admin.getByRole("button", { name: "Promote v3" });
  await expectHydrated(promote);
  await promote.click();
  const dialog = admin.getByRole("dialog");
  await expect(dialog).toContainText("Safety sign-off: v3 is safety-relevant");
  const reason = `Regulator deadline; the night retrain follows next week (${uniqueName("e2e")})`;
  await dialog.getByLabel("Override reason").fill(reason);
  await dialog.getByRole("button", { name: "Override and promote v3" }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByText(/Overrode .*safety sign-off for v3/).first()).toBeVisible();

  const pm = await signedInPage("viewer");
  for (const width of [1280, 390]) {
    await pm.setViewportSize({ width, height: 900 });
    await pm.goto("/safety");
    const row = pm.getByRole("row").filter({ hasText: "Forward collision warning" }).first();
    await expect(row.getByText("v3 shipped without sign-off")).toBeVisible();
    await expect(row.getByText(/not signed off|sign-off rejected|sign-off withdrawn/)).toBeVisible();
  }
  await pm.goto("/safety/review/forward-collision-warning?candidate=3");
  await expect(pm.getByText("Shipped without sign-off:").first()).toBeVisible();
  await expect(pm.getByText(reason).first()).toBeVisible();

  // Leave the US fleet as the demo has it.
  d = await deploymentOn(adminApi, "us-dashcam-v3");
  expect(
    (
      await trpcMutation(adminApi, "deployments.rollback", { deploymentId: d.id, version: 2, revision: d.revision, idempotencyKey: uniqueName("e2e-restore") })
    ).status(),
  ).toBe(200);
});
