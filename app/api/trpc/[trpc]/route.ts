import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getSessionActor } from "@/server/auth/session";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { classifyError, DomainError, RETRY_AFTER_SECONDS } from "@/server/errors";
import { problem } from "@/server/http/problem";
import { observeRequest } from "@/server/http/metrics";
import { requestIdOf } from "@/server/http/request-id";
import { appRouter } from "@/server/routers/_app";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  const started = performance.now();
  const requestId = requestIdOf(req);
  if (Number(req.headers.get("content-length") ?? 0) > env.MAX_BODY_BYTES) {
    return problem(413, "TOO_LARGE", `The request body is over the limit of ${env.MAX_BODY_BYTES} bytes`, requestId);
  }
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
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
  observeRequest("/api/trpc", req.method, res.status, (performance.now() - started) / 1000);
  return res;
}

export { handler as GET, handler as POST };
