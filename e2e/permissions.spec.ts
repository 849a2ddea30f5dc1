// What each role may not do: no admin area below admin, read-only scopes for viewers, forged calls refused.
import { EMAIL, ZMe, auditRows, expect, expectHydrated, test, trpcErrorCode, trpcMutation, uniqueName } from "./fixtures";

test.describe("viewer", () => {
  test("sees only read scopes on /tokens and can create a read token", async ({ signedInPage }) => {
    const page = await signedInPage("viewer");
    await page.goto("/tokens");
    await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
    const open = page.getByRole("button", { name: "Create token" });
    await expectHydrated(open);
    await open.click();

    const dialog = page.getByRole("dialog", { name: "Create an API token" });
    await expect(dialog).toBeVisible();
    for (const scope of ["models:read", "runs:read", "telemetry:read"]) {
      await expect(dialog.getByRole("checkbox", { name: scope, exact: true })).toBeVisible();
    }
    for (const scope of ["models:write", "runs:write", "deploy:write", "admin"]) {
      await expect(dialog.getByRole("checkbox", { name: scope, exact: true })).toHaveCount(0);
    }

    const name = uniqueName("e2e-viewer-read");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("checkbox", { name: "models:read", exact: true }).check();
    await dialog.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page.getByTestId("new-token")).toHaveText(/^snt_\S+$/);
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("row").filter({ hasText: name })).toContainText("models:read");
  });

  test("has no admin entries in the navigation", async ({ signedInPage }) => {
    const page = await signedInPage("viewer");
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "API tokens" })).toBeVisible();
    for (const label of ["Users", "All tokens", "Audit log"]) {
      await expect(nav.getByRole("link", { name: label })).toHaveCount(0);
    }
  });

  test("cannot mint a write-scoped token through REST", async ({ apiAs }) => {
    const api = await apiAs("viewer");
    const refused = await api.post("/api/v1/tokens", { data: { name: uniqueName("e2e-viewer-write"), scopes: ["models:write"] } });
    expect(refused.status()).toBe(403);
    const allowed = await api.post("/api/v1/tokens", { data: { name: uniqueName("e2e-viewer-rest"), scopes: ["runs:read"] } });
    expect(allowed.status()).toBe(201);
  });
});

for (const role of ["viewer", "engineer"] as const) {
  test(`/admin pages are 404 for ${role}`, async ({ signedInPage }) => {
    const page = await signedInPage(role);
    for (const path of ["/admin/users", "/admin/tokens", "/admin/audit"]) {
      const res = await page.goto(path);
      // Soft, so one run reports the status of every admin page and still checks what each renders.
      expect.soft(res?.status(), `HTTP status of ${path} for ${role}`).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
      await expect(page.getByRole("combobox", { name: /^Role of / })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Create user" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Deactivate" })).toHaveCount(0);
    }
  });
}

test("forged admin mutations from a viewer session get 403 and leave no audit row", async ({ apiAs, signedInPage }) => {
  const viewer = await apiAs("viewer");
  const me = ZMe.parse(await (await viewer.get("/api/v1/me")).json());
  expect(me.role).toBe("viewer");

  const admin = await signedInPage("admin");
  const roleChanges = { action: "user.change_role", entityId: me.userId };
  const userCreates = { action: "user.create" };
  const roleChangesBefore = await (await auditRows(admin, roleChanges)).count();
  const userCreatesBefore = await (await auditRows(admin, userCreates)).count();

  const promote = await trpcMutation(viewer, "admin.changeRole", { userId: me.userId, role: "admin" });
  expect(promote.status()).toBe(403);
  expect(await trpcErrorCode(promote)).toBe("FORBIDDEN");

  const forgedEmail = `${uniqueName("e2e-forged")}@example.com`;
  const create = await trpcMutation(viewer, "admin.createUser", { email: forgedEmail, role: "admin", password: "forged-password-123" });
  expect(create.status()).toBe(403);
  expect(await trpcErrorCode(create)).toBe("FORBIDDEN");

  // Nothing changed: still a viewer, no new audit rows, no new user.
  expect(ZMe.parse(await (await viewer.get("/api/v1/me")).json()).role).toBe("viewer");
  expect(await (await auditRows(admin, roleChanges)).count()).toBe(roleChangesBefore);
  expect(await (await auditRows(admin, userCreates)).count()).toBe(userCreatesBefore);
  await admin.goto("/admin/users");
  await expect(admin.getByRole("combobox", { name: `Role of ${EMAIL.viewer}` })).toHaveValue("viewer");
  await expect(admin.getByText(forgedEmail)).toHaveCount(0);
});
