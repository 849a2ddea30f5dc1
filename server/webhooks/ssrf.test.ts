import http from "node:http";
import os from "node:os";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postWebhook } from "./http";
import { buildAllowList, checkDestination, EMPTY_ALLOW_LIST, isPrivateAddress, normaliseAllowEntry, type Resolver } from "./ssrf";

const fakeDns =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const list = table[host];
    if (!list) throw new Error(`ENOTFOUND ${host}`);
    return list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

describe("address classification", () => {
  // IANA special-purpose registries (IPv4 and IPv6), the IPv4 forms hidden in IPv6, and multicast.
  it.each([
    ["this network", "0.0.0.0"],
    ["private 10/8", "10.1.2.3"],
    ["CGNAT shared space", "100.64.0.1"],
    ["CGNAT shared space, top", "100.127.255.254"],
    ["loopback", "127.8.9.10"],
    ["link-local and cloud metadata", "169.254.169.254"],
    ["private 172.16/12", "172.31.255.255"],
    ["IETF protocol assignments", "192.0.0.8"],
    ["TEST-NET-1", "192.0.2.1"],
    ["AS112", "192.31.196.1"],
    ["AMT", "192.52.193.1"],
    ["6to4 relay anycast", "192.88.99.1"],
    ["private 192.168/16", "192.168.1.1"],
    ["AS112 direct delegation", "192.175.48.1"],
    ["benchmarking", "198.19.255.1"],
    ["TEST-NET-2", "198.51.100.1"],
    ["TEST-NET-3", "203.0.113.1"],
    ["multicast", "224.0.0.1"],
    ["reserved", "240.0.0.1"],
    ["limited broadcast", "255.255.255.255"],
    ["unspecified v6", "::"],
    ["loopback v6", "::1"],
    ["IPv4-mapped loopback", "::ffff:127.0.0.1"],
    ["IPv4-mapped, hex", "::ffff:7f00:1"],
    ["IPv4-mapped public is still a translated form", "::ffff:8.8.8.8"],
    ["IPv4-translated (SIIT)", "::ffff:0:7f00:1"],
    ["IPv4-translated public", "::ffff:0:808:808"],
    ["IPv4-compatible", "::7f00:1"],
    ["IPv4-compatible public", "::808:808"],
    ["NAT64 well-known prefix", "64:ff9b::7f00:1"],
    ["NAT64 well-known prefix, public v4", "64:ff9b::808:808"],
    ["NAT64 local-use prefix", "64:ff9b:1::1"],
    ["discard-only", "100::1"],
    ["dummy prefix", "100:0:0:1::1"],
    ["Teredo", "2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    ["IETF protocol assignments v6", "2001:2::1"],
    ["ORCHIDv2", "2001:20::1"],
    ["documentation v6", "2001:db8::1"],
    ["6to4 embedding loopback", "2002:7f00:1::1"],
    ["6to4 embedding a private address", "2002:c0a8:101::1"],
    ["6to4 embedding metadata", "2002:a9fe:a9fe::"],
    ["AS112 v6", "2620:4f:8000::1"],
    ["documentation 3fff::/20", "3fff::1"],
    ["SRv6 SIDs", "5f00::1"],
    ["unique local", "fd12::1"],
    ["link-local v6", "fe80::1"],
    ["link-local v6 with a zone", "fe80::1%eth0"],
    ["site-local (deprecated)", "fec0::1"],
    ["multicast v6", "ff02::1"],
  ])("%s: %s is refused", (_what, a) => {
    expect(isPrivateAddress(a, [])).toBe(true);
  });
  it.each(["93.184.216.34", "172.32.0.1", "8.8.8.8", "100.128.0.1", "198.20.0.1", "2606:4700::1111", "2a00:1450:4001::1", "2002:808:808::1"])(
    "%s is public",
    (a) => {
      expect(isPrivateAddress(a, [])).toBe(false);
    },
  );
  it("refuses the host's own addresses, in any form", () => {
    expect(isPrivateAddress("93.184.216.34", ["93.184.216.34"])).toBe(true);
    expect(isPrivateAddress("::ffff:93.184.216.34", ["93.184.216.34"])).toBe(true);
    expect(isPrivateAddress("2a00:1450:4001::1", ["2a00:1450:4001:0:0:0:0:1"])).toBe(true);
    // By default the list comes from this machine's interfaces.
    for (const own of Object.values(os.networkInterfaces()).flat()) if (own) expect(isPrivateAddress(own.address)).toBe(true);
  });
});

describe("checkDestination", () => {
  const noDns = fakeDns({});
  it("refuses loopback literals 127.0.0.1 and ::1", async () => {
    await expect(checkDestination("http://127.0.0.1:9000/hook", EMPTY_ALLOW_LIST, noDns)).rejects.toThrow(/loopback, link-local, private/);
    await expect(checkDestination("http://[::1]:9000/hook", EMPTY_ALLOW_LIST, noDns)).rejects.toThrow(/private/);
    await expect(checkDestination("http://[::ffff:127.0.0.1]/", EMPTY_ALLOW_LIST, noDns)).rejects.toThrow(/private/);
  });
  it("refuses the cloud metadata address, also written in decimal", async () => {
    await expect(checkDestination("http://169.254.169.254/latest/meta-data/", EMPTY_ALLOW_LIST, noDns)).rejects.toThrow(/private/);
    await expect(checkDestination("http://2852039166/", EMPTY_ALLOW_LIST, noDns)).rejects.toThrow(/169\.254\.169\.254.*private|private/);
  });
  it("refuses a DNS name resolving to a private address, even when another answer is public", async () => {
    const dns = fakeDns({ "hooks.example.com": ["10.0.0.7"], "mixed.example.com": ["93.184.216.34", "10.0.0.8"] });
    await expect(checkDestination("https://hooks.example.com/x", EMPTY_ALLOW_LIST, dns)).rejects.toThrow("hooks.example.com resolves to 10.0.0.7");
    await expect(checkDestination("https://mixed.example.com/x", EMPTY_ALLOW_LIST, dns)).rejects.toThrow("resolves to 10.0.0.8");
  });
  it("accepts a public name and returns the address to pin", async () => {
    const d = await checkDestination("https://hooks.example.com/x", EMPTY_ALLOW_LIST, fakeDns({ "hooks.example.com": ["93.184.216.34"] }));
    expect(d.addresses).toEqual([{ address: "93.184.216.34", family: 4 }]);
  });
  it("refuses other schemes and credentials in the URL", async () => {
    await expect(checkDestination("ftp://example.com/", EMPTY_ALLOW_LIST, noDns)).rejects.toThrow(/Only http and https/);
    await expect(checkDestination("file:///etc/passwd", EMPTY_ALLOW_LIST, noDns)).rejects.toThrow(/Only http and https/);
    await expect(checkDestination("https://user:pw@example.com/", EMPTY_ALLOW_LIST, noDns)).rejects.toThrow(/no credentials/);
  });
  it("accepts private addresses the allow-list names, by range or by host", async () => {
    const dns = fakeDns({ "hooks.internal": ["10.20.1.5"] });
    await expect(checkDestination("http://127.0.0.1:9000/", buildAllowList([normaliseAllowEntry("127.0.0.1")]), dns)).resolves.toMatchObject({
      host: "127.0.0.1",
    });
    await expect(checkDestination("http://hooks.internal/", buildAllowList([normaliseAllowEntry("10.20.0.0/16")]), dns)).resolves.toBeTruthy();
    await expect(checkDestination("http://hooks.internal/", buildAllowList([normaliseAllowEntry("hooks.internal")]), dns)).resolves.toBeTruthy();
    // Allowing one range does not open the others.
    await expect(checkDestination("http://169.254.169.254/", buildAllowList([normaliseAllowEntry("10.20.0.0/16")]), dns)).rejects.toThrow(/private/);
  });
  it("validates allow-list entries", () => {
    expect(normaliseAllowEntry(" Hooks.Internal ")).toBe("hooks.internal");
    expect(normaliseAllowEntry("::1")).toBe("::1/128");
    expect(() => normaliseAllowEntry("10.0.0.0/33")).toThrow(/prefix/);
    expect(() => normaliseAllowEntry("http://x/")).toThrow(/host name/);
  });
});

describe("postWebhook against a receiver on 127.0.0.1", () => {
  let server: http.Server;
  let base = "";
  const hits: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? "");
      if (req.url === "/redirect") {
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
        return;
      }
      res.writeHead(req.url === "/fail" ? 500 : 204).end(req.url === "/fail" ? "receiver broke" : undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const allowLoopback = buildAllowList(["127.0.0.1/32"]);

  it("refuses loopback without the allow-list and sends nothing", async () => {
    const before = hits.length;
    const r = await postWebhook(`${base}/ok`, "{}", {}, { allow: EMPTY_ALLOW_LIST });
    expect(r).toMatchObject({ ok: false, status: null });
    expect(r.error).toMatch(/^Refused: .*private/);
    expect(hits.length).toBe(before);
  });
  it("delivers to an allow-listed 127.0.0.1 receiver", async () => {
    expect(await postWebhook(`${base}/ok`, "{}", {}, { allow: allowLoopback })).toMatchObject({ ok: true, status: 204, error: null });
  });
  it("treats a 3xx as a failed delivery and does not follow it", async () => {
    const before = hits.length;
    const r = await postWebhook(`${base}/redirect`, "{}", {}, { allow: allowLoopback });
    expect(r.ok).toBe(false);
    expect(r.status).toBe(302);
    expect(r.error).toMatch(/Redirect to http:\/\/169\.254\.169\.254.* not followed/);
    expect(hits.length).toBe(before + 1);
  });
  it("connects to the validated address even when the name would resolve elsewhere later", async () => {
    let calls = 0;
    // First answer (checked) is the allowed receiver; a rebinding second answer would be the metadata address.
    const rebinding: Resolver = async () => [{ address: calls++ === 0 ? "127.0.0.1" : "169.254.169.254", family: 4 }];
    const port = new URL(base).port;
    const r = await postWebhook(`http://receiver.test:${port}/ok`, "{}", {}, { allow: buildAllowList(["receiver.test"]), resolver: rebinding });
    expect(r).toMatchObject({ ok: true, status: 204 });
    expect(calls).toBe(1);
  });
  it("reports the receiver's error status", async () => {
    // Only the status and a hash of the body: a receiver's error page can hold secrets we must not store or show.
    const hash = createHash("sha256").update("receiver broke").digest("hex");
    expect(await postWebhook(`${base}/fail`, "{}", {}, { allow: allowLoopback })).toMatchObject({
      ok: false,
      status: 500,
      error: `HTTP 500; response body sha256 ${hash} (14 bytes)`,
    });
  });
});
