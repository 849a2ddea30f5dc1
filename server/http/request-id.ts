// Request ids: taken from the proxy-set header (or the caller's, if sane), else generated.
import { randomUUID } from "node:crypto";
import { env } from "@/server/env";

export function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.-]{8,100}$/.test(given) ? given : randomUUID();
}

/**
 * The origin for absolute URLs in responses (download links, manifests): PUBLIC_URL, else NEXTAUTH_URL,
 * else the server's own URL. Never the Host or X-Forwarded-Host headers: a caller (or a proxy that
 * passes them through) could otherwise point a device's download at another site.
 */
export function publicOrigin(req: Request): string {
  const configured = env.PUBLIC_URL ?? env.NEXTAUTH_URL;
  return configured ? new URL(configured).origin : new URL(req.url).origin;
}
