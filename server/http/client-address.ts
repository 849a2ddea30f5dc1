// Who is calling: the immediate peer of the TCP connection, and, only when that peer is one of
// TRUSTED_PROXIES, the client address its X-Forwarded-For names. Anything else in X-Forwarded-*
// is the caller's own claim and changes nothing.
import http from "node:http";
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type { BlockList } from "node:net";
import { env } from "@/server/env";
import { cidrList, inCidrList } from "./ip-address";

// Next's route handlers never see the socket, and Next copies X-Forwarded-For from the request
// when one is sent (it only fills it in when absent), so the peer address is lost by the time a
// handler runs. The server stamps it on every request under a header name chosen at random per
// process: a client cannot guess it to forge one, and without the stamp the peer is unknown.
const g = globalThis as { __sentinelPeerHeader?: string; __sentinelPeerStamp?: boolean; __sentinelTrusted?: { key: string; list: BlockList } };
export const PEER_HEADER = (g.__sentinelPeerHeader ??= `x-sentinel-peer-${randomBytes(8).toString("hex")}`);

/** Stamps the socket's remote address on every incoming request of every HTTP server in this process. */
export function installPeerAddressStamp(): void {
  if (g.__sentinelPeerStamp) return;
  g.__sentinelPeerStamp = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    const req = args[0];
    if (event === "request" && req instanceof http.IncomingMessage) {
      const addr = req.socket?.remoteAddress;
      if (addr) req.headers[PEER_HEADER] = addr;
      else delete req.headers[PEER_HEADER];
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}

/** A fetch Request, its Headers, or Node's/next-auth's plain header record. */
export type HeaderSource = Request | Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Request) return source.headers.get(name);
  if (source instanceof Headers) return source.get(name);
  const v = source[name];
  return (Array.isArray(v) ? v.join(",") : v) ?? null;
}

function trustedProxies(): BlockList {
  // Rebuilt only when the setting changes (tests change it; a server never does).
  const key = env.TRUSTED_PROXIES.join(",");
  if (g.__sentinelTrusted?.key !== key) g.__sentinelTrusted = { key, list: cidrList(env.TRUSTED_PROXIES) };
  return g.__sentinelTrusted.list;
}

/** The immediate peer's address, or null when the server did not stamp it (fail closed). */
export function peerAddress(req: HeaderSource): string | null {
  const v = header(req, PEER_HEADER);
  return v && isIP(v) ? v : null;
}

function hopAddress(raw: string): string | null {
  const h = raw.trim();
  if (isIP(h)) return h;
  // "[v6]:port" or "v4:port", as some proxies write it.
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(h) ?? /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(h);
  return m && isIP(m[1]) ? m[1] : null;
}

/**
 * The client's address: the peer itself, unless the peer is a trusted proxy; then the right-most
 * X-Forwarded-For entry that is not a trusted proxy (entries left of it are the client's claims).
 * Null when unknown or malformed, which every caller treats as "not trusted".
 */
export function clientAddress(req: HeaderSource, trusted: BlockList = trustedProxies()): string | null {
  const peer = peerAddress(req);
  if (!peer || !inCidrList(trusted, peer)) return peer;
  const chain = (header(req, "x-forwarded-for") ?? "").split(",").filter((h) => h.trim());
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = hopAddress(chain[i]);
    if (!hop) return null;
    if (!inCidrList(trusted, hop) || i === 0) return hop;
  }
  return peer;
}

const LOOPBACK = cidrList(["127.0.0.0/8", "::1/128"]);
export function isLoopbackAddress(address: string | null): boolean {
  return address !== null && inCidrList(LOOPBACK, address);
}

/**
 * The host the client asked for as a trusted proxy reports it: the right-most X-Forwarded-Host entry (the one the
 * proxy next to us wrote), only when the immediate peer is in TRUSTED_PROXIES; else null (use Host).
 */
export function forwardedHost(req: HeaderSource, trusted: BlockList = trustedProxies()): string | null {
  const peer = peerAddress(req);
  if (!peer || !inCidrList(trusted, peer)) return null;
  const hosts = (header(req, "x-forwarded-host") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return hosts.at(-1)?.toLowerCase() ?? null;
}
