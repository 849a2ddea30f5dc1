// Incidents: alert → declare → runbook checklist tick → roll back from the incident page (confirmed in plain words)
// → the rollback on the incident timeline and in the audit log; plus the incident page at phone size.
import { arrangeBenchCanary, auditRows, benchDeployment, expect, expectHydrated, test, uniqueName, ZIdList } from "./fixtures";

const ALERT = "Predicted pedestrians drift on forward-collision-warning v3, canary devices at night";
const CHECK = "Pause the rollout if the canary is still below 25%.";

test("alert → declare incident → tick the runbook checklist → roll back from the incident, on the timeline and in the audit log", async ({
  signedInPage,
  apiAs,
}) => {
  const d = await arrangeBenchCanary(await apiAs("admin"));
  const page = await signedInPage("admin");

  await page.goto("/alerts?state=open&model=forward-collision-warning");
  const row = page.getByTestId("alert-row").filter({ hasText: ALERT });
  const declare = row.getByRole("button", { name: "Declare incident" });
  await expectHydrated(declare);
  await declare.click();
  const declareDialog = page.getByRole("dialog", { name: "Declare an incident?" });
  await expect(declareDialog.getByRole("radio", { name: /SEV2 Major/ })).toBeChecked();
  await declareDialog.getByRole("button", { name: "Declare incident" }).click();
  await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
  const incidentId = page.url().split("/").pop()!;

  // Pre-filled from the alert: model, evidence, the matching runbook, who is on call.
  await expect(page.getByRole("heading", { level: 1, name: ALERT })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Runbook: Bad model release on the fleet/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "On call now" })).toContainText("Camera fleet models");
  const timeline = page.getByRole("list", { name: "Incident timeline" });
  await expect(timeline).toContainText(`Declared SEV2: ${ALERT}`);

  const box = page.getByRole("checkbox", { name: CHECK });
  await expectHydrated(box);
  await box.check();
  await expect(timeline).toContainText(`Done: ${CHECK}`);
  await expect(page.getByRole("checkbox", { name: CHECK })).toBeChecked();

  const EFFECT = "Roll back fleet Staging bench rigs (staging) from v3 to v2";
  // Earlier runs rolled the bench back too, and the timeline shows the day before the incident.
  const deployRollbacks = timeline.getByRole("listitem").filter({ hasText: "Rollback on Staging bench rigs" }).filter({ hasText: EFFECT });
  const earlier = await deployRollbacks.count();
  const rollback = page.getByRole("region", { name: "Mitigate" }).getByRole("button", { name: "Roll back Staging bench rigs to v2" });
  await expectHydrated(rollback);
  await rollback.click();
  const dialog = page.getByRole("dialog", { name: "Roll back Staging bench rigs to v2?" });
  await expect(dialog).toContainText(EFFECT);
  await dialog.getByRole("button", { name: "Confirm: roll back staging bench rigs to v2" }).click();
  await expect(dialog).toBeHidden();
  // Once: the incident's own action entry stands for the deployment's rollback event, which is not listed again.
  await expect(deployRollbacks).toHaveCount(earlier);
  await expect(timeline.getByRole("listitem").filter({ hasText: "action" }).filter({ hasText: EFFECT })).toHaveCount(1);
  expect((await benchDeployment(await apiAs("admin"))).state).toBe("idle");

  await expect((await auditRows(page, { action: "deployment.rollback", entityId: d.id })).first()).toContainText("admin@example.com");
  await expect((await auditRows(page, { action: "incident.mitigate", entityId: incidentId })).first()).toContainText("admin@example.com");
  await expect((await auditRows(page, { action: "incident.checklist", entityId: incidentId })).first()).toContainText("admin@example.com");
});

test("the incident page fits a phone and lists its keyboard shortcuts", async ({ signedInPage, apiAs }) => {
  const api = await apiAs("admin");
  const res = await api.get(
    `/api/trpc/incidents.list?input=${encodeURIComponent(JSON.stringify({ json: { status: "all", model: "forward-collision-warning" } }))}`,
  );
  const [incident] = ZIdList.parse(await res.json()).result.data.json;
  expect(incident).toBeTruthy();
  const page = await signedInPage("admin");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/incidents/${incident.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("shortcut-legend")).toContainText("b roll back");
  // Nothing wider than the screen: no sideways scrolling at 3 a.m.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "e2e/screenshots/incident-phone.png", fullPage: true });

  // `t` jumps to the timeline.
  const timeline = page.locator("#timeline");
  await expectHydrated(page.getByRole("button", { name: /Roll back|Reopen|Resolve|Mark/ }).first());
  await page.keyboard.press("t");
  await expect(timeline).toBeFocused();
});

test("an engineer saves a runbook as a new version; the history names the author and the diff shows the changed line", async ({ signedInPage }) => {
  const page = await signedInPage("engineer");
  await page.goto("/runbooks");
  await page.getByRole("link", { name: "Stale labels / data freshness breach" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Stale labels / data freshness breach" })).toBeVisible();
  const versions = page.getByRole("list", { name: "Versions" });
  const before = await versions.getByRole("listitem").count();
  await page.getByRole("link", { name: "Edit" }).click();
  const body = page.getByLabel("Runbook (Markdown)");
  await expectHydrated(body);
  const step = `- [ ] ${uniqueName("Check the export job")}`;
  await body.fill(`${await body.inputValue()}\n${step}\n`);
  await page.getByRole("tab", { name: "Preview" }).click();
  await expect(page.getByLabel("Preview")).toContainText(step.slice(6));
  await page.getByLabel("What changed").fill("one more step");
  await page.getByRole("button", { name: /^Save as version \d+$/ }).click();
  await expect(versions.getByRole("listitem")).toHaveCount(before + 1);
  await expect(versions.getByRole("listitem").first()).toContainText("engineer@example.com");
  await versions
    .getByRole("listitem")
    .first()
    .getByRole("link", { name: /^diff with v\d+$/ })
    .click();
  await expect(page.getByLabel("Diff")).toContainText(`+ ${step}`);
});

test("an admin creates a weekly rotation on /oncall; an engineer can add overrides but not rotations", async ({ signedInPage }) => {
  const admin = await signedInPage("admin");
  await admin.goto("/oncall");
  const form = admin.getByRole("form", { name: "New rotation" });
  const name = uniqueName("Perception primary");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Service").fill("camera fleet models");
  await form.getByLabel("First handover (UTC)").fill("2026-11-23T09:00");
  await form.getByLabel("engineer@example.com").check();
  await form.getByLabel("admin@example.com").check();
  const create = form.getByRole("button", { name: "Create rotation" });
  await expectHydrated(create);
  await create.click();
  const item = admin.getByRole("listitem").filter({ hasText: name });
  await expect(item).toContainText("hands over every 7 days");
  await expect(item).toContainText("engineer@example.com → admin@example.com");

  const engineer = await signedInPage("engineer");
  await engineer.goto("/oncall");
  await expect(engineer.getByRole("button", { name: "Add override" })).toBeVisible();
  await expect(engineer.getByRole("form", { name: "New rotation" })).toHaveCount(0);
});
