// The API token lifecycle through the UI: create, use as a Bearer token, revoke, refused.
import { EMAIL, ZMe, expect, expectHydrated, test, uniqueName } from "./fixtures";

test("an engineer creates a token, uses it, revokes it, and it stops working", async ({ signedInPage, anonApi }) => {
  const page = await signedInPage("engineer");
  const name = uniqueName("e2e-lifecycle");
  await page.goto("/tokens");
  const open = page.getByRole("button", { name: "Create token" });
  await expectHydrated(open);
  await open.click();

  const dialog = page.getByRole("dialog", { name: "Create an API token" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: "models:read", exact: true }).check();
  await dialog.getByRole("checkbox", { name: "runs:write", exact: true }).check();
  // Tokens expire in 90 days unless a person picks otherwise.
  await expect(dialog.getByLabel("Expires")).toHaveValue("90");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const secretBox = page.getByTestId("new-token");
  await expect(secretBox).toHaveText(/^snt_\S+$/);
  const secret = (await secretBox.textContent())?.trim() ?? "";

  const auth = { Authorization: `Bearer ${secret}` };
  const me = await anonApi.get("/api/v1/me", { headers: auth });
  expect(me.status()).toBe(200);
  const body = ZMe.parse(await me.json());
  expect(body.email).toBe(EMAIL.engineer);
  expect(body.role).toBe("engineer");
  expect(body.tokenId).not.toBeNull();
  // The token itself may not mint others: that needs tokens:write.
  const child = await anonApi.post("/api/v1/tokens", { headers: auth, data: { name: "child", scopes: ["models:read"] } });
  expect(child.status()).toBe(403);

  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: `Revoke ${name}` }).click();

  const confirm = page.getByRole("dialog", { name: `Revoke token “${name}”?` });
  await expect(confirm).toContainText("gets 401");
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);

  const after = await anonApi.get("/api/v1/me", { headers: auth });
  expect(after.status()).toBe(401);
});

test("a forged Bearer token is refused", async ({ anonApi }) => {
  const res = await anonApi.get("/api/v1/me", { headers: { Authorization: "Bearer snt_not-a-real-token" } });
  expect(res.status()).toBe(401);
});

test("only a person in the UI can choose a token that never expires", async ({ signedInPage }) => {
  const page = await signedInPage("engineer");
  const name = uniqueName("e2e-never");
  await page.goto("/tokens");
  const open = page.getByRole("button", { name: "Create token" });
  await expectHydrated(open);
  await open.click();
  const dialog = page.getByRole("dialog", { name: "Create an API token" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: "runs:read", exact: true }).check();
  await dialog.getByLabel("Expires").selectOption("never");
  await expect(dialog).toContainText("works until someone revokes it");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByTestId("new-token")).toHaveText(/^snt_\S+$/);
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("no expiry");
});
