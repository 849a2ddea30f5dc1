// Request ids: taken from the proxy-set header (or the caller's, if sane), else generated.
import { randomUUID } from "node:crypto";

export function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.-]{8,100}$/.test(given) ? given : randomUUID();
}

/** The origin the caller used (Host header), for absolute URLs in responses; Next's req.url says localhost. */
export function publicOrigin(req: Request): string {
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const proto = req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "");
  return host && /^[\w.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/i.test(host) ? `${proto === "https" ? "https" : "http"}://${host}` : new URL(req.url).origin;
}
