// The portal shell: command palette and dark mode.
import { expect, expectHydrated, test } from "./fixtures";

test('Control+K opens the command palette and Enter on "Audit log" navigates there', async ({ signedInPage }) => {
  const page = await signedInPage("admin");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expectHydrated(page.getByRole("button", { name: /Search or jump to/ }));

  await page.keyboard.press("Control+K");
  const palette = page.getByRole("dialog", { name: "Command palette" });
  await expect(palette).toBeVisible();
  const input = palette.getByRole("combobox");
  await expect(input).toBeFocused();
  await input.fill("Audit");
  await expect(palette.getByRole("option", { name: "Audit log" })).toBeVisible();
  await expect(palette.getByRole("option", { name: "API tokens" })).toHaveCount(0);
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL((url) => url.pathname === "/admin/audit");
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await expect(palette).toHaveCount(0);
});

test("the command palette finds a run by name and by the start of its id, and a version", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/");
  await expectHydrated(page.getByRole("button", { name: /Search or jump to/ }));
  await page.keyboard.press("Control+K");
  const palette = page.getByRole("dialog", { name: "Command palette" });
  const input = palette.getByRole("combobox");
  // A seeded run from the long-schedule experiment: too many runs to list, so the server finds it.
  await input.fill("long-schedule");
  const run = palette.getByRole("option", { name: /fcw-yolov8s-long-schedule · run [0-9a-f]{8} in / });
  await expect(run).toBeVisible();
  const id = /run ([0-9a-f]{8})/.exec((await run.textContent()) ?? "")![1];
  await input.fill(id);
  // Other results (an incident the search also matches) may arrive above it, so pick the run itself.
  const byId = palette.getByRole("option", { name: new RegExp(`run ${id}`) });
  await expect(byId).toBeVisible();
  await byId.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${id}[0-9a-f]{24}$`));
  await page.keyboard.press("Control+K");
  await input.fill("Forward collision warning v3");
  await palette.getByRole("option", { name: "Forward collision warning v3", exact: true }).click();
  await expect(page).toHaveURL(/\/models\/forward-collision-warning\/versions\/3$/);
});

test("the dark mode toggle adds the dark class to <html> and keeps it across a reload", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/");
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/(^|\s)dark(\s|$)/);

  const toggle = page.getByRole("button", { name: "Toggle dark mode" });
  await expectHydrated(toggle);
  await toggle.click();
  await expect(html).toHaveClass(/(^|\s)dark(\s|$)/);

  await page.reload();
  await expect(html).toHaveClass(/(^|\s)dark(\s|$)/);

  await expectHydrated(toggle);
  await toggle.click();
  await expect(html).not.toHaveClass(/(^|\s)dark(\s|$)/);
});
