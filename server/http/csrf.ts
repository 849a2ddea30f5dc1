// CSRF: a state-changing request that rides on the session cookie must come from this origin.
// (next-auth's own forms also carry its CSRF token; Bearer-token calls carry no ambient credentials.)
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSiteCookieRequest(req: Request): boolean {
  if (SAFE.has(req.method) || req.headers.has("authorization")) return false;
  const cookie = req.headers.get("cookie") ?? "";
  if (!cookie.includes("next-auth")) return false;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.headers.get("host");
  } catch {
    return true;
  }
}
