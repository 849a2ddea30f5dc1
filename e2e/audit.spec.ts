// An engineer's change shows up in the admin's audit log with who did it.
import { EMAIL, columnIndex, expect, expectHydrated, test, uniqueName } from "./fixtures";

test("a token an engineer creates in the UI appears in /admin/audit with the engineer as actor", async ({ signedInPage }) => {
  const engineer = await signedInPage("engineer");
  const name = uniqueName("e2e-audit");
  await engineer.goto("/tokens");
  const open = engineer.getByRole("button", { name: "Create token" });
  await expectHydrated(open);
  await open.click();
  const dialog = engineer.getByRole("dialog", { name: "Create an API token" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: "runs:write", exact: true }).check();
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(engineer.getByTestId("new-token")).toBeVisible();

  const admin = await signedInPage("admin");
  await admin.goto("/admin/audit");
  await admin.getByRole("textbox", { name: "Action" }).fill("token.create");
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL((url) => url.pathname === "/admin/audit" && url.searchParams.get("action") === "token.create");

  const table = admin.getByRole("table");
  const row = table.getByRole("row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  const cells = row.getByRole("cell");
  await expect(cells.nth(await columnIndex(table, "Actor"))).toHaveText(EMAIL.engineer);
  await expect(cells.nth(await columnIndex(table, "Action"))).toHaveText("token.create");
  await expect(cells.nth(await columnIndex(table, "Entity"))).toContainText("api token");
  // Every row the filter keeps is a token.create.
  const actionColumn = await columnIndex(table, "Action");
  for (const other of await table
    .getByRole("row")
    .filter({ has: admin.getByRole("cell") })
    .all()) {
    await expect(other.getByRole("cell").nth(actionColumn)).toHaveText("token.create");
  }

  await row.getByText("before / after").click();
  await expect(row.getByText(`"name": "${name}"`)).toBeVisible();
});
