// The seeded Ray Tune-style sweep: from its experiment to the sweep page, where the learning rate is the most
// important parameter; the objective and direction live in the URL and reorder the top trials; a trial links back to
// its sweep. Screenshots at 1280 and 390 px go to docs/sweeps/.
import fs from "node:fs";
import path from "node:path";
import type axe from "axe-core";
import type { APIRequestContext, Page } from "@playwright/test";
import { z } from "zod";
import { expect, expectHydrated, test, trpcMutation, uniqueName } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "sweeps");
const EXPERIMENT = "seatbelt-classifier-tune";

/** Opens the seeded sweep the way a reader would: its experiment (found by name; ids differ per database), then the sweep link there. */
async function openSweep(page: Page, api: APIRequestContext) {
  const res = await api.get(`/api/v1/experiments?q=${EXPERIMENT}`);
  expect(res.status()).toBe(200);
  const items = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }).parse(await res.json()).items;
  const experiment = items.find((e) => e.name === EXPERIMENT);
  expect(experiment, `the demo experiment ${EXPERIMENT}`).toBeTruthy();
  await page.goto(`/experiments/${experiment!.id}`);
  await page
    .getByRole("navigation", { name: "Sweeps" })
    .getByRole("link", { name: /tune-seatbelt-asha \(50 trials\)/ })
    .click();
  await expect(page.getByRole("heading", { name: "Sweep tune-seatbelt-asha", level: 1 })).toBeVisible();
}

async function topValues(page: Page): Promise<number[]> {
  return (await page.getByTestId("top-trial-value").allTextContents()).map(Number);
}

declare global {
  interface Window {
    axe?: typeof axe;
  }
}

/** axe-core's WCAG 2.1 AA rules over the page; the serious and critical findings, with where they are. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
  return page.evaluate(async () => {
    const r = await window.axe!.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

const sorted = (xs: number[], dir: "asc" | "desc") => [...xs].sort((a, b) => (dir === "asc" ? a - b : b - a));

test.describe("sweeps", () => {
  test("shows lr as the most important parameter; objective and direction go into the URL and reorder the top trials", async ({ signedInPage, apiAs }) => {
    const page = await signedInPage("viewer");
    await openSweep(page, await apiAs("viewer"));
    await expect(page.getByTestId("importance-method")).toContainText("fANOVA-style");
    await expect(page.getByTestId("importance-row").first().getByRole("cell").first()).toHaveText("lr");
    await expect(page.getByLabel("Objective")).toHaveValue("val_accuracy");
    await expect(page.getByLabel("Direction")).toHaveValue("max");
    await expect(page.getByTestId("top-trial")).toHaveCount(10);
    const best = await topValues(page);
    expect(best).toHaveLength(10);
    expect(best).toEqual(sorted(best, "desc"));
    await expect(page.getByRole("img", { name: /Parallel coordinates of 49 trials over lr/ })).toBeVisible();

    // Minimising the same metric puts the worst trials on top, and the URL says so.
    await expectHydrated(page.getByLabel("Direction"));
    await page.getByLabel("Direction").selectOption("min");
    await expect(page).toHaveURL(/direction=min/);
    await expect(page).toHaveURL(/objective=val_accuracy/);
    await expect.poll(async () => (await topValues(page))[0]).toBeLessThan(best[0]);
    const worst = await topValues(page);
    expect(worst).toEqual(sorted(worst, "asc"));

    // Another objective opens on its usual direction (a loss is minimised) and still finds lr first.
    await page.getByLabel("Objective").selectOption("val_loss");
    await expect(page).toHaveURL(/objective=val_loss/);
    await expect(page).not.toHaveURL(/direction=/);
    await expect(page.getByLabel("Direction")).toHaveValue("min");
    await expect(page.getByRole("heading", { name: "Top 10 trials by val_loss (lowest first)" })).toBeVisible();
    const losses = await topValues(page);
    expect(losses).toEqual(sorted(losses, "asc"));
    await expect(page.getByTestId("importance-row").first().getByRole("cell").first()).toHaveText("lr");

    // The URL is the state: a fresh load of it shows the same view.
    await page.goto(page.url());
    await expect(page.getByLabel("Objective")).toHaveValue("val_loss");
    expect(await topValues(page)).toEqual(losses);
  });

  test("is reachable by keyboard from a top trial to its run, which links back to the sweep", async ({ signedInPage, apiAs }) => {
    const page = await signedInPage("viewer");
    await openSweep(page, await apiAs("viewer"));
    const first = page.getByTestId("top-trial").first().getByRole("link");
    const name = (await first.textContent())!.trim();
    await expectHydrated(first);
    await first.focus();
    await expect(first).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/runs\/[0-9a-f]{32}$/);
    await expect(page.getByText(name).first()).toBeVisible();
    await page.getByRole("link", { name: "Part of sweep tune-seatbelt-asha: open the sweep" }).click();
    await expect(page.getByRole("heading", { name: "Sweep tune-seatbelt-asha", level: 1 })).toBeVisible();
  });

  test("a run with no trials yet opens an empty sweep that says how trials get there", async ({ signedInPage, apiAs }) => {
    const api = await apiAs("engineer");
    const tokenRes = await trpcMutation(api, "tokens.create", { name: uniqueName("e2e-sweep"), scopes: ["runs:write"] });
    expect(tokenRes.status()).toBe(200);
    const token = z.object({ result: z.object({ data: z.object({ json: z.object({ token: z.string() }) }) }) }).parse(await tokenRes.json()).result.data
      .json.token;
    const mlflow = async (p: string, data: unknown) => {
      const res = await api.post(`/api/2.0/mlflow/${p}`, { data, headers: { authorization: `Bearer ${token}` } });
      expect(res.status(), `${p}: ${await res.text()}`).toBe(200);
      return res.json();
    };
    const { experiment_id: experimentId } = z
      .object({ experiment_id: z.string() })
      .parse(await mlflow("experiments/create", { name: uniqueName("e2e-empty-sweep") }));
    const created = z
      .object({ run: z.object({ info: z.object({ run_id: z.string() }) }) })
      .parse(await mlflow("runs/create", { experiment_id: experimentId, run_name: "tune-not-started", start_time: Date.now() }));
    const page = await signedInPage("viewer");
    await page.goto(`/experiments/${experimentId}/sweeps/${created.run.info.run_id}`);
    await expect(page.getByRole("heading", { name: "Sweep tune-not-started", level: 1 })).toBeVisible();
    await expect(page.getByText("No trials in this sweep yet")).toBeVisible();
    await expect(page.getByText(`mlflow.parentRunId=${created.run.info.run_id}`)).toBeVisible();
  });

  for (const size of [
    { name: "1280", viewport: { width: 1280, height: 900 } },
    { name: "390", viewport: { width: 390, height: 844 } },
  ]) {
    test.describe(`at ${size.name} px`, () => {
      test.use({ viewport: size.viewport });
      test("fits the page without sideways scrolling of the page itself", async ({ signedInPage, apiAs }) => {
        const page = await signedInPage("viewer");
        await openSweep(page, await apiAs("viewer"));
        await expect(page.getByTestId("best-so-far").locator("svg").first()).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(shots, `sweep-${size.name}.png`), fullPage: true });
        expect(await seriousViolations(page)).toEqual([]);
        await page.emulateMedia({ colorScheme: "dark" });
        await expect(page.locator("html")).toHaveClass(/(^|\s)dark(\s|$)/);
        expect(await seriousViolations(page)).toEqual([]);
      });
    });
  }
});
