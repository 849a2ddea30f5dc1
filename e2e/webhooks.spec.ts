// Webhooks: an admin allow-lists a local receiver, adds a target (secret shown once), sends a signed test and sees it logged; others are kept out.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, expectHydrated, test, trpcErrorCode, trpcMutation, uniqueName } from "./fixtures";
import { verifySignature } from "../server/webhooks/sign";

type Received = { headers: http.IncomingHttpHeaders; body: string };
let server: http.Server;
let port = 0;
const received: Received[] = [];

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

test("an admin allow-lists a local receiver, adds a webhook and sends a signed test", async ({ signedInPage }) => {
  const page = await signedInPage("admin");
  await page.goto("/admin/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  const allowList = page.getByRole("list", { name: "Allowed hosts and ranges" });
  // Start from a list without the loopback entry (an earlier run may have left it).
  const removeLoopback = page.getByRole("button", { name: "Remove 127.0.0.1/32 from the allow-list" });
  if (await removeLoopback.isVisible()) {
    await removeLoopback.click();
    await expect(removeLoopback).toHaveCount(0);
  }

  const name = uniqueName("e2e-hook");
  const url = `http://127.0.0.1:${port}/hook`;
  const addButton = page.getByRole("button", { name: "Add webhook" });
  await expectHydrated(addButton);
  await addButton.click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("URL").fill(url);
  await dialog.getByLabel("Format").selectOption("generic");
  await dialog.getByRole("button", { name: "Add webhook" }).click();
  await expect(dialog.getByText(/loopback, link-local, private or otherwise special-purpose address/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.getByLabel("Host or range").fill("127.0.0.1");
  await page.getByLabel("Why").fill("e2e receiver");
  await page.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(allowList.getByText("127.0.0.1/32")).toBeVisible();

  await addButton.click();
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("URL").fill(url);
  await dialog.getByLabel("Format").selectOption("generic");
  await dialog.getByRole("button", { name: "Add webhook" }).click();
  const secretBox = dialog.getByTestId("webhook-secret");
  await expect(secretBox).toHaveText(/^whsec_/);
  const secret = (await secretBox.textContent())!.trim();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText(secret)).toHaveCount(0);

  const before = received.length;
  await page.getByRole("button", { name: `Send test to ${name}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test delivered (HTTP 200)" })).toBeVisible();
  expect(received.length).toBe(before + 1);
  const got = received[received.length - 1];
  expect(got.headers["x-sentinel-event"]).toBe("test");
  expect(verifySignature(secret, String(got.headers["x-sentinel-signature"]), got.body)).toBe(true);
  expect(JSON.parse(got.body)).toMatchObject({ event: "test", message: expect.stringContaining(name) });

  await page.getByRole("navigation", { name: "Filter deliveries by target" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name: `Delivery log · ${name}` })).toBeVisible();
  const row = page.getByTestId("delivery-row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("test");
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText(`HTTP 200`);
  expect(page.url()).toContain("target=");

  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete webhook" }).click();
  await expect(page.getByRole("button", { name: `Send test to ${name}` })).toHaveCount(0);
  // The log keeps what was sent to a deleted target.
  await page.goto("/admin/webhooks");
  await expect(page.getByTestId("delivery-row").filter({ hasText: name })).toHaveCount(1);
});

for (const role of ["viewer", "engineer"] as const) {
  test(`/admin/webhooks is 404 for ${role}, and forged webhook mutations get 403`, async ({ signedInPage, apiAs }) => {
    const page = await signedInPage(role);
    const res = await page.goto("/admin/webhooks");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add webhook" })).toHaveCount(0);

    const api = await apiAs(role);
    const create = await trpcMutation(api, "webhooks.create", { name: uniqueName("forged"), url: "https://hooks.example.com/x", format: "generic", kinds: [] });
    expect(create.status()).toBe(403);
    expect(await trpcErrorCode(create)).toBe("FORBIDDEN");
    const allow = await trpcMutation(api, "webhooks.allow", { entry: "169.254.169.254", note: "" });
    expect(allow.status()).toBe(403);
  });
}
