// IP address helpers shared by the trusted-proxy check and the webhook SSRF guard: parsing, IPv4
// forms embedded in IPv6, and CIDR lists on node's BlockList.
import { BlockList, isIP } from "node:net";

/** Eight 16-bit groups of an IPv6 address, or null when it is not one. */
export function ipv6Groups(address: string): number[] | null {
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

/** Dotted IPv4 from two 16-bit groups. */
export function ipv4FromGroups(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export type Family = 4 | 6;
export type Address = { address: string; family: Family };

/**
 * The address as the kernel would route it: IPv4-mapped (::ffff:a.b.c.d, also written ::ffff:7f00:1)
 * and IPv4-compatible (::a.b.c.d) IPv6 addresses are their IPv4 address. Zone ids are dropped.
 */
export function canonicalAddress(address: string): Address {
  const g = ipv6Groups(address);
  if (!g) return { address, family: 4 };
  const zeros = g.slice(0, 5).every((x) => x === 0);
  const mapped = zeros && g[5] === 0xffff;
  const compatible = zeros && g[5] === 0 && (g[6] !== 0 || g[7] > 1);
  if (mapped || compatible) return { address: ipv4FromGroups(g[6], g[7]), family: 4 };
  return { address: address.split("%")[0], family: 6 };
}

/** Parses "a.b.c.d/n", "v6::/n" or a bare address (a /32 or /128); null when malformed. */
export function parseCidr(raw: string): { address: string; prefix: number; family: Family } | null {
  const entry = raw.trim().replace(/^\[|\]$/g, "");
  const [addr, prefix, extra] = entry.split("/");
  const family = isIP(addr);
  if (!family || extra !== undefined) return null;
  const max = family === 6 ? 128 : 32;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return null;
  const p = prefix === undefined ? max : Number(prefix);
  if (p > max) return null;
  return { address: addr, prefix: p, family: family === 6 ? 6 : 4 };
}

/** A BlockList of CIDRs where IPv4-mapped IPv6 ranges are stored as their IPv4 range. */
export function cidrList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const e of entries) {
    const c = parseCidr(e);
    if (!c) throw new Error(`${e} is not an IP address or CIDR range`);
    const canon = canonicalAddress(c.address);
    // ::ffff:10.0.0.0/104 is 10.0.0.0/8 once mapped addresses are compared as IPv4.
    if (canon.family === 4) list.addSubnet(canon.address, Math.max(0, c.prefix - (c.family === 6 ? 96 : 0)), "ipv4");
    else list.addSubnet(canon.address, c.prefix, "ipv6");
  }
  return list;
}

/** Whether `address` (any form) falls in the list, comparing mapped IPv6 forms as IPv4. */
export function inCidrList(list: BlockList, address: string): boolean {
  if (!isIP(address.split("%")[0])) return false;
  const c = canonicalAddress(address);
  return list.check(c.address, c.family === 6 ? "ipv6" : "ipv4");
}
