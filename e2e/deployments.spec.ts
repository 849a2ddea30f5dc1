// Deployments: an admin rolls back a canary with the confirmation stating its effect and finds it in the audit log;
// a viewer sees no buttons and a forged mutation is refused by the server.
import { auditRows, benchCanary, benchDeployment, deploymentOn, expect, expectHydrated, test, trpcErrorCode, trpcMutation, uniqueName } from "./fixtures";

test("an admin rolls back a canary after reading its effect, and the rollback is in the audit log", async ({ signedInPage, apiAs }) => {
  const api = await apiAs("admin");
  // Re-runnable: start from "v3 in canary over stable v2" whatever an earlier run left.
  const d = await benchCanary(api);

  const page = await signedInPage("admin");
  await page.goto(`/deployments/${d.id}`);
  await expect(page.getByRole("heading", { name: "Forward collision warning on Staging bench rigs", level: 1 })).toBeVisible();
  await expect(page.getByText("canary · v3 at 1%")).toBeVisible();
  const rollback = page.getByRole("button", { name: "Roll back to v2" });
  await expectHydrated(rollback);
  // Keyboard-driven: the legend names the key, and "b" opens the same confirmation as the button.
  await expect(page.getByTestId("shortcut-legend")).toContainText("b roll back");
  await expect(rollback).toHaveAttribute("aria-keyshortcuts", "b");
  await page.keyboard.press("b");
  const dialog = page.getByRole("dialog", { name: "Roll back to v2?" });
  // No device on the bench reports yet: the dialog says the number is the plan's estimate.
  await expect(dialog).toContainText(
    "Roll back fleet Staging bench rigs (staging) from v3 to v2: 1% of 40 devices (expected from the plan; no device reports yet)",
  );
  await dialog.getByRole("button", { name: "Confirm: roll back to v2" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("stable", { exact: true })).toBeVisible();
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByRole("listitem").first()).toContainText("Roll back fleet Staging bench rigs (staging) from v3 to v2");

  const rows = await auditRows(page, { action: "deployment.rollback", entityId: d.id });
  await expect(rows.first()).toContainText("admin@example.com");
});

test("a viewer sees the deployment but no buttons, and a forged rollback is refused with 403", async ({ signedInPage, apiAs }) => {
  const d = await benchDeployment(await apiAs("admin"));
  const page = await signedInPage("viewer");
  await page.goto(`/deployments/${d.id}`);
  await expect(page.getByRole("heading", { name: "Forward collision warning on Staging bench rigs", level: 1 })).toBeVisible();
  await expect(page.getByRole("list", { name: "Timeline" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Roll back|Promote|Start canary|Advance|Pause|Resume|Abort/ })).toHaveCount(0);

  const forged = await trpcMutation(await apiAs("viewer"), "deployments.rollback", {
    deploymentId: d.id,
    version: 1,
    revision: d.revision,
    idempotencyKey: uniqueName("e2e-forged"),
  });
  expect(forged.status()).toBe(403);
  expect(await trpcErrorCode(forged)).toBe("FORBIDDEN");
});

test("an engineer cannot promote on production; the on-call engineer may pause only with a reason; the server says why", async ({ apiAs }) => {
  const admin = await apiAs("admin");
  const prod = await deploymentOn(admin, "eu-dashcam-v3");
  const engineer = await apiAs("engineer");
  const widen = await trpcMutation(engineer, prod.state === "idle" ? "deployments.startCanary" : "deployments.advance", {
    deploymentId: prod.id,
    revision: prod.revision,
    idempotencyKey: uniqueName("e2e-eng"),
    ...(prod.state === "idle" ? { version: 3 } : {}),
  });
  expect(widen.status()).toBe(403);
  // engineer@example.com is on call for the FCW team this week (demo): the safe direction needs a written reason.
  if (prod.state !== "idle") {
    const pause = await trpcMutation(engineer, "deployments.pause", {
      deploymentId: prod.id,
      revision: prod.revision,
      idempotencyKey: uniqueName("e2e-eng"),
    });
    expect(pause.status()).toBe(400);
  }
});
