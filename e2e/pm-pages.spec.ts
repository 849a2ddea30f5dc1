// The PM's pages at a desk and on a phone: nothing makes the page itself scroll sideways (wide tables scroll in their
// frame), and screenshots land in docs/pm/ for a person to look at.
import path from "node:path";
import { expect, test } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "pm");

for (const size of [
  { name: "1280", viewport: { width: 1280, height: 900 } },
  { name: "390", viewport: { width: 390, height: 844 } },
]) {
  test.describe(`at ${size.name} px`, () => {
    test.use({ viewport: size.viewport });
    for (const [url, heading, shot] of [
      ["/safety", "Safety", "safety"],
      ["/costs", "Costs", "costs"],
      ["/glossary", "Glossary", "glossary"],
      ["/safety/review/forward-collision-warning?candidate=3", "Release review: Forward collision warning v3", "review"],
    ] as const) {
      test(`${url} fits the width`, async ({ signedInPage }) => {
        const page = await signedInPage("viewer");
        await page.goto(url);
        await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.viewport.width);
        // At a desk, /safety's table fits as a whole: the verdict and trend columns need no sideways scroll.
        if (url === "/safety" && size.viewport.width >= 1280) {
          const frame = page.getByRole("table").first().locator("xpath=..");
          expect(await frame.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
        }
        await page.screenshot({ path: path.join(shots, `${shot}-${size.name}.png`), fullPage: true });
      });
    }
  });
}
