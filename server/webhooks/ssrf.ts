// SSRF guard for webhook destinations: URL shape, resolved addresses against private ranges, and the admin allow-list.
import { promises as dns } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Invalid } from "@/server/errors";

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Resolves a host name to every address it has; injectable so tests need no real DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const all = await dns.lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Loopback, link-local (cloud metadata lives at 169.254.169.254), private, shared and reserved ranges. */
const BLOCKED_V4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];
const BLOCKED_V6: [string, number][] = [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
];
const blocked = new BlockList();
for (const [a, p] of BLOCKED_V4) blocked.addSubnet(a, p, "ipv4");
for (const [a, p] of BLOCKED_V6) blocked.addSubnet(a, p, "ipv6");

/** Eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let a = address.toLowerCase().split("%")[0];
  const dotted = a.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [w, x, y, z] = dotted[1].split(".").map(Number);
    a = a.slice(0, -dotted[1].length) + `${((w << 8) | x).toString(16)}:${((y << 8) | z).toString(16)}`;
  }
  const [head, tail] = a.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail ? tail.split(":") : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  return [...h, ...new Array<string>(fill).fill("0"), ...t].map((g) => parseInt(g, 16));
}

/**
 * The address as the kernel would route it: IPv4-mapped (::ffff:a.b.c.d, also written ::ffff:7f00:1)
 * and IPv4-compatible (::a.b.c.d) IPv6 addresses are their IPv4 address, so they meet the IPv4 rules.
 */
export function canonicalAddress(address: string): ResolvedAddress {
  const g = ipv6Groups(address);
  if (!g) return { address, family: 4 };
  const zeros = g.slice(0, 5).every((x) => x === 0);
  const mapped = zeros && g[5] === 0xffff;
  const compatible = zeros && g[5] === 0 && (g[6] !== 0 || g[7] > 1);
  if (mapped || compatible) return { address: `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`, family: 4 };
  return { address: address.split("%")[0], family: 6 };
}

export function isPrivateAddress(address: string): boolean {
  const c = canonicalAddress(address);
  return blocked.check(c.address, c.family === 6 ? "ipv6" : "ipv4");
}

/** Admin allow-list: exact host names and CIDR ranges, parsed once per check. */
export type AllowList = { hosts: Set<string>; ranges: BlockList };

/** Validates one allow-list entry and returns its stored form (lower-case host, or CIDR with its prefix). */
export function normaliseAllowEntry(raw: string): string {
  const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, "");
  const [addr, prefix, extra] = entry.split("/");
  const family = isIP(addr);
  if (family && extra === undefined) {
    const max = family === 6 ? 128 : 32;
    const p = prefix === undefined ? max : Number(prefix);
    if (!Number.isInteger(p) || p < 0 || p > max || (prefix !== undefined && !/^\d+$/.test(prefix))) throw new Invalid(`${raw}: the prefix length must be 0 to ${max}`);
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
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Invalid(`Only http and https webhooks are allowed, not ${url.protocol.replace(/:$/, "")}`);
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
      throw new Invalid(`${what} is a loopback, link-local or private address; an admin can allow it in the webhook allow-list`);
    }
  }
  return { url, host, addresses };
}
