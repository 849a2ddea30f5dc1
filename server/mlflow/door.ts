// The MLflow-compatible door (/api/2.0/mlflow/... and /ajax-api/2.0/mlflow/...): finds the endpoint
// for a path in the tracking, artifact, dataset and registry tables and runs it through wire.ts.
import { ajaxHandlers, artifactHandlers, inputHandlers } from "./extra";
import { registryHandlers } from "./registry";
import { trackingHandlers } from "./tracking";
import { runEndpoint, type Endpoint } from "./wire";

const api: Record<string, Endpoint> = { ...trackingHandlers, ...artifactHandlers, ...inputHandlers, ...registryHandlers };
// Endpoints MLflow's server answers only under /ajax-api (the MLflow UI's own calls).
const ajax: Record<string, Endpoint> = { ...api, ...ajaxHandlers };

/** Every endpoint the door answers, as "METHOD path" (for docs and tests). */
export const mlflowEndpoints = () => Object.keys(api);

type RouteContext = { params: Promise<{ path?: string[] }> };

/**
 * Serves one MLflow endpoint from `table`: unknown paths answer 404 ENDPOINT_NOT_FOUND and a known
 * path with another method 405 with Allow, as MLflow's server does; then token authentication,
 * scope, MLflow's parameter rules, and the handler.
 */
export async function serveMlflow(req: Request, path: string, table: Record<string, Endpoint>, routePrefix: string): Promise<Response> {
  const endpoint = table[`${req.method} ${path}`];
  const allowed = Object.keys(table)
    .filter((k) => k.endsWith(` ${path}`))
    .map((k) => k.split(" ")[0]);
  return runEndpoint(req, { endpoint, allowed, route: `${routePrefix}/${path}`, rulesKey: path, unknownRoute: `${routePrefix}/[unknown]` });
}

/** The route handler under /api/2.0/mlflow/ (what the Python client calls). */
export async function mlflowRoute(req: Request, ctx: RouteContext): Promise<Response> {
  const path = ((await ctx.params).path ?? []).join("/");
  return serveMlflow(req, path, api, "/api/2.0/mlflow");
}

/** The route handler under /ajax-api/2.0/mlflow/: the same endpoints plus the UI-only ones. */
export async function mlflowAjaxRoute(req: Request, ctx: RouteContext): Promise<Response> {
  const path = ((await ctx.params).path ?? []).join("/");
  return serveMlflow(req, path, ajax, "/ajax-api/2.0/mlflow");
}

/**
 * Offers a door route to scripts/serve.mjs, which then answers bearer-token calls under `prefix` without Next's
 * router (scripts/direct-door.mjs says why), for the methods the route exports. Called by the route file itself when Next first loads it, so the
 * direct calls run in the very module instances Next's own calls use.
 */
export function offerDirectRoute(prefix: "/api/2.0/mlflow/" | "/ajax-api/2.0/mlflow/", methods: Record<string, typeof mlflowRoute>): void {
  const g = globalThis as { __sentinelDirectRoutes?: Record<string, Record<string, typeof mlflowRoute>> };
  (g.__sentinelDirectRoutes ??= {})[prefix] = methods;
}
