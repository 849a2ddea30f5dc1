// tRPC context and procedures by role; domain errors become TRPCErrors here and nowhere else.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Db } from "@/db/client";
import { roleAtLeast, type Actor, type Role } from "@/server/auth/roles";
import { classifyError, DomainError, type DomainErrorCode } from "@/server/errors";
import { logger } from "@/server/log";

export type Context = { db: Db; actor: Actor | null; requestId: string };

const trpcCode: Record<DomainErrorCode, TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  INVALID: "BAD_REQUEST",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  UNAUTHORIZED: "UNAUTHORIZED",
  TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause.issues : null;
    // Internal errors keep their message in the log only.
    const message = error.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong on the server; the request id is in the logs" : shape.message;
    return { ...shape, message, data: { ...shape.data, stack: undefined, zodIssues: zod } };
  },
});

const mapErrors = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = classifyError(result.error.cause);
    if (cause instanceof DomainError) {
      throw new TRPCError({ code: trpcCode[cause.code], message: cause.message, cause });
    }
    // A service that parses its own input (as every service does, for the REST door) throws ZodError;
    // that is the caller's mistake, answered as REST answers it: 400 with the issues, not a masked 500.
    if (result.error.code === "INTERNAL_SERVER_ERROR" && cause instanceof ZodError) {
      const message = cause.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
      throw new TRPCError({ code: "BAD_REQUEST", message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      logger.error({ err: result.error.cause ?? result.error, path, requestId: ctx.requestId }, "trpc procedure failed");
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

function withRole(min: Role) {
  return publicProcedure.use(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
    if (!roleAtLeast(ctx.actor.role, min)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${min} role; you are a ${ctx.actor.role}` });
    }
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  });
}

export const viewerProcedure = withRole("viewer");
export const engineerProcedure = withRole("engineer");
export const adminProcedure = withRole("admin");
