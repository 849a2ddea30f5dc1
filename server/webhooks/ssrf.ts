// SSRF guard for webhook destinations: URL shape, resolved addresses against private ranges, and the admin allow-list.
import { promises as dns } from "node:dns";
import { BlockList, isIP } from "node:net";
import os from "node:os";
import { canonicalAddress, ipv4FromGroups, ipv6Groups } from "@/server/http/ip-address";
import { Invalid } from "@/server/errors";

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Resolves a host name to every address it has; injectable so tests need no real DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const all = await dns.lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

// Every range of the IANA IPv4 and IPv6 special-purpose address registries, plus multicast and
// the reserved tail: none of them is a place a webhook receiver legitimately lives.
const BLOCKED_V4 = [
  "0.0.0.0/8", // this network
  "10.0.0.0/8", // private
  "100.64.0.0/10", // shared address space (CGNAT)
  "127.0.0.0/8", // loopback
  "169.254.0.0/16", // link-local, cloud metadata
  "172.16.0.0/12", // private
  "192.0.0.0/24", // IETF protocol assignments (DS-Lite, NAT64 discovery, …)
  "192.0.2.0/24", // TEST-NET-1
  "192.31.196.0/24", // AS112
  "192.52.193.0/24", // AMT
  "192.88.99.0/24", // 6to4 relay anycast
  "192.168.0.0/16", // private
  "192.175.48.0/24", // AS112 direct delegation
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24", // TEST-NET-2
  "203.0.113.0/24", // TEST-NET-3
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, and 255.255.255.255
];
const BLOCKED_V6 = [
  "::/96", // unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d
  "::ffff:0:0/96", // IPv4-mapped
  "::ffff:0:0:0/96", // IPv4-translated (SIIT)
  "64:ff9b::/96", // NAT64 well-known prefix: reaches any IPv4 address through a translator
  "64:ff9b:1::/48", // NAT64 local-use
  "100::/64", // discard-only
  "100:0:0:1::/64", // dummy prefix
  "2001::/23", // IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID, AMT, AS112
  "2001:db8::/32", // documentation
  "2620:4f:8000::/48", // AS112
  "3fff::/20", // documentation
  "5f00::/16", // segment routing SIDs
  "fc00::/7", // unique local
  "fe80::/10", // link-local
  "fec0::/10", // site-local (deprecated, still routed by some stacks)
  "ff00::/8", // multicast
];
// Two lists: node's BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules, and
// ::ffff:0:0/96 is in the IPv6 list on purpose.
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const c of BLOCKED_V4) blockedV4.addSubnet(c.split("/")[0], Number(c.split("/")[1]), "ipv4");
for (const c of BLOCKED_V6) blockedV6.addSubnet(c.split("/")[0], Number(c.split("/")[1]), "ipv6");

export { canonicalAddress };

/** Every address of this machine's interfaces: a webhook must not call the portal (or its neighbours on the host) back. */
export function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address] : []));
}

function sameAddress(a: string, b: string): boolean {
  const x = canonicalAddress(a);
  const y = canonicalAddress(b);
  if (x.family !== y.family) return false;
  if (x.family === 4) return x.address === y.address;
  return ipv6Groups(x.address)?.join(":") === ipv6Groups(y.address)?.join(":");
}

/**
 * Whether `address` is somewhere a webhook must not go: any special-purpose range (the IPv4 inside a
 * 6to4 address meets the IPv4 rules), or one of `own` (this host's addresses by default).
 */
export function isPrivateAddress(address: string, own: readonly string[] = hostAddresses()): boolean {
  const bare = address.split("%")[0];
  const family = isIP(bare);
  if (!family) return true;
  if (own.some((o) => sameAddress(o.split("%")[0], bare))) return true;
  if (family === 4) return blockedV4.check(bare, "ipv4");
  if (blockedV6.check(bare, "ipv6")) return true;
  const g = ipv6Groups(bare)!;
  // 6to4 (2002::/16) carries a routable IPv4 address in its next 32 bits.
  if (g[0] === 0x2002) return blockedV4.check(ipv4FromGroups(g[1], g[2]), "ipv4");
  return false;
}

/** Admin allow-list: exact host names and CIDR ranges, parsed once per check. */
export type AllowList = { hosts: Set<string>; ranges: BlockList };

/** Validates one allow-list entry and returns its stored form (lower-case host, or CIDR with its prefix). */
export function normaliseAllowEntry(raw: string): string {
  const entry = raw
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  const [addr, prefix, extra] = entry.split("/");
  const family = isIP(addr);
  if (family && extra === undefined) {
    const max = family === 6 ? 128 : 32;
    const p = prefix === undefined ? max : Number(prefix);
    if (!Number.isInteger(p) || p < 0 || p > max || (prefix !== undefined && !/^\d+$/.test(prefix)))
      throw new Invalid(`${raw}: the prefix length must be 0 to ${max}`);
    return `${addr}/${p}`;
  }
  if (prefix !== undefined || !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(entry)) {
    throw new Invalid(`${raw}: write a host name (hooks.internal.example) or an address range (10.20.0.0/16, 127.0.0.1)`);
  }
  return entry;
}

export function buildAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const e of entries) {
    const [addr, prefix] = e.split("/");
    const family = isIP(addr);
    if (!family || prefix === undefined) {
      hosts.add(e);
      continue;
    }
    const c = canonicalAddress(addr);
    // ::ffff:10.0.0.0/104 is 10.0.0.0/8 once mapped addresses are compared as IPv4.
    if (c.family === 4) ranges.addSubnet(c.address, Math.max(0, Number(prefix) - (family === 6 ? 96 : 0)), "ipv4");
    else ranges.addSubnet(c.address, Number(prefix), "ipv6");
  }
  return { hosts, ranges };
}

export const EMPTY_ALLOW_LIST: AllowList = buildAllowList([]);

/** Shape checks that need no network: scheme, credentials, a host. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Invalid(`${raw} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Invalid(`Only http and https webhooks are allowed, not ${url.protocol.replace(/:$/, "")}`);
  if (url.username || url.password) throw new Invalid("Put no credentials in the webhook URL; receivers verify the X-Sentinel-Signature header instead");
  if (!url.hostname) throw new Invalid("The webhook URL has no host");
  return url;
}

export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

export type CheckedDestination = { url: URL; host: string; addresses: ResolvedAddress[] };

/**
 * Resolves the URL's host and refuses it when any address is private, loopback, link-local or
 * reserved, unless the allow-list names the host or every such address's range. The caller
 * connects to `addresses[0]` and nothing else (no second lookup for rebinding to exploit).
 */
export async function checkDestination(raw: string, allow: AllowList, resolver: Resolver = systemResolver): Promise<CheckedDestination> {
  const url = parseWebhookUrl(raw);
  const host = hostOf(url);
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await resolver(host);
    } catch (err) {
      throw new Invalid(`${host} does not resolve (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (!addresses.length) throw new Invalid(`${host} does not resolve to any address`);
  if (!allow.hosts.has(host)) {
    for (const a of addresses) {
      if (!isPrivateAddress(a.address)) continue;
      const c = canonicalAddress(a.address);
      if (allow.ranges.check(c.address, c.family === 6 ? "ipv6" : "ipv4")) continue;
      const what = host === a.address ? host : `${host} resolves to ${a.address}, which`;
      throw new Invalid(
        `${what} is a loopback, link-local, private or otherwise special-purpose address (or this host's own); an admin can allow it in the webhook allow-list`,
      );
    }
  }
  return { url, host, addresses };
}
