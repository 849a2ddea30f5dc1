// Playwright fixtures: pages and API clients signed in as a demo role through the next-auth API (not the form).
import { test as base, expect, type APIRequestContext, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { z } from "zod";

export type Role = "viewer" | "engineer" | "admin";
export const ROLES: readonly Role[] = ["viewer", "engineer", "admin"];
export const DEMO_PASSWORD = "sentinel-demo";
export const EMAIL: Record<Role, string> = {
  viewer: "viewer@example.com",
  engineer: "engineer@example.com",
  admin: "admin@example.com",
};

type StorageState = Awaited<ReturnType<APIRequestContext["storageState"]>>;

/** The server's origin: set by global setup (or by the caller as E2E_BASE_URL). */
export function origin(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: global setup did not start the server");
  return url.replace(/\/$/, "");
}

/** A name no earlier run or test has used, so tests can find their own rows in shared tables. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Resolves once React has attached its handlers to the element: clicking a server-rendered button
 * before hydration would do nothing (or submit a form natively).
 */
export async function expectHydrated(locator: Locator): Promise<void> {
  await expect
    .poll(() => locator.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber") || k.startsWith("__reactProps"))), {
      message: "the element should be hydrated by React",
    })
    .toBe(true);
}

/** Opens a version's playground at `path`, picks the library frame `frame` and runs the model once. */
export async function runOnFrame(page: Page, path: string, frame: string): Promise<void> {
  await page.goto(path);
  const run = page.getByRole("button", { name: "Run model" });
  await expectHydrated(run);
  await page.getByRole("button", { name: `Frame ${frame}` }).click();
  await expect(page).toHaveURL(/frame=/);
  await page.getByLabel("Timed runs").selectOption("1");
  await run.click();
}

/** A tRPC mutation the way a hand-crafted request from the browser would send it (same origin, session cookie). */
export function trpcMutation(api: APIRequestContext, path: string, input: unknown) {
  return api.post(`/api/trpc/${path}`, {
    data: { json: input },
    headers: { origin: origin(), "content-type": "application/json" },
  });
}

/** The tRPC error code (e.g. "FORBIDDEN") in a superjson-encoded error response, or null. */
const ZTrpcError = z.object({ error: z.object({ json: z.object({ data: z.object({ code: z.string() }) }) }) });
export async function trpcErrorCode(res: { json(): Promise<unknown> }): Promise<string | null> {
  const parsed = ZTrpcError.safeParse(await res.json().catch(() => null));
  return parsed.success ? parsed.data.error.json.data.code : null;
}

/** The body of GET /api/v1/me. */
export const ZMe = z.object({ userId: z.string(), email: z.string(), role: z.string(), tokenId: z.string().nullable() });

/**
 * Opens /admin/audit with the given filters and returns the body rows, once the page has settled
 * on either a table or the empty state.
 */
export async function auditRows(page: Page, filters: Record<string, string>): Promise<Locator> {
  await page.goto(`/admin/audit?${new URLSearchParams(filters)}`);
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await expect(page.getByRole("table").or(page.getByText("No audit events match"))).toBeVisible();
  // Body rows hold cells; the header row holds column headers only.
  return page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
}

/** Index of a column by its header text, so assertions do not depend on column order. */
export async function columnIndex(table: Locator, header: string): Promise<number> {
  const headers = (await table.getByRole("columnheader").allTextContents()).map((h) => h.trim().toLowerCase());
  const index = headers.indexOf(header.toLowerCase());
  expect(index, `column "${header}" among ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(0);
  return index;
}

type TestFixtures = {
  /** A new browser page whose context carries the role's session cookie. */
  signedInPage: (role: Role) => Promise<Page>;
  /** An API client (cookies of the role's session) for REST and tRPC calls. */
  apiAs: (role: Role) => Promise<APIRequestContext>;
  /** An API client with no session, for Bearer-token and public calls. */
  anonApi: APIRequestContext;
};

type WorkerFixtures = {
  /** Session cookies per role, signed in once per worker. */
  sessionState: (role: Role) => Promise<StorageState>;
};

// The fixture callback is called `provide`, not `use`, so the React hooks lint rule leaves it alone.
export const test = base.extend<TestFixtures, WorkerFixtures>({
  sessionState: [
    async ({ playwright }, provide) => {
      const cache = new Map<Role, Promise<StorageState>>();
      const signIn = async (role: Role): Promise<StorageState> => {
        const api = await playwright.request.newContext({ baseURL: origin() });
        try {
          const csrf = await api.get("/api/auth/csrf");
          expect(csrf.status(), "GET /api/auth/csrf").toBe(200);
          const { csrfToken } = z.object({ csrfToken: z.string().min(1) }).parse(await csrf.json());
          const res = await api.post("/api/auth/callback/credentials", {
            form: { csrfToken, email: EMAIL[role], password: DEMO_PASSWORD, json: "true" },
          });
          expect(res.status(), `sign-in as ${role}`).toBe(200);
          // The cookie is only worth keeping if the server now knows who we are.
          const me = await api.get("/api/v1/me");
          expect(me.status(), `GET /api/v1/me after signing in as ${role}`).toBe(200);
          expect(ZMe.parse(await me.json()).email).toBe(EMAIL[role]);
          return await api.storageState();
        } finally {
          await api.dispose();
        }
      };
      await provide((role) => {
        let state = cache.get(role);
        if (!state) {
          state = signIn(role);
          state.catch(() => cache.delete(role));
          cache.set(role, state);
        }
        return state;
      });
    },
    { scope: "worker" },
  ],

  signedInPage: async ({ browser, sessionState, viewport, colorScheme, locale }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (role) => {
      const context = await browser.newContext({
        baseURL: origin(),
        viewport,
        colorScheme,
        locale,
        storageState: await sessionState(role),
      });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },

  apiAs: async ({ playwright, sessionState }, provide) => {
    const clients: APIRequestContext[] = [];
    await provide(async (role) => {
      const client = await playwright.request.newContext({ baseURL: origin(), storageState: await sessionState(role) });
      clients.push(client);
      return client;
    });
    await Promise.all(clients.map((c) => c.dispose()));
  },

  anonApi: async ({ playwright }, provide) => {
    const client = await playwright.request.newContext({ baseURL: origin() });
    await provide(client);
    await client.dispose();
  },
});

const ZDeploymentList = z.object({
  result: z.object({
    data: z.object({
      json: z.array(
        z.object({
          id: z.string(),
          state: z.string(),
          revision: z.number(),
          stable: z.number(),
          target: z.object({ slug: z.string() }),
          model: z.object({ slug: z.string() }),
        }),
      ),
    }),
  }),
});
export const ZIdList = z.object({ result: z.object({ data: z.object({ json: z.array(z.object({ id: z.string() })) }) }) });

/** A demo deployment by its target and model, as the deployments list shows it (id, state, revision, versions). */
export async function deploymentOn(api: APIRequestContext, target: string, model = "forward-collision-warning") {
  const res = await api.get("/api/trpc/deployments.list");
  expect(res.status()).toBe(200);
  const d = ZDeploymentList.parse(await res.json()).result.data.json.find((r) => r.target.slug === target && r.model.slug === model);
  if (!d) throw new Error(`the demo seed has no ${model} deployment on ${target}`);
  return d;
}

/** The demo staging deployment of forward collision warning on the bench rigs. */
export const benchDeployment = (api: APIRequestContext) => deploymentOn(api, "staging-bench");

/**
 * The on-call story's starting point, re-runnable: FCW v3 in canary over stable v2 on the bench rigs, and no open
 * FCW incident (so a new one gets declared). Used by the incident and keyboard on-call paths.
 */
export async function arrangeBenchCanary(api: APIRequestContext) {
  const d = await benchCanary(api);
  const open = await api.get(
    `/api/trpc/incidents.list?input=${encodeURIComponent(JSON.stringify({ json: { status: "open", model: "forward-collision-warning" } }))}`,
  );
  expect(open.status()).toBe(200);
  for (const i of ZIdList.parse(await open.json()).result.data.json) {
    expect((await trpcMutation(api, "incidents.setStatus", { id: i.id, status: "resolved", note: "closed by the e2e set-up" })).status()).toBe(200);
  }
  return d;
}

/** Re-runnable: FCW v3 just started in canary over stable v2 on the bench rigs, whatever an earlier run left. */
export async function benchCanary(api: APIRequestContext) {
  let d = await benchDeployment(api);
  if (d.state !== "idle") {
    expect((await trpcMutation(api, "deployments.abort", { deploymentId: d.id, revision: d.revision, idempotencyKey: uniqueName("e2e-abort") })).status()).toBe(
      200,
    );
    d = await benchDeployment(api);
  }
  if (d.stable !== 2) {
    expect(
      (
        await trpcMutation(api, "deployments.rollback", { deploymentId: d.id, version: 2, revision: d.revision, idempotencyKey: uniqueName("e2e-reset") })
      ).status(),
    ).toBe(200);
    d = await benchDeployment(api);
  }
  expect(
    (
      await trpcMutation(api, "deployments.startCanary", { deploymentId: d.id, version: 3, revision: d.revision, idempotencyKey: uniqueName("e2e-canary") })
    ).status(),
  ).toBe(200);
  return d;
}

export { expect };
