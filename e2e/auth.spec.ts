// Signing in through the form (the one flow that uses it), wrong passwords, and anonymous access.
import { EMAIL, DEMO_PASSWORD, ROLES, expect, expectHydrated, test } from "./fixtures";

test.describe("sign-in", () => {
  for (const role of ROLES) {
    test(`${role} signs in through the form and lands on home showing email and role`, async ({ page }) => {
      await page.goto("/signin");
      const submit = page.getByRole("button", { name: "Sign in", exact: true });
      await expectHydrated(submit);
      await page.getByLabel("Email").fill(EMAIL[role]);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await submit.click();

      await expect(page).toHaveURL((url) => url.pathname === "/");
      await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
      const header = page.getByRole("banner");
      await expect(header.getByTestId("current-user")).toHaveText(EMAIL[role]);
      await expect(header.getByText(role, { exact: true })).toBeVisible();
      await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
    });
  }

  test("a wrong password shows an error and stays on /signin", async ({ page }) => {
    await page.goto("/signin");
    const submit = page.getByRole("button", { name: "Sign in", exact: true });
    await expectHydrated(submit);
    await page.getByLabel("Email").fill(EMAIL.admin);
    await page.getByLabel("Password").fill("not-the-password");
    await submit.click();

    // Next.js keeps an empty role=alert route announcer on every page; ours is the one with text.
    await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("The email or password is wrong.");
    expect(new URL(page.url()).pathname).toBe("/signin");
    // Still signed out: the portal sends us back here.
    await page.goto("/");
    await expect(page).toHaveURL((url) => url.pathname === "/signin");
  });

  test("an anonymous visit to / redirects to /signin", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL((url) => url.pathname === "/signin");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await expect(page.getByTestId("current-user")).toHaveCount(0);
  });

  test("signing out returns to /signin and ends the session", async ({ page }) => {
    await page.goto("/signin");
    const submit = page.getByRole("button", { name: "Sign in", exact: true });
    await expectHydrated(submit);
    await page.getByLabel("Email").fill(EMAIL.viewer);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await submit.click();
    await expect(page.getByTestId("current-user")).toHaveText(EMAIL.viewer);

    const signOut = page.getByRole("button", { name: "Sign out" });
    await expectHydrated(signOut);
    await signOut.click();
    await expect(page).toHaveURL((url) => url.pathname === "/signin");
    await page.goto("/tokens");
    await expect(page).toHaveURL((url) => url.pathname === "/signin");
  });
});
