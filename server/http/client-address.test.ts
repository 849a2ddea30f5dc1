// Trusted proxies: the peer decides, X-Forwarded-For counts only when the peer is a trusted proxy.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/api/metrics/route";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { clientAddress, installPeerAddressStamp, isLoopbackAddress, PEER_HEADER } from "./client-address";
import { cidrList } from "./ip-address";

const req = (headers: Record<string, string>, url = "http://localhost:3000/api/metrics") => new Request(url, { headers });

describe("clientAddress", () => {
  const none = cidrList([]);
  const proxies = cidrList(["10.0.0.0/8", "fd00::/8"]);
  it.each([
    ["no trusted proxies: the peer, whatever X-Forwarded-For says", none, "192.0.2.50", "127.0.0.1", "192.0.2.50"],
    ["an untrusted peer's header is ignored", proxies, "192.0.2.50", "127.0.0.1", "192.0.2.50"],
    ["a trusted peer: the right-most untrusted hop", proxies, "10.1.1.1", "127.0.0.1, 203.0.113.9", "203.0.113.9"],
    ["a trusted chain is skipped", proxies, "10.1.1.1", "198.51.100.4, 10.2.2.2", "198.51.100.4"],
    ["trusted over IPv6 and IPv4-mapped peers", proxies, "::ffff:10.1.1.1", "[2001:db8::5]:4000", "2001:db8::5"],
    ["trusted IPv6 proxy", proxies, "fd00::1", "203.0.113.7:1234", "203.0.113.7"],
    ["a trusted peer without the header is the client", proxies, "10.1.1.1", "", "10.1.1.1"],
    ["entries left of the client are its own claims", proxies, "10.1.1.1", "evil, 127.0.0.1", "127.0.0.1"],
  ])("%s", (_name, trusted, peer, xff, expected) => {
    expect(clientAddress(req({ [PEER_HEADER]: peer, ...(xff ? { "x-forwarded-for": xff } : {}) }), trusted)).toBe(expected);
  });
  it("is unknown when the server did not stamp the peer", () => {
    expect(clientAddress(req({ "x-forwarded-for": "127.0.0.1" }), none)).toBeNull();
    expect(clientAddress(req({ [PEER_HEADER]: "10.1.1.1", "x-forwarded-for": "nonsense" }), proxies)).toBeNull();
  });
  it("knows loopback in every form", () => {
    for (const a of ["127.0.0.1", "127.3.4.5", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ["192.0.2.2", "fd00::2", "::2", null]) expect(isLoopbackAddress(a)).toBe(false);
  });
});

describe("the peer stamp on a real HTTP server", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    installPeerAddressStamp();
    server = http.createServer((r, res) => res.end(JSON.stringify({ peer: r.headers[PEER_HEADER] ?? null })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  it("overwrites a forged peer header with the socket's address", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "192.0.2.50", "x-forwarded-for": "192.0.2.50" } });
    expect(await res.json()).toEqual({ peer: "127.0.0.1" });
  });
});

describe("/api/metrics from outside", () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await setupTestEnv();
    provideDatabase(t);
  });
  afterAll(async () => {
    await t.close();
  });
  it("refuses a non-loopback peer that claims X-Forwarded-For: 127.0.0.1 (and Host: 127.0.0.1)", async () => {
    const res = await metricsRoute.GET(req({ [PEER_HEADER]: "192.0.2.50", "x-forwarded-for": "127.0.0.1", host: "127.0.0.1" }, "http://127.0.0.1/api/metrics"));
    expect(res.status).toBe(401);
  });
  it("refuses when the peer is unknown, whatever the headers say", async () => {
    expect((await metricsRoute.GET(req({ "x-forwarded-for": "127.0.0.1" }, "http://127.0.0.1/api/metrics"))).status).toBe(401);
  });
  it("serves a loopback peer; its X-Forwarded-For changes nothing", async () => {
    const res = await metricsRoute.GET(req({ [PEER_HEADER]: "127.0.0.1", "x-forwarded-for": "203.0.113.5" }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("sentinel_");
  });
});
