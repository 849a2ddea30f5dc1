// "Make an int8 variant" as an engineer does it: from the version page to the new draft version, whose card says what
// was done and measured, and which the playground runs on a frame.
import { expect, expectHydrated, runOnFrame, test } from "./fixtures";

test("an engineer makes an int8 variant of the text detector; it is registered, derived from v1, and runs in the playground", async ({ signedInPage }) => {
  test.setTimeout(300_000);
  const page = await signedInPage("engineer");
  await page.goto("/models/ocr-text-detector/versions/1");
  const make = page.getByRole("button", { name: "Make an int8 variant" });
  await expectHydrated(make);
  await make.click();
  await page.waitForURL((u) => /\/models\/ocr-text-detector\/versions\/\d+$/.test(u.pathname) && !u.pathname.endsWith("/versions/1"), { timeout: 180_000 });
  const n = Number(page.url().split("/").pop());
  expect(n).toBeGreaterThan(1);
  await expect(page.getByText(/Int8 variant of v1/)).toBeVisible();
  await expect(page.getByText(/per-tensor scales \(opset 11\)/)).toBeVisible();
  // A variant is not quantised again.
  await expect(page.getByRole("button", { name: "Make an int8 variant" })).toHaveCount(0);

  await runOnFrame(page, `/models/ocr-text-detector/versions/${n}/playground`, "urban-day-stop");
  await expect(page.getByRole("list", { name: "Text read" }).first()).toContainText("STOP", { timeout: 120_000 });
  // Beside its parent on the same frame: both timed, both sizes, and what differs.
  await expect(page.getByText("Compare with its parent (v1)")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Differences from parent on this frame" })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole("cell", { name: "v1 (parent)" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Text read" })).toHaveCount(2);
  await expect(page.getByTestId(`load-ocr-text-detector@${n}`)).toContainText(/\(1\.\d+ MiB\)/);
  await expect(page.getByTestId("load-ocr-text-detector@1")).toContainText(/\(4\.\d+ MiB\)/);
});

test("a viewer is not offered the button", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/models/ocr-text-detector/versions/1");
  await expect(page.getByRole("heading", { name: "Artifact" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Make an int8 variant" })).toHaveCount(0);
});
