// CSRF: a state-changing request that rides on the session cookie must come from this origin.
// (next-auth's own forms also carry its CSRF token; Bearer-token calls carry no ambient credentials.)
// Behind a reverse proxy the Host header is often the internal name, so "this origin" is the configured public
// one (PUBLIC_URL, NEXTAUTH_URL) when set, besides the request's own host; a forwarded host counts only from a trusted
// proxy (a caller could otherwise name its own origin in X-Forwarded-Host).
import { env } from "@/server/env";
import { forwardedHost } from "./client-address";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origins a cookie-carrying write may come from, or null when none is configured. */
function configuredOrigins(): Set<string> | null {
  const set = new Set([env.PUBLIC_URL, env.NEXTAUTH_URL].filter((u): u is string => Boolean(u)).map((u) => new URL(u).origin));
  return set.size ? set : null;
}

export function isCrossSiteCookieRequest(req: Request): boolean {
  if (SAFE.has(req.method) || req.headers.has("authorization")) return false;
  const cookie = req.headers.get("cookie") ?? "";
  if (!cookie.includes("next-auth")) return false;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return true;
  }
  if (configuredOrigins()?.has(from.origin)) return false;
  // The name the browser reached this server by is same-origin too (a portal opened at 127.0.0.1 while NEXTAUTH_URL
  // says localhost): session cookies are per host, so another site's page never carries ours under its own name.
  return from.host.toLowerCase() !== (forwardedHost(req) ?? req.headers.get("host") ?? "").toLowerCase();
}
