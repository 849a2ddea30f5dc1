// The portal shell: command palette and dark mode.
import { expect, expectHydrated, test } from "./fixtures";

test("Control+K opens the command palette and Enter on \"Audit log\" navigates there", async ({ signedInPage }) => {
  const page = await signedInPage("admin");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expectHydrated(page.getByRole("button", { name: /Search or jump to/ }));

  await page.keyboard.press("Control+K");
  const palette = page.getByRole("dialog", { name: "Command palette" });
  await expect(palette).toBeVisible();
  const input = palette.getByPlaceholder("Type a page, model or run…");
  await expect(input).toBeFocused();
  await input.fill("Audit");
  await expect(palette.getByRole("option", { name: "Audit log" })).toBeVisible();
  await expect(palette.getByRole("option", { name: "API tokens" })).toHaveCount(0);
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL((url) => url.pathname === "/admin/audit");
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await expect(palette).toHaveCount(0);
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
