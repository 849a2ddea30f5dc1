// Hardening of the HTTP doors against a running server: the peer decides /api/metrics, tRPC bodies
// are counted as they stream, and batches are capped.
import http from "node:http";
import { expect, origin, test } from "./fixtures";

test("/api/metrics trusts the connection's peer, not X-Forwarded-For", async ({ anonApi }) => {
  // This test connects from 127.0.0.1 and no proxy is trusted: the forwarded header changes nothing.
  const claimed = await anonApi.get("/api/metrics", { headers: { "X-Forwarded-For": "203.0.113.5" } });
  expect(claimed.status()).toBe(200);
  expect(await claimed.text()).toContain("sentinel_http_requests_total");
});

test("a tRPC batch over the limit is refused with a 400 that names it", async ({ anonApi }) => {
  const paths = Array.from({ length: 21 }, () => "tokens.mine").join(",");
  const res = await anonApi.get(`/api/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`);
  expect(res.status()).toBe(400);
  expect((await res.json()).detail).toContain("at most 20 procedures");
});

test("a chunked 9 MiB tRPC body is refused with 413", async () => {
  const url = new URL("/api/trpc/tokens.create", origin());
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server may answer and close before everything is written; that is the point.
    req.on("error", (e) => (/(EPIPE|ECONNRESET)/.test(String(e)) ? undefined : reject(e)));
    const chunk = Buffer.alloc(256 * 1024, "x");
    req.write('{"name":"');
    let sent = 0;
    const pump = () => {
      while (sent < 9 * 1024 * 1024) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end('"}');
    };
    pump();
  });
  expect(status).toBe(413);
});
