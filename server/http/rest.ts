// The REST door: authenticates (Bearer token or session), checks role and scope, parses the body
// with zod, maps errors to problem+json, logs and measures. Handlers only call services.
import { z } from "zod";
import type { Db } from "@/db/client";
import { roleAtLeast, SCOPES, type Actor, type Role, type Scope } from "@/server/auth/roles";
import { getSessionActor } from "@/server/auth/session";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { Forbidden, NotFound, Unauthorized } from "@/server/errors";
import { isCrossSiteCookieRequest } from "./csrf";
import { logger } from "@/server/log";
import { actorHasScope, authenticateToken } from "@/server/tokens/service";
import { readJson } from "./body";
import { observeRequest } from "./metrics";
import { problemFromError } from "./problem";
import { requestIdOf } from "./request-id";

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export type RestArgs<TBody> = {
  req: Request;
  db: Db;
  actor: Actor;
  body: TBody;
  params: Record<string, string>;
  requestId: string;
};

type RestOptions<S extends z.ZodType | undefined> = {
  /** Route pattern for metrics and logs, e.g. "/api/v1/models/[slug]". */
  route: string;
  scope?: Scope;
  role?: Role;
  body?: S;
  status?: number;
  /** Path parameters that name an entity by UUID, with its name: a malformed one is "not there" (404), like an unknown one. */
  ids?: Record<string, string>;
};

const ZPathId = z.uuid();

/** Bearer token if one is sent (a bad one is 401, never a fallback to the cookie), else the session. */
export async function authenticate(req: Request, db: Db, requestId: string): Promise<Actor | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = m ? await authenticateToken(db, m[1]) : null;
    if (!actor) throw new Unauthorized("The API token is invalid, expired or revoked");
    return { ...actor, requestId };
  }
  return getSessionActor(requestId);
}

export function authorize(actor: Actor, opts: { scope?: Scope; role?: Role }): void {
  if (opts.role && !roleAtLeast(actor.role, opts.role)) throw new Forbidden(`This needs the ${opts.role} role; you are a ${actor.role}`);
  if (opts.scope && !actorHasScope(actor, opts.scope)) {
    throw new Forbidden(
      actor.tokenId && roleAtLeast(actor.role, SCOPES[opts.scope]) ? `This token lacks the ${opts.scope} scope` : `A ${actor.role} cannot use ${opts.scope}`,
    );
  }
}

export function rest<S extends z.ZodType | undefined = undefined>(
  opts: RestOptions<S>,
  handler: (args: RestArgs<S extends z.ZodType ? z.infer<S> : undefined>) => Promise<unknown>,
) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    let response: Response;
    try {
      if (isCrossSiteCookieRequest(req)) throw new Forbidden("Cross-site request refused");
      const db = await getDb();
      const actor = await authenticate(req, db, requestId);
      if (!actor) throw new Unauthorized();
      authorize(actor, opts);
      const raw = await ctx.params;
      const params = Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
      const body = (opts.body ? opts.body.parse(await readJson(req, env.MAX_BODY_BYTES)) : undefined) as S extends z.ZodType ? z.infer<S> : undefined;
      for (const [name, entity] of Object.entries(opts.ids ?? {})) if (!ZPathId.safeParse(params[name]).success) throw new NotFound(entity);
      const result = await handler({ req, db, actor, body, params, requestId });
      response = result instanceof Response ? result : Response.json(result ?? {}, { status: opts.status ?? 200 });
      response.headers.set("x-request-id", requestId);
    } catch (err) {
      response = problemFromError(err, requestId);
    }
    const seconds = (performance.now() - started) / 1000;
    observeRequest(opts.route, req.method, response.status, seconds);
    logger.info({ requestId, method: req.method, route: opts.route, status: response.status, ms: Math.round(seconds * 1000) }, "request");
    return response;
  };
}
