// A PM (viewer) asks "can FCW v3 ship, and what does it cost" on /releases at a desk and on a phone, downloads the
// CSV, and finds the same row on the version page. Screenshots land in docs/pm/ for a person to look at.
import fs from "node:fs";
import path from "node:path";
import { per1kWords } from "@/lib/release-words";
import { expect, test } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "pm");
type Row = { model: { slug: string }; version: number; verdict: { kind: string; text: string }; cost: { microsPer1k: number | null } };

for (const size of [
  { name: "1280", viewport: { width: 1280, height: 900 } },
  { name: "390", viewport: { width: 390, height: 844 } },
]) {
  test.describe(`at ${size.name} px`, () => {
    test.use({ viewport: size.viewport });

    test("a viewer reads FCW v3's verdict and cost, and downloads the CSV", async ({ signedInPage }) => {
      const page = await signedInPage("viewer");
      await page.goto("/releases");
      await expect(page.getByRole("heading", { name: "Release readiness", level: 1 })).toBeVisible();
      // The figures the service gives, through the same door a spreadsheet uses.
      const api = (await (await page.request.get("/api/v1/releases")).json()) as { items: Row[] };
      const fcw = api.items.find((r) => r.model.slug === "forward-collision-warning" && r.version === 3)!;
      expect(fcw.verdict.kind).toBe("blocked");

      const row = page.getByRole("table", { name: "Candidate versions" }).getByRole("row").filter({ hasText: "Forward collision warning v3" });
      await expect(row).toHaveCount(1);
      const cells = row.getByRole("cell");
      // Verdict first, in words, with the reasons under it.
      await expect(cells.nth(0)).toContainText("Blocked");
      await expect(cells.nth(0).getByRole("list", { name: "Why it cannot ship yet" })).toContainText("not signed off by a safety reviewer");
      await expect(cells.nth(2)).toHaveText(per1kWords(fcw.cost.microsPer1k));
      await expect(cells.nth(3)).toContainText("against production v2");

      // The detail card below says where it is rolling out, from device reports.
      const card = page.getByRole("article", { name: "Forward collision warning v3" });
      await expect(card.getByText(/devices report running v3, [\d,]+ pending/)).toBeVisible();

      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.viewport.width);
      await page.screenshot({ path: path.join(shots, `releases-${size.name}.png`), fullPage: true });

      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
      expect(download.suggestedFilename()).toMatch(/^release-readiness-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = fs.readFileSync((await download.path())!, "utf8");
      expect(csv.split("\r\n")[0]).toMatch(/^verdict,model,version,/);
      expect(csv).toContain(`,forward-collision-warning,3,`);
    });
  });
}

test("the version page shows the same release readiness row", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/models/forward-collision-warning/versions/3");
  const section = page.getByRole("region", { name: "Release readiness" });
  await expect(section.getByText("Blocked", { exact: true })).toBeVisible();
  await expect(section.getByText(/per 1,000 inferences/).first()).toBeVisible();
  await section.getByRole("link", { name: "All candidates" }).click();
  await expect(page).toHaveURL(/\/releases$/);
});
