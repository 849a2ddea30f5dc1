import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPC_MAX_BATCH } from "@/lib/limits";
import { getSessionActor } from "@/server/auth/session";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { classifyError, DomainError, RETRY_AFTER_SECONDS } from "@/server/errors";
import { readBodyText } from "@/server/http/body";
import { problem, problemFromError } from "@/server/http/problem";
import { observeRequest } from "@/server/http/metrics";
import { requestIdOf } from "@/server/http/request-id";
import { appRouter } from "@/server/routers/_app";

export const dynamic = "force-dynamic";

/** Procedures named in the path ("a.b,c.d" when batched). */
function procedureCount(req: Request): number {
  const url = new URL(req.url);
  const path = url.pathname.replace(/^\/api\/trpc\/?/, "");
  return url.searchParams.get("batch") === "1" ? path.split(",").length : 1;
}

async function handler(req: Request) {
  const started = performance.now();
  const requestId = requestIdOf(req);
  const finish = (res: Response) => {
    observeRequest("/api/trpc", req.method, res.status, (performance.now() - started) / 1000);
    return res;
  };
  const count = procedureCount(req);
  if (count > TRPC_MAX_BATCH) {
    return finish(problem(400, "INVALID", `A batch may hold at most ${TRPC_MAX_BATCH} procedures; this one has ${count}`, requestId));
  }
  // The body is read here with a streamed byte count (a chunked body has no Content-Length to
  // trust), and only then handed to tRPC, so an oversized body is never parsed.
  let forward = req;
  if (req.method !== "GET" && req.method !== "HEAD") {
    let text: string;
    try {
      text = await readBodyText(req, env.MAX_BODY_BYTES);
    } catch (err) {
      return finish(problemFromError(err, requestId));
    }
    const headers = new Headers(req.headers);
    headers.delete("content-length");
    headers.delete("transfer-encoding");
    forward = new Request(req.url, { method: req.method, headers, body: text, signal: req.signal });
  }
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: forward,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH,
    createContext: async () => {
      try {
        return { db: await getDb(), actor: await getSessionActor(requestId), requestId };
      } catch (err) {
        // The database could not be opened or asked who is signed in: tell the page to retry, not that we broke.
        const e = classifyError(err);
        if (e instanceof DomainError && e.code === "UNAVAILABLE") throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: e.message, cause: err });
        throw err;
      }
    },
    responseMeta: ({ errors }) => ({
      headers: {
        "x-request-id": requestId,
        ...(errors.some((e) => e.code === "SERVICE_UNAVAILABLE") ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {}),
      },
    }),
  });
  return finish(res);
}

export { handler as GET, handler as POST };
