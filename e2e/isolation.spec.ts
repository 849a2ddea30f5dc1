// The playground needs a cross-origin isolated page for threads. Every way into it (the sidebar, the playground list,
// a version page, the command palette) is a full page load, so it arrives isolated with the thread count it shows.
import { expect, test } from "./fixtures";

const isolated = (page: import("@playwright/test").Page) => page.evaluate(() => window.crossOriginIsolated);

test("from the sidebar and the playground list, the playground opens cross-origin isolated with two threads", async ({ signedInPage }) => {
  const page = await signedInPage("engineer");
  await page.goto("/");
  expect(await isolated(page)).toBe(false);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Playground" }).click();
  await expect(page.getByRole("heading", { name: "Playground", level: 1 })).toBeVisible();
  expect(await isolated(page)).toBe(true);
  await page.getByRole("link", { name: "Open in playground" }).first().click();
  await page.waitForURL(/\/versions\/\d+\/playground/);
  const threads = page.getByLabel("Threads");
  await expect(threads).toBeEnabled();
  await expect(threads).toHaveValue("2");
  expect(await isolated(page)).toBe(true);
});

test("from a version page, Try in playground opens it isolated", async ({ signedInPage }) => {
  const page = await signedInPage("engineer");
  await page.goto("/models/camera-health/versions/1");
  await page.getByRole("link", { name: "Try in playground" }).click();
  await page.waitForURL(/\/models\/camera-health\/versions\/1\/playground/);
  await expect(page.getByLabel("Threads")).toBeEnabled();
  expect(await isolated(page)).toBe(true);
});
