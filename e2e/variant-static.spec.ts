// "Make an int8 variant" with the static method, as an engineer uses it on FCW v2: an unknown tag is refused with what
// to do and nothing is made; the seeded calibration frames (the field starts on their tag) calibrate the variant, whose
// page says how it was made and compares it with its parent (size, latency, box agreement, safety metrics).
// Screenshots at 1280 and 390 px go to docs/variants/ for a person to look at.
import path from "node:path";
import { expect, expectHydrated, test } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "variants");

test("an engineer makes a static int8 variant of FCW v2 calibrated on tagged frames and compares it with its parent", async ({ signedInPage }) => {
  test.setTimeout(480_000);
  const page = await signedInPage("engineer");
  await page.goto("/models/forward-collision-warning/versions/2");
  const method = page.getByLabel("Int8 method");
  await expectHydrated(method);
  await method.selectOption("static");
  const tag = page.getByLabel("Calibration frame tag");
  const frames = page.getByLabel("Frames (at most)");
  await expect(tag).toBeVisible();
  // The seed holds FCW's calibration frames, so the field starts on them.
  await expect(tag).toHaveValue("fcw-calib-v1");
  await expect(frames).toHaveValue("32");

  // A tag nobody used: the server says what to do, and the page stays on v2.
  await tag.fill("no-such-tag");
  const make = page.getByRole("button", { name: "Make an int8 variant" });
  await make.click();
  await expect(page.getByText(/No frames in the frame library carry the tag "no-such-tag"; tag some representative frames/)).toBeVisible({ timeout: 60_000 });
  expect(new URL(page.url()).pathname).toBe("/models/forward-collision-warning/versions/2");

  // An empty tag cannot be sent at all.
  await tag.fill("");
  await expect(make).toBeDisabled();
  await expect(page.getByText("Enter the frame tag to calibrate on.")).toBeVisible();

  await tag.fill("fcw-calib-v1");
  await frames.fill("16");
  for (const size of [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await make.scrollIntoViewIfNeeded();
    await page.locator("#artifact").screenshot({ path: path.join(shots, `static-form-${size.name}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await make.click();
  await expect(page.getByRole("status").filter({ hasText: /on up to 16 frames tagged fcw-calib-v1 to measure activation ranges/ })).toBeVisible();
  await page.waitForURL((u) => /\/models\/forward-collision-warning\/versions\/\d+$/.test(u.pathname) && !u.pathname.endsWith("/versions/2"), {
    timeout: 180_000,
  });
  const n = Number(page.url().split("/").pop());
  const panel = page.getByRole("region", { name: "Variant vs parent" });
  await expect(
    panel.getByText(/Static int8: per-channel int8 weights, uint8 activations calibrated on 16 frames tagged fcw-calib-v1 \(min\/max ranges\)/),
  ).toBeVisible();

  const compare = panel.getByRole("button", { name: "Compare with parent" });
  await expectHydrated(compare);
  await compare.click();
  const table = panel.getByRole("table", { name: `v${n} beside its parent v2` });
  await expect(table).toBeVisible({ timeout: 300_000 });
  const row = (name: string | RegExp) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
  await expect(row("File size")).toContainText(/0\.[0-4]\dx/);
  await expect(row("Inference p50 (Node)")).toContainText(/\d ms.*\d ms/);
  await expect(row(/^Box agreement/)).toContainText(/matched/);
  await expect(row("Pedestrian warning: recall")).toContainText(/%\s*\[[\d.]+, [\d.]+\].*%\s*\[[\d.]+, [\d.]+\]/);

  for (const size of [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: path.join(shots, `static-vs-parent-${size.name}.png`) });
  }
});
