// Evidence that matches the alert: from /alerts, the demo's FCW canary night alert links to exactly its series; the
// monitoring page plots that series (histograms, the statistic with its threshold line) under a title in words, and the
// overview's drift column shows the canary drifting beside the stable version. Screenshots go to docs/oncall/evidence-*.
import path from "node:path";
import { expect, expectHydrated, test } from "./fixtures";

const ALERT = "Predicted pedestrians drift on forward-collision-warning v3, canary devices at night";
const shots = path.join(__dirname, "..", "docs", "oncall");

for (const size of [
  { name: "1280", viewport: { width: 1280, height: 900 } },
  { name: "390", viewport: { width: 390, height: 844 } },
]) {
  test.describe(`at ${size.name} px`, () => {
    test.use({ viewport: size.viewport });

    test("the alert links to the series that fired, and the monitoring page and overview show that series", async ({ signedInPage }) => {
      const page = await signedInPage("engineer");
      await page.goto("/alerts?state=all&model=forward-collision-warning");
      const row = page.getByTestId("alert-row").filter({ hasText: ALERT }).first();
      await expect(row).toContainText(/PSI 0\.\d+ against a threshold of 0\.2/);
      await expect(row).toContainText(/[\d,]+ frames in the current window \(\d\d:00 to \d\d:00 UTC/);
      await expect(row).not.toContainText("currentCount");
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shots, `evidence-alert-${size.name}.png`) });

      const link = row.getByRole("link", { name: "See the series that fired" });
      const href = await link.getAttribute("href");
      const url = new URL(href!, "http://x");
      expect(url.pathname).toBe("/monitoring/forward-collision-warning");
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        version: "3",
        cohort: "canary",
        slice: "timeOfDay:night",
        feature: "pedestrians",
        source: "prediction",
      });
      await link.click();

      await expect(page).toHaveURL(/\/monitoring\/forward-collision-warning\?.*version=3/);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("v3 (candidate)");
      const heading = page.getByTestId("series-heading");
      await expect(heading).toContainText("Predicted pedestrians of forward-collision-warning v3, canary devices at night");
      await expect(heading).toContainText("60-minute windows");
      // The selected monitor's row drifts; no "no drift" verdict on the alerting series.
      const selectedRow = page.getByRole("row").filter({ has: page.locator('a[aria-current="true"]') });
      await expect(selectedRow).toContainText("canary devices at night");
      await expect(selectedRow.getByText("drift", { exact: true })).toBeVisible();
      const trend = page.getByRole("figure", { name: "Drift of pedestrians over time" });
      await expect(trend.locator(".recharts-reference-line")).toHaveCount(1);
      await expect(trend).toContainText("threshold 0.2");
      await expect(
        page.getByRole("figure", { name: "Reference and current distributions of pedestrians" }).locator(".recharts-bar-rectangle").first(),
      ).toBeVisible();
      await expect(page.getByTestId("slice-row").filter({ hasText: "no drift" })).toHaveCount(0);
      await heading.scrollIntoViewIfNeeded();
      // No tooltip from where the link was clicked in the screenshot.
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(shots, `evidence-monitoring-${size.name}.png`), fullPage: true });

      await page.goto("/monitoring");
      const fcw = page.getByRole("row").filter({ hasText: "forward-collision-warning v2" });
      const cell = fcw.getByTestId("drift-cell");
      await expect(cell).toContainText("v2 stable:");
      await expect(cell).toContainText(/v3 canary:\s*drifting \(pedestrians PSI 0\.\d+ at night\)/);
      const canary = cell.getByRole("link", { name: /drifting \(pedestrians PSI/ });
      await expectHydrated(canary);
      await fcw.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shots, `evidence-overview-${size.name}.png`) });
      expect(await canary.getAttribute("href")).toBe(href);
    });
  });
}
