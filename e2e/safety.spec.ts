// Safety review and cost: an admin makes a PM (a viewer) a safety reviewer, the PM reviews a release
// and signs off; a plain viewer is refused by the server; the cost overview shows budget and forecast.
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { z } from "zod";
import { GLOSSARY } from "@/lib/glossary";
import { EMAIL, ZMe, auditRows, expect, expectHydrated, origin, test, trpcErrorCode, trpcMutation, uniqueName } from "./fixtures";

const FCW = { slug: "forward-collision-warning", candidate: 3 };
const shots = path.join(__dirname, "screenshots");

/** Signs a freshly created user in through the next-auth API, the way the fixtures do for demo roles. */
async function signIn(api: APIRequestContext, email: string, password: string) {
  const csrf = await api.get("/api/auth/csrf");
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await csrf.json());
  const res = await api.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" } });
  expect(res.status(), `sign-in as ${email}`).toBe(200);
  expect(ZMe.parse(await (await api.get("/api/v1/me")).json()).email).toBe(email);
}

const ZReview = z.object({
  result: z.object({
    data: z.object({ json: z.object({ candidate: z.object({ evaluationId: z.string() }), production: z.object({ evaluationId: z.string().nullable() }) }) }),
  }),
});
async function reviewSeen(api: APIRequestContext) {
  const input = encodeURIComponent(JSON.stringify({ json: FCW }));
  const res = await api.get(`/api/trpc/safety.review?input=${input}`);
  expect(res.status()).toBe(200);
  const { json } = ZReview.parse(await res.json()).result.data;
  return { candidateEvaluationId: json.candidate.evaluationId, productionEvaluationId: json.production.evaluationId };
}

test("an admin grants the safety-reviewer permission; the PM reviews v3 and rejects it; the record shows", async ({ signedInPage, apiAs }) => {
  const viewerApi = await apiAs("viewer");
  const viewerId = ZMe.parse(await (await viewerApi.get("/api/v1/me")).json()).userId;
  // Re-runnable against a long-lived server: start from "not a reviewer".
  await trpcMutation(await apiAs("admin"), "safety.revoke", { userId: viewerId, permission: "safety_reviewer" });

  const admin = await signedInPage("admin");
  await admin.goto("/safety/reviewers");
  await expect(admin.getByRole("heading", { name: "Safety reviewers", level: 1 })).toBeVisible();
  const grant = admin.getByRole("button", { name: `Grant safety reviewer to ${EMAIL.viewer}` });
  await expectHydrated(grant);
  await grant.click();
  await expect(admin.getByRole("button", { name: `Revoke safety reviewer from ${EMAIL.viewer}` })).toBeVisible();
  await expect(admin.getByRole("row").filter({ hasText: EMAIL.viewer })).toContainText("reviewer");

  const pm = await signedInPage("viewer");
  await pm.goto("/safety");
  // Computed by running v2 and v3 on the tagged evaluation frames: v3 loses pedestrians at night.
  const fcwRow = pm.getByRole("row").filter({ hasText: "Pedestrian warning" }).filter({ hasText: "fcw-eval" }).first();
  await expect(fcwRow.getByText(/recall regressed · Time of day: night/)).toBeVisible();
  await fcwRow.getByRole("link", { name: "Review v3" }).click();
  await expect(pm.getByRole("heading", { name: "Release review: Forward collision warning v3", level: 1 })).toBeVisible();
  await expect(pm.getByRole("row").filter({ hasText: "Time of day: night" }).first()).toContainText("Regressed");

  const comment = `Night recall drops 5 points; retrain with more night data (${uniqueName("e2e")})`;
  const form = pm.getByRole("form", { name: "Sign-off" });
  await expectHydrated(form.getByRole("radio", { name: "Reject" }));
  await form.getByRole("radio", { name: "Reject" }).check();
  await form.getByLabel("Comment").fill(comment);
  await form.getByRole("button", { name: "Reject v3…" }).click();
  // Confirmed before it is recorded.
  const confirm = pm.getByRole("dialog");
  await expect(confirm).toContainText("keeps the sign-off gate closed");
  await confirm.getByRole("button", { name: "Confirm: reject v3" }).click();
  await expect(confirm).toBeHidden();

  const record = pm.getByTestId("sign-off").filter({ hasText: comment });
  await expect(record).toBeVisible();
  await expect(record).toContainText("Rejected");
  await expect(record).toContainText(EMAIL.viewer);
  await expect(record).toContainText("in force");

  // Shown again after a reload (it is stored), and on the printable summary.
  await pm.reload();
  await expect(pm.getByTestId("sign-off").filter({ hasText: comment })).toBeVisible();
  await pm.goto(`/safety/review/${FCW.slug}/summary?candidate=3`);
  await expect(pm.getByText(comment)).toBeVisible();

  // Audited.
  const rows = await auditRows(admin, { action: "signoff.reject", entityId: `${FCW.slug}/3` });
  await expect(rows.filter({ hasText: EMAIL.viewer }).first()).toBeVisible();

  // Withdrawn by its reviewer, confirmed with a reason: still on record, in force for nothing.
  await pm.goto(`/safety/review/${FCW.slug}?candidate=3`);
  const mine = pm.getByTestId("sign-off").filter({ hasText: comment });
  await expectHydrated(mine.getByRole("button", { name: "Withdraw this sign-off" }));
  await mine.getByRole("button", { name: "Withdraw this sign-off" }).click();
  const withdraw = pm.getByRole("dialog");
  await withdraw.getByLabel("Why (required)").fill("Recorded on the wrong dataset");
  await withdraw.getByRole("button", { name: "Withdraw sign-off" }).click();
  await expect(withdraw).toBeHidden();
  await expect(mine).toContainText("withdrawn");
  await expect(mine).toContainText(`Withdrawn by ${EMAIL.viewer}`);
  await expect(mine.getByRole("button", { name: "Withdraw this sign-off" })).toHaveCount(0);
  const withdrawals = await auditRows(admin, { action: "signoff.withdraw", entityId: `${FCW.slug}/3` });
  await expect(withdrawals.filter({ hasText: EMAIL.viewer }).first()).toBeVisible();
});

test("a plain viewer's sign-off is refused by the server and the page offers no form", async ({ apiAs, playwright, browser }) => {
  const email = `${uniqueName("e2e-plain-viewer")}@example.com`;
  const password = "plain-viewer-password-1";
  const created = await trpcMutation(await apiAs("admin"), "admin.createUser", { email, role: "viewer", password });
  expect(created.status()).toBe(200);

  const api = await playwright.request.newContext({ baseURL: origin() });
  try {
    await signIn(api, email, password);
    const seen = await reviewSeen(api);
    const refused = await trpcMutation(api, "safety.signOff", { slug: FCW.slug, version: 3, decision: "approve", comment: "Looks fine to me", seen });
    expect(refused.status()).toBe(403);
    expect(await trpcErrorCode(refused)).toBe("FORBIDDEN");

    const context = await browser.newContext({ baseURL: origin(), storageState: await api.storageState() });
    const page = await context.newPage();
    await page.goto(`/safety/review/${FCW.slug}?candidate=3`);
    await expect(page.getByText("Signing off a release needs the safety-reviewer permission")).toBeVisible();
    await expect(page.getByRole("form", { name: "Sign-off" })).toHaveCount(0);
    await expect(page.getByTestId("sign-off").filter({ hasText: "Looks fine to me" })).toHaveCount(0);
    await context.close();
  } finally {
    await api.dispose();
  }
});

test("the cost overview shows spend against budget and one forecast with its method and its miss on past months", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/costs");
  await expect(page.getByRole("heading", { name: "Costs", level: 1 })).toBeVisible();
  await expect(page.getByText(/^Spend in [A-Z][a-z]+ \d{4} through \d{1,2} [A-Z][a-z]+ \(the last complete day, UTC\)/)).toBeVisible();
  await expect(page.getByText("Month-end forecast", { exact: true })).toBeVisible();
  const named = page.getByText(/^(Linear|Weekday-aware) method \(/);
  await expect(named).toContainText(/off by [\d.]+% on average over \d past months?|not checked/);
  const shown = /^(Linear|Weekday-aware)/.exec((await named.textContent()) ?? "")![1];
  await page.getByText("Compare methods").click();
  await expect(page.getByText(shown === "Linear" ? /^Weekday-aware: \$/ : /^Linear: \$/)).toBeVisible();
  const budgets = page.getByRole("table").first();
  await expect(budgets.getByRole("row").filter({ hasText: "perception" })).toContainText("$");
  await expect(page.getByRole("img", { name: /Daily spend by resource kind/ })).toBeVisible();
  await expect(page.getByText("demo counts").first()).toBeVisible();
});

test("the release review overlays both PR curves with their operating points, shows the field and the new misses", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto(`/safety/review/${FCW.slug}?candidate=3`);
  await expect(page.getByRole("heading", { name: "Precision-recall curves" })).toBeVisible();
  const chart = page.getByRole("img", { name: /^Forward collision warning: precision against recall/ });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute("aria-label", /production v2 operating point recall \d+\.\d%.*v3 operating point recall \d+\.\d%/);
  // Both curves are drawn (one path each) and both operating-point diamonds.
  await expect(chart.locator(".recharts-scatter-line path, .recharts-scatter-line")).not.toHaveCount(0);
  const card = page.getByRole("figure").filter({ has: chart });
  await expect(card.getByTestId("operating-point")).toHaveCount(2);
  await expect(card.getByTestId("operating-point").first()).toContainText("production v2: recall");
  await expect(card.getByTestId("operating-point").nth(1)).toContainText("v3: recall");
  await card.screenshot({ path: path.join(shots, "safety-pr-curve.png") });
  // The field disagrees with the lab for FCW (demo: the fleet misses more than the lab).
  await expect(page.getByRole("heading", { name: "Field against lab" })).toBeVisible();
  await expect(page.getByText("fleet and lab disagree").first()).toBeVisible();
  // New misses and false alerts from the computed evaluation, as frame thumbnails: v3 misses at night.
  const examples = page.getByRole("list", { name: "New false alerts and misses" });
  await expect(examples.getByRole("listitem")).not.toHaveCount(0);
  await expect(examples.getByRole("img", { name: /fcw-eval-\d+-\w+-night: new miss/ }).first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, "safety-release-review.png"), fullPage: true });
});

test("a classifier's release review shows its confusion matrices", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/safety/review/distracted-driving?candidate=2");
  await expect(page.getByRole("heading", { name: "Confusion matrices" })).toBeVisible();
  await expect(page.getByRole("table", { name: "driver state, v2" })).toContainText("phone-use");
  await expect(page.getByRole("table", { name: "driver state, production v1" })).toBeVisible();
});

test("an engineer edits a budget; the change shows and is audited; the scatter is visible", async ({ signedInPage }) => {
  const page = await signedInPage("engineer");
  await page.goto("/costs");
  await expect(page.getByRole("heading", { name: "Cost against quality" })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Cost against quality: .*forward-collision-warning v3/ })).toBeVisible();
  await page.screenshot({ path: path.join(shots, "costs-overview.png"), fullPage: true });
  await page.getByRole("img", { name: /^Cost against quality/ }).screenshot({ path: path.join(shots, "costs-scatter.png") });

  await page.getByText(/^Set a budget for /).click();
  const editButton = page.getByRole("button", { name: "Edit perception" });
  await expectHydrated(editButton);
  await editButton.click();
  const form = page.getByRole("form", { name: "Budget" });
  await expect(form.getByRole("textbox", { name: "Team" })).toHaveValue("perception");
  // A distinct amount per run, so the row shows this run's change.
  const cents = String(Date.now() % 100).padStart(2, "0");
  const amount = `12345.${cents}`;
  await form.getByLabel(/^Amount for/).fill(amount);
  await form.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByText("Budget saved and audited.")).toBeVisible();
  await expect(page.getByRole("table").first().getByRole("row").filter({ hasText: "perception" })).toContainText(`$12,345.${cents}`);

  const admin = await signedInPage("admin");
  const rows = await auditRows(admin, { action: "budget.set" });
  await expect(rows.first()).toBeVisible();
});

test("cost filters live in the URL and every table exports as CSV", async ({ signedInPage, apiAs }) => {
  const page = await signedInPage("viewer");
  await page.goto("/costs?kind=gpu_hours");
  await expect(page.getByRole("combobox", { name: "Resource kind", exact: true })).toHaveValue("gpu_hours");
  await expect(page.getByText(/^Filtered:/)).toBeVisible();
  const api = await apiAs("viewer");
  for (const table of ["models", "budgets", "versions", "daily"]) {
    const res = await api.get(`/api/v1/costs/export?table=${table}&kind=gpu_hours`);
    expect(res.status(), table).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
  }
  // The model page keeps the filter, shows devices per version and the OTA estimate.
  await page.goto("/costs/models/forward-collision-warning?environment=cloud-prod");
  await expect(page.getByRole("combobox", { name: "Environment", exact: true })).toHaveValue("cloud-prod");
  await expect(page.getByRole("heading", { name: /^OTA rollout bandwidth/ })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Cost per device-month" })).toBeVisible();
  await page.screenshot({ path: path.join(shots, "costs-model.png"), fullPage: true });
  const ota = await api.get("/api/v1/costs/export?table=ota&slug=camera-health");
  expect(ota.status()).toBe(200);
  expect(await ota.text()).toMatch(/^model,version,artifact_bytes,fleet_devices,usd_per_gb,ota_rollout_usd\r\ncamera-health,/);
});

test("a PM reads /safety in plain words: the verdict comes second, terms explain themselves on focus, the glossary has them all", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/safety");
  const verdict = page.getByRole("columnheader", { name: "Verdict on the newest candidate" });
  await expect(verdict).toBeInViewport();
  const box = (await verdict.boundingBox())!;
  expect(box.x + box.width).toBeLessThan(1280);
  const recall = page.getByRole("columnheader").getByRole("link", { name: "recall", exact: true });
  await recall.focus();
  const tip = page.getByRole("tooltip").filter({ hasText: "Of the real events in the evaluation frames" });
  await expect(tip).toBeVisible();
  await expect(recall).toHaveAccessibleDescription(/the share the model caught/);
  await recall.click();
  await expect(page).toHaveURL(/\/glossary#recall$/);
  await expect(page.getByRole("heading", { name: "Glossary", level: 1 })).toBeVisible();
  await expect(page.locator("#recall")).toContainText("Recall");
  await expect(page.locator("dt")).toHaveCount(Object.keys(GLOSSARY).length);
});
