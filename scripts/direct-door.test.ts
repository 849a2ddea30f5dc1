// scripts/direct-door.mjs on a real HTTP server: which calls it takes and which it leaves to Next (here a stand-in that
// answers 299), what the offered handler receives, and what the client gets back.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module of the production server, without types
import { configHeaders, directDoor, DIRECT_BODY_MAX, sourcePattern } from "./direct-door.mjs";

type Seen = { method: string; url: string; path: string[]; body: string; auth: string | null; peer: string | null };
const g = globalThis as { __sentinelDirectRoutes?: Record<string, Record<string, (req: Request, ctx: unknown) => Promise<Response>>> };
let seen: Seen[] = [];

async function echo(req: Request, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await ctx.params;
  const body = req.method === "GET" ? "" : await req.text();
  seen.push({ method: req.method, url: req.url, path, body, auth: req.headers.get("authorization"), peer: req.headers.get("x-peer") });
  if (path[0] === "boom") throw new Error("handler bug");
  if (path[0] === "stream") {
    const parts = ["a".repeat(70_000), "b".repeat(70_000), "c"];
    return new Response(new ReadableStream({ pull: (c) => void (parts.length ? c.enqueue(new TextEncoder().encode(parts.shift())) : c.close()) }));
  }
  return Response.json(
    { ok: true, path },
    { status: path[0] === "missing" ? 404 : 200, headers: { "x-request-id": "rid-1", "x-frame-options": "SAMEORIGIN" } },
  );
}

const rules = [
  {
    source: "/:path*",
    headers: [
      { key: "X-Frame-Options", value: "DENY" },
      { key: "X-Content-Type-Options", value: "nosniff" },
    ],
  },
  { source: "/api/2.0/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'self'" }] },
  { source: "/playground/:path*", headers: [{ key: "Cross-Origin-Opener-Policy", value: "same-origin" }] },
];

let server: http.Server;
let base = "";
beforeAll(async () => {
  const tryDirect = directDoor({ headersFor: configHeaders(rules), log: { error: () => {} } });
  server = http.createServer((req, res) => {
    req.headers["x-peer"] = req.socket.remoteAddress;
    if (!tryDirect(req, res)) {
      res.statusCode = 299;
      res.end("next");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen = [];
  delete g.__sentinelDirectRoutes;
});

const offer = () => (g.__sentinelDirectRoutes = { "/api/2.0/mlflow/": { GET: echo as never, POST: echo as never } });
const auth = { authorization: "Bearer snt_x" };

describe("the direct MLflow door", () => {
  it("answers an offered token call itself: path segments, query, body and headers in; status, headers and body out", async () => {
    offer();
    const res = await fetch(`${base}/api/2.0/mlflow/runs/log-batch?x=1`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: '{"run_id":"r"}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, path: ["runs", "log-batch"] });
    expect(seen).toEqual([
      {
        method: "POST",
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/mlflow\/runs\/log-batch\?x=1$/),
        path: ["runs", "log-batch"],
        body: '{"run_id":"r"}',
        auth: "Bearer snt_x",
        peer: "127.0.0.1",
      },
    ]);
    // next.config's headers for the path, the handler's own winning where both set one; one write with its length.
    expect(res.headers.get("content-security-policy")).toBe("default-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("x-request-id")).toBe("rid-1");
    expect(res.headers.get("cross-origin-opener-policy")).toBeNull();
    expect(res.headers.get("content-length")).toBe(String(JSON.stringify({ ok: true, path: ["runs", "log-batch"] }).length));

    const missing = await fetch(`${base}/api/2.0/mlflow/missing`, { headers: auth });
    expect(missing.status).toBe(404);
  });

  it("leaves to Next what it does not know: no token, routes not offered yet, other methods and paths, odd paths and bodies", async () => {
    const status = async (path: string, init: RequestInit = {}) =>
      (await fetch(`${base}${path}`, { ...init, headers: { ...auth, ...(init.headers as object) } })).status;
    expect(await status("/api/2.0/mlflow/runs/get")).toBe(299); // nothing offered yet
    offer();
    expect((await fetch(`${base}/api/2.0/mlflow/runs/get`)).status).toBe(299); // no Authorization header
    expect(await status("/api/2.0/mlflow/runs/get")).toBe(200);
    expect(await status("/api/2.0/mlflow/runs/delete", { method: "DELETE" })).toBe(299); // a method the route does not offer
    expect(await status("/api/2.0/mlflow/runs/get", { method: "HEAD" })).toBe(299);
    expect(await status("/api/2.0/mlflow-artifacts/artifacts/x")).toBe(299);
    expect(await status("/api/2.0/mlflow/")).toBe(299);
    expect(await status("/api/2.0/mlflow/runs//get")).toBe(299);
    expect(await status("/api/2.0/mlflow/runs/get/")).toBe(299);
    expect(await status("/api/2.0/mlflow/runs%2Fget")).toBe(299);
    expect(await status("/api/2.0/mlflow/runs/create", { method: "POST", body: "x".repeat(DIRECT_BODY_MAX + 1) })).toBe(299);
    // A body without a length (chunked) is streamed by Next, with its limits.
    const chunked = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("{}")), c.close()) });
    expect(await status("/api/2.0/mlflow/runs/create", { method: "POST", body: chunked, duplex: "half" } as RequestInit)).toBe(299);
    expect(seen.map((s) => s.path.join("/"))).toEqual(["runs/get"]);
  });

  it("streams a body of several chunks, and a handler that throws answers 500 in MLflow's shape", async () => {
    offer();
    const res = await fetch(`${base}/api/2.0/mlflow/stream`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBeNull();
    const text = await res.text();
    expect(text.length).toBe(140_001);
    expect(text.endsWith("bc")).toBe(true);

    const boom = await fetch(`${base}/api/2.0/mlflow/boom`, { headers: auth });
    expect(boom.status).toBe(500);
    expect(await boom.json()).toMatchObject({ error_code: "INTERNAL_ERROR" });
  });

  it("matches next.config sources as Next does for the shapes the config uses", () => {
    expect(sourcePattern("/:path*").test("/")).toBe(true);
    expect(sourcePattern("/:path*").test("/api/2.0/mlflow/runs/get")).toBe(true);
    expect(sourcePattern("/api/2.0/:path*").test("/api/2.0")).toBe(true);
    expect(sourcePattern("/api/2.0/:path*").test("/api/2x0/runs")).toBe(false);
    expect(sourcePattern("/models/:slug/versions/:n/playground").test("/models/fcw/versions/3/playground")).toBe(true);
    expect(sourcePattern("/models/:slug/versions/:n/playground").test("/models/fcw/versions/3/playground/x")).toBe(false);
    expect(sourcePattern("/favicon.ico").test("/faviconXico")).toBe(false);
  });
});
