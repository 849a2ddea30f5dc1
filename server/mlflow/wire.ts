// The MLflow doors' shared wire layer: MLflow's JSON in (Args) and out (run and experiment shapes),
// bearer-token authentication, and the one mapping from errors to MLflow's `{error_code, message}`.
import { ZodError } from "zod";
import type { Db } from "@/db/client";
import type { Actor, Scope } from "@/server/auth/roles";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { Invalid, Unauthorized } from "@/server/errors";
import { readBodyText } from "@/server/http/body";
import { observeRequest } from "@/server/http/metrics";
import { requestIdOf } from "@/server/http/request-id";
import { authorize } from "@/server/http/rest";
import { authenticateTokenCached } from "@/server/tokens/service";
import { logger } from "@/server/log";
import { checkParams, MlflowHttpError, floatLike, intLike, invalidValue, missingValue, mlflowCodeOf } from "./contract";
import { runInputs, type DatasetInputView } from "@/server/experiments/datasets";
import { artifactLocationOf, type ExperimentView, type MetricPoint, type RunRow, type RunView } from "@/server/experiments/service";

// ---------------------------------------------------------------- errors, mapped once

export function mlflowError(status: number, errorCode: string, message: string, requestId?: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error_code: errorCode, message }), {
    status,
    headers: { "content-type": "application/json", ...headers, ...(requestId ? { "x-request-id": requestId } : {}) },
  });
}

/** The MLflow doors' single mapping from errors to `{error_code, message}` and HTTP status (table in contract.ts). */
export function mlflowErrorResponse(err: unknown, requestId: string): Response {
  const known = mlflowCodeOf(err);
  if (known) return mlflowError(known.status, known.code, known.message, requestId, known.headers);
  if (err instanceof ZodError) {
    const detail = err.issues.map((i) => (i.path.length ? `${i.path.map(snakeCase).join(".")}: ${i.message}` : i.message)).join("; ");
    return mlflowError(400, "INVALID_PARAMETER_VALUE", detail, requestId);
  }
  logger.error({ err, requestId }, "unhandled error in MLflow handler");
  return mlflowError(500, "INTERNAL_ERROR", `Something went wrong on the server; quote request id ${requestId} when reporting it`, requestId);
}

const snakeCase = (k: PropertyKey) => String(k).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// ---------------------------------------------------------------- request arguments

/** Protobuf JSON as Python writes it may carry bare NaN / Infinity tokens; read them as their string forms. */
export function parseMlflowJson(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (first) {
    const patched = text.replace(/("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g, (m, str: string | undefined, tok: string | undefined) => (str ? str : `"${tok}"`));
    try {
      return JSON.parse(patched);
    } catch {
      throw new Invalid(`Malformed JSON in the request body: ${(first as Error).message}`);
    }
  }
}

/** Arguments from the query string (GET) or the JSON body (other methods), with MLflow's messages. */
export class Args {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly fromQuery: boolean,
  ) {}

  static ofQuery(req: Request): Args {
    const sp = new URL(req.url).searchParams;
    const values: Record<string, unknown> = {};
    for (const k of new Set(sp.keys())) values[k] = sp.getAll(k);
    return new Args(values, true);
  }

  static async of(req: Request, bodyLimit: number): Promise<Args> {
    if (req.method === "GET" || req.method === "HEAD") return Args.ofQuery(req);
    const body = parseMlflowJson(await readBodyText(req, bodyLimit));
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new Invalid("The request body must be a JSON object");
    return new Args(body as Record<string, unknown>, false);
  }

  /** The raw value (the first, for repeated query keys), for a service's zod schema to check. */
  raw(name: string): unknown {
    const v = this.values[name];
    if (v === null) return undefined;
    return this.fromQuery && Array.isArray(v) ? v[0] : v;
  }

  str(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw invalidValue(name, v);
    return v;
  }

  required(name: string, ...alternates: string[]): string {
    for (const n of [name, ...alternates]) {
      const v = this.str(n);
      if (v !== undefined && v !== "") return v;
    }
    throw missingValue(name);
  }

  /** int64 as MLflow reads it (Python's int()): numbers, decimal strings; words are refused in MLflow's wording. */
  int(name: string): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const n = intLike(v);
    if (n === undefined || !Number.isSafeInteger(n)) throw invalidValue(name, v);
    return n;
  }

  /** A double as MLflow reads it (Python's float()); NaN and the infinities pass as their JSON strings. */
  float(name: string): unknown {
    const v = this.raw(name);
    if (v === undefined || typeof v === "number" || v === "NaN" || v === "Infinity" || v === "-Infinity") return v;
    const n = floatLike(v);
    if (n === undefined) throw invalidValue(name, v);
    return Number.isNaN(n) ? "NaN" : n === Infinity ? "Infinity" : n === -Infinity ? "-Infinity" : n;
  }

  /** Every value, for the parameter rules of contract.ts. */
  get all(): Record<string, unknown> {
    return this.values;
  }

  get isQuery(): boolean {
    return this.fromQuery;
  }

  list(name: string): unknown[] {
    const v = this.values[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw invalidValue(name, v);
    return v;
  }

  strings(name: string): string[] {
    return this.list(name).map((v) => {
      if (typeof v !== "string") throw invalidValue(name, this.values[name]);
      return v;
    });
  }

  /** [{key, value}] lists (tags, params), passed on field by field for the schema to check. */
  keyValues(name: string): { key: never; value: never }[] {
    return this.list(name).map((t) => {
      if (!t || typeof t !== "object") throw new Invalid(`Invalid entry ${JSON.stringify(t)} in '${name}': objects with key and value are expected`);
      const o = t as Record<string, never>;
      return { key: o.key, value: o.value };
    });
  }
}

// ---------------------------------------------------------------- responses in MLflow's shapes

/** Doubles in protobuf JSON: NaN and the infinities travel as strings. */
export function jsonDouble(v: number): number | string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return v;
}

export function experimentJson(e: ExperimentView) {
  return {
    experiment_id: String(e.id),
    name: e.name,
    artifact_location: artifactLocationOf(e),
    lifecycle_stage: e.lifecycleStage,
    creation_time: e.createdAt.getTime(),
    last_update_time: e.updatedAt.getTime(),
    tags: e.tags,
  };
}

export function runInfoJson(r: RunRow) {
  return {
    run_id: r.runId,
    run_uuid: r.runId,
    run_name: r.runName,
    experiment_id: String(r.experimentId),
    user_id: r.userId,
    status: r.status,
    start_time: r.startTime,
    ...(r.endTime !== null ? { end_time: r.endTime } : {}),
    artifact_uri: r.artifactUri,
    lifecycle_stage: r.lifecycleStage,
  };
}

export const metricJson = (m: MetricPoint) => ({ key: m.key, value: jsonDouble(m.value), timestamp: m.timestamp, step: m.step });

export function runJson(r: RunView, inputs: DatasetInputView[] = []) {
  return {
    info: runInfoJson(r.info),
    data: { metrics: r.data.metrics.map(metricJson), params: r.data.params, tags: r.data.tags },
    inputs: inputs.length ? { dataset_inputs: inputs } : {},
  };
}

/** Runs with their dataset inputs, in one extra query, made only when `withInputs` (if given) names some of them. */
export async function runsJson(db: Db, list: RunView[], withInputs?: Set<string>) {
  const ids = list.map((r) => r.info.runId).filter((id) => !withInputs || withInputs.has(id));
  const inputs = ids.length ? await runInputs(db, ids) : new Map<string, DatasetInputView[]>();
  return list.map((r) => runJson(r, inputs.get(r.info.runId)));
}

// ---------------------------------------------------------------- endpoints

export type HandlerArgs = { db: Db; actor: Actor; args: Args; req: Request };
export type Endpoint = {
  scope: Scope;
  handler: (a: HandlerArgs) => Promise<object | Response>;
  bodyLimit?: number;
  /** The handler reads the body itself (streamed uploads); arguments come from the query string. */
  rawBody?: boolean;
};

/**
 * The bearer token, through the short token cache (server/tokens/service.ts: revocation on this replica
 * takes effect at once, on others within TOKEN_CACHE_MS): a training job's calls come in bursts.
 */
async function authenticateBearer(req: Request, db: Db, requestId: string): Promise<Actor> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  const actor = m ? await authenticateTokenCached(db, m[1]) : null;
  if (!actor) throw new Unauthorized("The API token is invalid, expired or revoked");
  return { ...actor, requestId };
}

/** Runs one endpoint with the door's authentication, rules, error mapping, logging and metrics. */
export async function runEndpoint(
  req: Request,
  target: { endpoint: Endpoint | undefined; allowed: string[]; route: string; rulesKey: string; unknownRoute: string },
): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(req);
  const { endpoint } = target;
  const route = endpoint ? target.route : target.unknownRoute;
  let response: Response;
  try {
    if (!endpoint) {
      if (target.allowed.length) {
        throw new MlflowHttpError(
          405,
          "ENDPOINT_NOT_FOUND",
          `The method ${req.method} is not allowed for ${target.route}; use ${target.allowed.join(" or ")}`,
          { allow: target.allowed.join(", ") },
        );
      }
      throw new MlflowHttpError(404, "ENDPOINT_NOT_FOUND", `No MLflow endpoint ${target.route}`);
    }
    const db = await getDb();
    // Machines only: a bearer token is required (no cookie session, so no cross-site requests either).
    if (!req.headers.get("authorization")) throw new Unauthorized("Send a Sentinel API token as a bearer token: set MLFLOW_TRACKING_TOKEN");
    const actor = await authenticateBearer(req, db, requestId);
    authorize(actor, { scope: endpoint.scope });
    const args = endpoint.rawBody ? Args.ofQuery(req) : await Args.of(req, endpoint.bodyLimit ?? env.MAX_BODY_BYTES);
    checkParams(target.rulesKey, args.all, args.isQuery);
    const result = await endpoint.handler({ db, actor, args, req });
    response = result instanceof Response ? result : Response.json(result);
    response.headers.set("x-request-id", requestId);
  } catch (err) {
    response = mlflowErrorResponse(err, requestId);
  }
  const seconds = (performance.now() - started) / 1000;
  observeRequest(route, req.method, response.status, seconds);
  logger.info({ requestId, method: req.method, route, status: response.status, ms: Math.round(seconds * 1000) }, "request");
  return response;
}
