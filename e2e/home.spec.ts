// Home per role, with screenshots (e2e/screenshots/, gitignored) for a human to look at.
import path from "node:path";
import { EMAIL, ROLES, expect, test } from "./fixtures";

const shots = path.join(__dirname, "screenshots");

for (const role of ROLES) {
  test(`home shows counts and recent activity for ${role}`, async ({ signedInPage }) => {
    const page = await signedInPage(role);
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
    await expect(page.getByText(`Signed in as ${EMAIL[role]} (${role}).`)).toBeVisible();
    await expect(page.getByRole("heading", { name: "Recent activity" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link").first()).toBeVisible();
    await page.screenshot({ path: path.join(shots, `home-${role}.png`), fullPage: true });
  });
}

test("the audit log lists events with When, Actor, Action and Entity columns", async ({ signedInPage }) => {
  const page = await signedInPage("admin");
  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const table = page.getByRole("table");
  for (const column of ["When", "Actor", "Action", "Entity"]) {
    await expect(table.getByRole("columnheader", { name: column, exact: true })).toBeVisible();
  }
  // Signing in is itself audited; other tests add many rows, so filter to find the admin's own.
  await page.goto("/admin/audit?action=user.sign_in&actor=admin%40example.com");
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: "user.sign_in" }).first()).toBeVisible();
  await page.goto("/admin/audit");
  await page.screenshot({ path: path.join(shots, "admin-audit.png"), fullPage: true });
});
