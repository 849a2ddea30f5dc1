// Request ids: taken from the proxy-set header (or the caller's, if sane), else generated.
import { randomUUID } from "node:crypto";

export function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.-]{8,100}$/.test(given) ? given : randomUUID();
}
