// CSRF behind a reverse proxy, through a real HTTP server and the real REST door: a cookie-carrying write must come from
// the configured public origin (PUBLIC_URL / NEXTAUTH_URL), and X-Forwarded-Host counts only from a trusted proxy.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as tokensRoute from "@/app/api/v1/tokens/route";
import { provideDatabase } from "@/server/db";
import { env } from "@/server/env";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { installPeerAddressStamp } from "./client-address";

// The cookie is a stand-in: past the CSRF check the door finds no session (401), so 403 means "refused as cross-site".
vi.mock("@/server/auth/session", () => ({ getSessionActor: async () => null, requirePageActor: async () => null }));

let t: TestEnv;
let server: http.Server;
let base = "";
const saved = { PUBLIC_URL: env.PUBLIC_URL, NEXTAUTH_URL: env.NEXTAUTH_URL, TRUSTED_PROXIES: env.TRUSTED_PROXIES };

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  installPeerAddressStamp();
  // A bare Node server in front of the route handler, as Next is: the peer stamp, then a fetch Request.
  server = http.createServer(async (req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const answer = await tokensRoute.POST(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }), {
      params: Promise.resolve({}),
    });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => Object.assign(env, saved));
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

/** node:http, not fetch: fetch does not let a caller choose the Host header, and a proxy does. */
const post = (headers: Record<string, string>) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const body = JSON.stringify({ name: "x", scopes: ["models:read"] });
    const r = http.request(
      `${base}/api/v1/tokens`,
      {
        method: "POST",
        headers: {
          cookie: "next-auth.session-token=stand-in",
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    r.on("error", reject);
    r.end(body);
  });

describe("same-origin check behind a proxy", () => {
  it("with PUBLIC_URL set, a write from the public origin passes although the proxy sent an internal Host", async () => {
    Object.assign(env, { PUBLIC_URL: "https://portal.example", NEXTAUTH_URL: undefined, TRUSTED_PROXIES: [] });
    // The proxy rewrote Host to the internal name; the browser's Origin is the public one.
    expect((await post({ host: "sentinel-internal:3000", origin: "https://portal.example" })).status).toBe(401);
  });

  it("with PUBLIC_URL set, another origin is refused; the name the browser reached the server by still passes", async () => {
    Object.assign(env, { PUBLIC_URL: "https://portal.example", NEXTAUTH_URL: undefined, TRUSTED_PROXIES: [] });
    const res = await post({ host: "portal.example", origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.body).toContain("Cross-site request refused");
    // Same host, other scheme: not the configured origin, but the host the browser connected to (cookies are per host).
    expect((await post({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).status).toBe(401);
    // An untrusted peer cannot make its origin ours by forwarding it.
    expect((await post({ host: "internal:3000", origin: "https://evil.example", "x-forwarded-host": "evil.example" })).status).toBe(403);
  });

  it("NEXTAUTH_URL is the origin when PUBLIC_URL is unset", async () => {
    Object.assign(env, { PUBLIC_URL: undefined, NEXTAUTH_URL: "https://sso.portal.example", TRUSTED_PROXIES: [] });
    expect((await post({ host: "internal", origin: "https://sso.portal.example" })).status).toBe(401);
    expect((await post({ host: "internal", origin: "https://portal.example" })).status).toBe(403);
  });

  it("without a configured origin, X-Forwarded-Host counts only when the peer is a trusted proxy", async () => {
    Object.assign(env, { PUBLIC_URL: undefined, NEXTAUTH_URL: undefined, TRUSTED_PROXIES: [] });
    // An untrusted caller cannot make its own Origin acceptable by naming it in X-Forwarded-Host.
    expect((await post({ host: "portal.example", origin: "https://evil.example", "x-forwarded-host": "evil.example" })).status).toBe(403);
    expect((await post({ host: "portal.example", origin: "https://portal.example" })).status).toBe(401);
    Object.assign(env, { TRUSTED_PROXIES: ["127.0.0.0/8"] });
    expect((await post({ host: "internal:3000", origin: "https://portal.example", "x-forwarded-host": "portal.example" })).status).toBe(401);
    // The right-most entry is the one the trusted proxy wrote; a client's own claim left of it does not count.
    expect((await post({ host: "internal:3000", origin: "https://evil.example", "x-forwarded-host": "evil.example, portal.example" })).status).toBe(403);
  });
});
