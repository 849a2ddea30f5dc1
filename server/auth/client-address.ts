// The client's address for sign-in throttling and the session list.
// Next.js hides the socket from route handlers; `next start` copies the peer address into
// X-Forwarded-For only when the request has none (server/base-server.js). So the last entry is the
// peer when nobody relayed the request, and whatever the client or its proxies wrote otherwise.
// TODO(coordinator): unify with the TRUSTED_PROXIES-aware helper in server/http once it lands, so
// a client cannot pick its own throttling bucket by sending X-Forwarded-For.
import { isIP } from "node:net";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const v = source[name] ?? source[name.toLowerCase()];
  return Array.isArray(v) ? v.join(",") : v;
}

/** The nearest address in X-Forwarded-For, normalised (IPv4-mapped IPv6 as IPv4), or null. */
export function clientAddress(source: HeaderSource): string | null {
  const chain = header(source, "x-forwarded-for");
  if (!chain) return null;
  const last = chain.split(",").pop()?.trim() ?? "";
  const bare = last.replace(/^\[|\]$/g, "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(bare) ? bare : null;
}
