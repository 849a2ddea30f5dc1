// Request ids on every page request and response, the CSRF same-origin check on state-changing
// requests that ride on cookies, and each page's Content-Security-Policy with a fresh script nonce (Next
// reads the nonce from the request's CSP header and puts it on its own scripts; the root layout reads
// x-nonce, which also makes every page dynamically rendered). Authentication is decided by pages and
// handlers, never here.
// REST (/api/v1, /api/2.0, MLflow's /ajax-api/2.0 and /get-artifact) is left out: large uploads must stream past untouched, and the REST
// door sets request ids and checks CSRF itself.
import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageCsp } from "@/server/http/csp";
import { isCrossSiteCookieRequest } from "@/server/http/csrf";

export function proxy(req: NextRequest) {
  const given = req.headers.get("x-request-id");
  const requestId = given && /^[\w.-]{8,100}$/.test(given) ? given : crypto.randomUUID();
  if (isCrossSiteCookieRequest(req)) {
    return new NextResponse(JSON.stringify({ code: "FORBIDDEN", detail: "Cross-site request refused", requestId }), {
      status: 403,
      headers: { "content-type": "application/problem+json", "x-request-id": requestId },
    });
  }
  const nonce = newNonce();
  const csp = pageCsp(nonce, req.nextUrl.pathname, process.env.NODE_ENV === "development");
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("x-request-id", requestId);
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|ort/|api/v1/|api/2\\.0/|ajax-api/2\\.0/|get-artifact).*)"],
};
