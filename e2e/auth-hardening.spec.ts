// Attacks on signing in, through the real server: open redirects after sign-in, cookies that outlive
// sign-out or deactivation, password guessing; and the sessions page's "Sign out everywhere".
// Each test signs in its own users: ending sessions must never touch the shared demo sessions.
import path from "node:path";
import type { APIRequestContext, Browser, PlaywrightWorkerArgs } from "@playwright/test";
import { z } from "zod";
import { expect, expectHydrated, origin, test, trpcErrorCode, trpcMutation, uniqueName, ZMe } from "./fixtures";

const shots = path.join(__dirname, "screenshots");
const PASSWORD = "hardening-pass-1";
const PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

type Playwright = PlaywrightWorkerArgs["playwright"];
type StorageState = Awaited<ReturnType<APIRequestContext["storageState"]>>;

/** Posts the credentials form the way next-auth's client does; returns the context (cookie set on success) and next-auth's answer. */
async function postCredentials(playwright: Playwright, email: string, password: string, extra: Record<string, string> = {}, userAgent?: string) {
  const api = await playwright.request.newContext({ baseURL: origin(), userAgent });
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await (await api.get("/api/auth/csrf")).json());
  const res = await api.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true", ...extra } });
  const url = z.object({ url: z.string() }).parse(await res.json()).url;
  return { api, status: res.status(), url };
}

async function signInState(playwright: Playwright, email: string, userAgent?: string): Promise<StorageState> {
  const { api, status } = await postCredentials(playwright, email, PASSWORD, {}, userAgent);
  expect(status, `sign-in as ${email}`).toBe(200);
  const state = await api.storageState();
  await api.dispose();
  return state;
}

async function createUser(admin: APIRequestContext, prefix: string): Promise<{ id: string; email: string }> {
  const email = `${uniqueName(prefix)}@example.com`;
  const res = await trpcMutation(admin, "admin.createUser", { email, role: "engineer", password: PASSWORD });
  expect(res.status(), "admin.createUser").toBe(200);
  const id = z.object({ result: z.object({ data: z.object({ json: z.object({ id: z.string() }) }) }) }).parse(await res.json()).result.data.json.id;
  return { id, email };
}

async function meStatus(playwright: Playwright, state: StorageState): Promise<number> {
  const api = await playwright.request.newContext({ baseURL: origin(), storageState: state });
  try {
    return (await api.get("/api/v1/me")).status();
  } finally {
    await api.dispose();
  }
}

async function adminAudit(admin: APIRequestContext, filters: Record<string, string>) {
  const input = encodeURIComponent(JSON.stringify({ json: filters }));
  const res = await admin.get(`/api/trpc/admin.audit?input=${input}`);
  expect(res.status()).toBe(200);
  const Row = z.object({ action: z.string(), entityId: z.string(), after: z.unknown() });
  return z.object({ result: z.object({ data: z.object({ json: z.object({ items: z.array(Row) }) }) }) }).parse(await res.json()).result.data.json.items;
}

async function pageFor(browser: Browser, state: StorageState, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ baseURL: origin(), storageState: state, viewport });
  return { context, page: await context.newPage() };
}

test.describe("open redirect after sign-in", () => {
  const hostile = ["/.//evil.example/login", "http://x//evil.example", "//evil.example", "/\\evil.example", "/%2F%2Fevil.example", "https://evil.example/"];

  test("the sign-in page only ever redirects a signed-in user to this origin", async ({ apiAs }) => {
    const api = await apiAs("viewer");
    for (const callbackUrl of hostile) {
      const res = await api.get(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`, { maxRedirects: 0 });
      expect(res.status(), callbackUrl).toBe(307);
      const location = res.headers()["location"] ?? "";
      expect(new URL(location, origin()).origin, `Location ${location} for ${callbackUrl}`).toBe(origin());
      expect(location, callbackUrl).not.toMatch(/^\/\/|^\/\\|evil/);
    }
    // A real path on the portal survives.
    const ok = await api.get(`/signin?callbackUrl=${encodeURIComponent("/models?tab=all")}`, { maxRedirects: 0 });
    const kept = new URL(ok.headers()["location"] ?? "", origin());
    expect(kept.pathname + kept.search).toBe("/models?tab=all");
  });

  test("next-auth's own callback URL stays on this origin", async ({ playwright, apiAs }) => {
    const user = await createUser(await apiAs("admin"), "redirect");
    for (const callbackUrl of hostile) {
      const { api, status, url } = await postCredentials(playwright, user.email, PASSWORD, { callbackUrl });
      expect(status).toBe(200);
      expect(new URL(url).origin, `${url} for ${callbackUrl}`).toBe(origin());
      expect(new URL(url).pathname).toBe("/");
      await api.dispose();
    }
  });
});

test.describe("sessions end on the server", () => {
  test("a cookie captured before sign-out is refused after it, by REST, tRPC and pages", async ({ playwright, apiAs }) => {
    const user = await createUser(await apiAs("admin"), "signout");
    const { api } = await postCredentials(playwright, user.email, PASSWORD);
    const captured = await api.storageState();
    expect(ZMe.parse(await (await api.get("/api/v1/me")).json()).email).toBe(user.email);

    const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await (await api.get("/api/auth/csrf")).json());
    expect((await api.post("/api/auth/signout", { form: { csrfToken, json: "true" } })).status()).toBe(200);
    await api.dispose();

    // The attacker replays the cookie they copied before the sign-out.
    const replay = await playwright.request.newContext({ baseURL: origin(), storageState: captured });
    expect((await replay.get("/api/v1/me")).status()).toBe(401);
    const trpc = await replay.get("/api/trpc/sessions.mine");
    expect(await trpcErrorCode(trpc)).toBe("UNAUTHORIZED");
    const page = await replay.get("/tokens", { maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(page.headers()["location"]).toMatch(/\/signin/);
    await replay.dispose();
  });

  test("deactivating a user ends their sessions; reactivating does not revive them", async ({ playwright, apiAs }) => {
    const admin = await apiAs("admin");
    const user = await createUser(admin, "leaver");
    const state = await signInState(playwright, user.email);
    expect(await meStatus(playwright, state)).toBe(200);
    expect((await trpcMutation(admin, "admin.setActive", { userId: user.id, active: false })).status()).toBe(200);
    expect(await meStatus(playwright, state)).toBe(401);
    expect((await trpcMutation(admin, "admin.setActive", { userId: user.id, active: true })).status()).toBe(200);
    expect(await meStatus(playwright, state)).toBe(401);
    const [deactivation] = await adminAudit(admin, { action: "user.deactivate", entityId: user.id });
    expect(deactivation.after).toMatchObject({ sessionsEnded: 1 });
  });

  test("the sessions page ends another browser, then signs out everywhere", async ({ browser, playwright, apiAs }) => {
    const user = await createUser(await apiAs("admin"), "everywhere");
    const stateA = await signInState(playwright, user.email);
    const stateB = await signInState(playwright, user.email);
    const stateC = await signInState(playwright, user.email, PHONE_UA);
    const a = await pageFor(browser, stateA);
    const b = await pageFor(browser, stateB);

    // The account page is one click from the header.
    await a.page.goto("/");
    await a.page.getByTestId("current-user").click();
    await expect(a.page).toHaveURL((u) => u.pathname === "/account");
    await expect(a.page.getByRole("heading", { name: "Your sessions", level: 1 })).toBeVisible();
    const list = a.page.getByRole("list", { name: "Sessions" });
    await expect(list.getByRole("listitem")).toHaveCount(3);
    await expect(list.getByText("This browser")).toHaveCount(1);
    await a.page.screenshot({ path: path.join(shots, "account-sessions-1280.png"), fullPage: true });
    await a.page.setViewportSize({ width: 390, height: 844 });
    await a.page.screenshot({ path: path.join(shots, "account-sessions-390.png"), fullPage: true });
    await a.page.setViewportSize({ width: 1280, height: 800 });

    // End one other session (the phone, C) from the list: only C stops working.
    const signOutPhone = list.getByRole("button", { name: /^Sign out Safari on iOS/ });
    await expectHydrated(signOutPhone);
    await signOutPhone.click();
    await a.page.getByRole("dialog").getByRole("button", { name: "Sign out that browser" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(2);
    expect(await meStatus(playwright, stateC)).toBe(401);
    expect(await meStatus(playwright, stateB)).toBe(200);
    await b.page.goto("/account");
    await expect(b.page.getByRole("heading", { name: "Your sessions", level: 1 })).toBeVisible();

    // Sign out everywhere: this browser lands on /signin and the other browser's next request is refused.
    await a.page.getByRole("button", { name: "Sign out everywhere" }).click();
    const dialog = a.page.getByRole("dialog");
    await expect(dialog).toContainText("this one included");
    await a.page.screenshot({ path: path.join(shots, "account-sign-out-everywhere-dialog.png") });
    await dialog.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(a.page).toHaveURL((u) => u.pathname === "/signin");

    await b.page.goto("/account");
    await expect(b.page).toHaveURL((u) => u.pathname === "/signin");
    for (const state of [stateA, stateB, stateC]) expect(await meStatus(playwright, state)).toBe(401);

    const audit = await adminAudit(await apiAs("admin"), { action: "session.*" });
    expect(audit.some((r) => r.action === "session.end_all" && r.entityId === user.id)).toBe(true);
    expect(audit.some((r) => r.action === "session.revoke")).toBe(true);
    await a.context.close();
    await b.context.close();
  });
});

test.describe("sign-in throttling", () => {
  test("after five wrong passwords the right one is refused while locked; admins see and lift the lock", async ({ playwright, apiAs, signedInPage }) => {
    const admin = await apiAs("admin");
    const user = await createUser(admin, "guessed");
    for (let i = 0; i < 5; i++) {
      const { api, status, url } = await postCredentials(playwright, user.email, `wrong-password-${i}`);
      expect(status).toBe(401);
      expect(url).toContain("error=CredentialsSignin");
      await api.dispose();
    }
    const locked = await postCredentials(playwright, user.email, PASSWORD);
    expect(locked.status).toBe(401);
    expect(locked.url).toContain("error=AccountLocked");
    expect((await locked.api.get("/api/v1/me")).status()).toBe(401);
    await locked.api.dispose();

    const trail = await adminAudit(admin, { action: "auth.*", entityId: user.email });
    expect(trail.filter((r) => r.action === "auth.sign_in_failed")).toHaveLength(6);
    expect(trail.filter((r) => r.action === "auth.lock")).toHaveLength(1);
    expect(trail[0].after).toMatchObject({ reason: "account_locked" });

    // The admin users page shows the lock; Unlock lifts it (and is audited).
    const page = await signedInPage("admin");
    await page.goto("/admin/users");
    const row = page.getByRole("row").filter({ hasText: user.email });
    await expect(row.getByText(/locked until/)).toBeVisible();
    await expect(row.getByText(/5 failed sign-ins/)).toBeVisible();
    await page.screenshot({ path: path.join(shots, "admin-users-locked.png"), fullPage: true });
    const unlock = row.getByRole("button", { name: `Unlock sign-in for ${user.email}` });
    await expectHydrated(unlock);
    await unlock.click();
    await expect(row.getByText(/locked until/)).toHaveCount(0);
    expect((await adminAudit(admin, { action: "auth.unlock", entityId: user.email })).length).toBe(1);

    const after = await postCredentials(playwright, user.email, PASSWORD);
    expect(after.status).toBe(200);
    expect((await after.api.get("/api/v1/me")).status()).toBe(200);
    await after.api.dispose();

    // Leave the loopback address with no failures, so later sign-ins in this run are not slowed or locked.
    const addresses = page
      .getByRole("table", { name: "Sign-in failures by address and unknown account" })
      .getByRole("button", { name: /^Clear failures for|^Unlock / });
    for (let n = await addresses.count(); n > 0; n = await addresses.count()) {
      await addresses.first().click();
      await expect(addresses).toHaveCount(n - 1);
    }
  });
});
