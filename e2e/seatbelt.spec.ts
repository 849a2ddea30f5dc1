// The seatbelt classifier trained here (examples/seatbelt-classifier) runs in the playground's classification path on
// the seeded cabin crops: the top class of a labelled crop is its ground truth, at 1280 and 390 px, and the release
// review shows the computed evaluation with its confusion matrix. Screenshots go to docs/seatbelt/.
import path from "node:path";
import { expect, expectHydrated, test } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "seatbelt");

for (const size of [
  { name: "1280", viewport: { width: 1280, height: 900 } },
  { name: "390", viewport: { width: 390, height: 844 } },
]) {
  test.describe(`at ${size.name} px`, () => {
    test.use({ viewport: size.viewport });

    test("seatbelt v2 reads an unfastened belt on a seeded cabin crop", async ({ signedInPage }) => {
      test.setTimeout(180_000);
      const page = await signedInPage("engineer");
      await page.goto("/models/seatbelt/versions/2/playground?tag=seatbelt-eval-v1");
      const run = page.getByRole("button", { name: "Run model" });
      await expectHydrated(run);
      await expect(page.getByTestId("not-runnable")).toHaveCount(0);
      await page.getByRole("button", { name: "Frame seatbelt-eval-001-unfastened-day" }).click();
      await expect(page).toHaveURL(/frame=/);
      await page.getByLabel("Timed runs").selectOption("1");
      await run.click();
      const scores = page.getByTestId("class-scores").first();
      await expect(scores).toBeVisible({ timeout: 120_000 });
      // Three classes, most likely first: the crop's label.
      await expect(scores.locator(":scope > div")).toHaveCount(3);
      await expect(scores.locator(":scope > div").first().locator("span").first()).toHaveText("unfastened");
      await scores.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shots, `playground-${size.name}.png`) });
    });
  });
}

test("the release review of seatbelt v2 shows the evaluation computed on the cabin crops", async ({ signedInPage }) => {
  const page = await signedInPage("engineer");
  await page.goto("/safety/review/seatbelt?candidate=2");
  await expect(page.getByText("seatbelt-eval-v1").first()).toBeVisible();
  await expect(page.getByText("belt state").first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, "review-1280.png"), fullPage: true });
});
