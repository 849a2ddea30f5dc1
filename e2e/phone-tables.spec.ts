// At 390 px, wide tables scroll sideways inside their frame and keep the column that names a row in view.
import path from "node:path";
import { expect, test } from "./fixtures";

const shots = path.join(__dirname, "screenshots");

test.use({ viewport: { width: 390, height: 844 } });

for (const { url, table, key } of [
  { url: "/", table: "Recent activity", key: "When" },
  { url: "/deployments", table: null, key: "Environment" },
  { url: "/admin/audit", table: null, key: "When" },
]) {
  test(`at 390 px the ${key} column of ${url} stays in view while the table scrolls sideways`, async ({ signedInPage }) => {
    const page = await signedInPage("admin");
    await page.goto(url);
    const t = table ? page.getByRole("heading", { name: table }).locator("xpath=following::table[1]") : page.getByRole("main").getByRole("table").first();
    await expect(t.getByRole("columnheader", { name: key, exact: true })).toBeVisible();
    // The page itself never scrolls sideways; the table's frame does.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const frame = t.locator("xpath=..");
    const wide = await frame.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(wide, "the table is wider than a phone, so it must scroll in its frame").toBe(true);
    const keyCell = t.getByRole("row").nth(1).getByRole("cell").first();
    await keyCell.scrollIntoViewIfNeeded();
    const before = (await keyCell.boundingBox())!;
    await frame.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect.poll(() => frame.evaluate((el) => el.scrollLeft)).toBeGreaterThan(40);
    const after = (await keyCell.boundingBox())!;
    expect(Math.abs(after.x - before.x)).toBeLessThan(2);
    await expect(keyCell).toBeInViewport();
    await page.screenshot({
      path: path.join(shots, `phone-table-${key.toLowerCase()}-${url === "/" ? "home" : url.slice(1).replaceAll("/", "-")}.png`),
      fullPage: true,
    });
  });
}
