// Request ids on every request and response, and a same-origin check on state-changing requests
// that ride on cookies (CSRF). Authentication is decided by pages and handlers, never here.
import { NextResponse, type NextRequest } from "next/server";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function proxy(req: NextRequest) {
  const given = req.headers.get("x-request-id");
  const requestId = given && /^[\w.-]{8,100}$/.test(given) ? given : crypto.randomUUID();

  const hasCookie = req.cookies.getAll().some((c) => c.name.includes("next-auth"));
  const bearer = req.headers.has("authorization");
  if (!SAFE.has(req.method) && hasCookie && !bearer) {
    const origin = req.headers.get("origin");
    // next-auth's own forms carry a CSRF token; everything else must come from this origin.
    if (origin && origin !== req.nextUrl.origin && !isSameHost(origin, req)) {
      return new NextResponse(JSON.stringify({ code: "FORBIDDEN", detail: "Cross-site request refused", requestId }), {
        status: 403,
        headers: { "content-type": "application/problem+json", "x-request-id": requestId },
      });
    }
  }

  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("x-request-id", requestId);
  return res;
}

function isSameHost(origin: string, req: NextRequest): boolean {
  try {
    return new URL(origin).host === req.headers.get("host");
  } catch {
    return false;
  }
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|ort/).*)"],
};
