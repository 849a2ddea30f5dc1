// RFC 9457 problem+json responses; the REST door's single mapping of errors to HTTP.
import { ZodError } from "zod";
import { classifyError, DomainError, httpStatusFor, RETRY_AFTER_SECONDS } from "@/server/errors";
import { logger } from "@/server/log";

export function problem(status: number, code: string, detail: string, requestId: string, extra?: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: code, status, code, detail, requestId, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json", "x-request-id": requestId },
  });
}

export function problemFromError(raw: unknown, requestId: string): Response {
  const err = classifyError(raw);
  if (err instanceof DomainError) {
    const res = problem(httpStatusFor[err.code], err.code, err.message, requestId, err.details ? { details: err.details } : undefined);
    if (err.code === "UNAVAILABLE") {
      logger.warn({ err: raw, requestId }, "unavailable (database, or a file this replica cannot read); answered 503 with Retry-After");
      res.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
    }
    return res;
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const detail = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    return problem(400, "INVALID", detail, requestId, { issues });
  }
  logger.error({ err, requestId }, "unhandled error in REST handler");
  return problem(500, "INTERNAL", "Something went wrong on the server; quote the request id when reporting it", requestId);
}
