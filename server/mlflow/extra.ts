// The MLflow door's artifact, dataset, bulk-history and prompt-lab endpoints, and the artifact proxy
// (/api/2.0/mlflow-artifacts/artifacts/...) and /get-artifact routes. Handlers parse and call services.
import path from "node:path";
import { Readable } from "node:stream";
import { artifactStore } from "@/server/artifacts";
import { env } from "@/server/env";
import { Invalid } from "@/server/errors";
import { checkParams, MlflowHttpError } from "./contract";
import { readBodyText } from "@/server/http/body";
import { storedResponse } from "@/server/http/immutable";
import { searchDatasets, logInputs } from "@/server/experiments/datasets";
import {
  artifactFile,
  deleteArtifacts,
  listArtifactDir,
  listRunArtifacts,
  putArtifact,
  runArtifactFile,
  safeArtifactPath,
} from "@/server/experiments/artifacts";
import { BULK_LIMITS, metricHistoryBulk, metricHistoryBulkInterval, type MetricWithRun } from "@/server/experiments/metric-history";
import { jsonDouble, parseMlflowJson, runEndpoint, runJson, type Args, type Endpoint } from "./wire";
import { getRun, setRunTag } from "@/server/experiments/service";
import { createPromptlabRun } from "@/server/experiments/promptlab";

const runIdOf = (args: Args) => args.required("run_id", "run_uuid");

const MEDIA_TYPES: Record<string, string> = {
  ".txt": "text/plain",
  ".log": "text/plain",
  ".md": "text/markdown",
  ".json": "application/json",
  ".yaml": "text/plain",
  ".yml": "text/plain",
  ".csv": "text/csv",
  ".html": "text/plain",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "text/plain",
  ".onnx": "application/octet-stream",
};

/** A stored file as a streamed download (Range honoured when `req` is given); always an attachment, and HTML/SVG as text, so nothing runs on our origin. */
export function fileResponse(row: { path: string; sha256: string; sizeBytes: number }, opts: { inline?: boolean; req?: Request } = {}): Promise<Response> {
  const name = path.posix.basename(row.path);
  return storedResponse(opts.req ?? null, artifactStore, row.sha256, row.sizeBytes, {
    etag: `"${row.sha256}"`,
    "content-type": MEDIA_TYPES[path.posix.extname(name).toLowerCase()] ?? "application/octet-stream",
    "content-disposition": `${opts.inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(name)}`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  });
}

const fileInfoJson = (e: { path: string; isDir: boolean; size?: number }) => ({
  path: e.path,
  is_dir: e.isDir,
  ...(e.size !== undefined ? { file_size: e.size } : {}),
});

const bulkJson = (m: MetricWithRun) => ({ ...m, value: jsonDouble(m.value) });

/** Streams a request body into the artifact store, refusing early when Content-Length is over the limit. */
function bodyOf(req: Request, limit: number, tooLarge: string): AsyncIterable<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new Invalid(tooLarge);
  return (req.body ?? Readable.from([])) as AsyncIterable<Uint8Array>;
}

export const artifactHandlers: Record<string, Endpoint> = {
  "GET artifacts/list": {
    scope: "runs:read",
    handler: async ({ db, args }) => {
      const rel = args.str("path");
      if (rel !== undefined) safeArtifactPath(rel);
      const run = await getRun(db, runIdOf(args));
      const files = await listRunArtifacts(db, run.info, rel);
      return { root_uri: run.info.artifactUri, ...(files.length ? { files: files.map(fileInfoJson) } : {}) };
    },
  },
  "GET metrics/get-history-bulk-interval": {
    scope: "runs:read",
    handler: async ({ db, args }) => {
      const found = await metricHistoryBulkInterval(db, {
        runIds: args.strings("run_ids"),
        key: args.required("metric_key"),
        startStep: args.int("start_step"),
        endStep: args.int("end_step"),
        maxResults: args.int("max_results") ?? BULK_LIMITS.perRunInterval,
      });
      return { metrics: found.map(bulkJson) };
    },
  },
};

/** MLflow's run tag listing the models logged to a run (the client's log_model records one entry each). */
const LOGGED_MODELS_TAG = "mlflow.log-model.history";

export const inputHandlers: Record<string, Endpoint> = {
  "POST runs/log-model": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      const runId = runIdOf(args);
      let model: unknown;
      try {
        model = JSON.parse(args.required("model_json"));
      } catch {
        throw new Invalid("Argument 'model_json' must be a JSON object describing the model");
      }
      const run = await getRun(db, runId);
      const current = run.data.tags.find((t) => t.key === LOGGED_MODELS_TAG)?.value;
      let history: unknown[] = [];
      try {
        history = current ? (JSON.parse(current) as unknown[]) : [];
      } catch {
        history = [];
      }
      // Newest entries win when the tag would outgrow the tag value limit.
      let next = [...(Array.isArray(history) ? history : []), model];
      while (next.length > 1 && JSON.stringify(next).length > 8000) next = next.slice(1);
      await setRunTag(db, actor, { runId, key: LOGGED_MODELS_TAG, value: JSON.stringify(next) });
      return {};
    },
  },
  "POST runs/log-inputs": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await logInputs(db, actor, { runId: runIdOf(args), datasets: args.list("datasets") as never });
      return {};
    },
  },
};

/** What MLflow answers only under /ajax-api/2.0/mlflow (its UI's calls). */
export const ajaxHandlers: Record<string, Endpoint> = {
  "GET metrics/get-history-bulk": {
    scope: "runs:read",
    handler: async ({ db, args }) => {
      const found = await metricHistoryBulk(db, { runIds: args.strings("run_id"), key: args.str("metric_key"), maxResults: args.int("max_results") });
      return { metrics: found.map(bulkJson) };
    },
  },
  "POST experiments/search-datasets": {
    scope: "runs:read",
    handler: async ({ db, args }) => ({ dataset_summaries: await searchDatasets(db, args.all.experiment_ids) }),
  },
  "POST runs/create-promptlab-run": { scope: "runs:write", handler: promptlabRunEndpoint },
  "POST upload-artifact": {
    scope: "runs:write",
    rawBody: true,
    handler: async ({ db, actor, args, req }) => {
      const runId = args.str("run_uuid");
      if (!runId) throw new Invalid("Request must specify run_uuid.");
      const rel = args.str("path");
      if (!rel) throw new Invalid("Request must specify path.");
      const safe = safeArtifactPath(rel);
      const limit = Math.min(10 * 1024 * 1024, env.MAX_ARTIFACT_BYTES);
      const body = bodyOf(req, limit, "Artifact size is too large. Max size is 10MB.");
      if (!req.body || req.headers.get("content-length") === "0") throw new Invalid("Request must specify data.");
      const run = await getRun(db, runId);
      const root = run.info.artifactUri.startsWith("mlflow-artifacts:") ? run.info.artifactUri.replace(/^mlflow-artifacts:\/*/, "") : null;
      if (!root) throw new Invalid(`Run ${runId} keeps its artifacts at ${run.info.artifactUri}, which this server does not serve`);
      const saved = await putArtifact(db, artifactStore, actor, `${root}/${safe}`, body, limit);
      if (saved.size === 0) throw new Invalid("Request must specify data.");
      return {};
    },
  },
};

const argValue = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/** MLflow's prompt-lab run: a finished run holding the prompt, the model route and an evaluation table. */
async function promptlabRunEndpoint({ db, actor, args }: Parameters<Endpoint["handler"]>[0]) {
  const need = (name: string) => {
    const v = args.all[name];
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) throw new Invalid(`CreatePromptlabRun request must specify ${name}.`);
    return v;
  };
  const experimentId = String(need("experiment_id"));
  const promptTemplate = String(need("prompt_template"));
  const promptParameters = need("prompt_parameters") as { key?: unknown; value?: unknown }[];
  const modelRoute = String(need("model_route"));
  const modelInput = String(need("model_input"));
  need("mlflow_version");
  const list = (name: string) => (Array.isArray(args.all[name]) ? (args.all[name] as { key?: unknown; value?: unknown }[]) : []);
  const modelParameters = list("model_parameters").map((p) => ({ key: argValue(p.key), value: argValue(p.value) }));
  const outputParameters = list("model_output_parameters").map((p) => ({ key: argValue(p.key), value: argValue(p.value) }));
  const prompts = (Array.isArray(promptParameters) ? promptParameters : []).map((p) => ({ key: argValue(p.key), value: argValue(p.value) }));
  const modelOutput = args.all.model_output === undefined || args.all.model_output === null ? null : String(args.all.model_output);
  const run = await createPromptlabRun(db, artifactStore, actor, {
    experimentId,
    userId: args.str("user_id") ?? "unknown",
    runName: args.str("run_name") || undefined,
    startTime: args.int("start_time") ?? Date.now(),
    tags: args.keyValues("tags"),
    promptTemplate,
    promptParameters: prompts,
    modelRoute,
    modelParameters,
    modelInput,
    modelOutput,
    outputParameters,
  });
  return { run: runJson(run) };
}

// ---------------------------------------------------------------- the artifact proxy and /get-artifact

const PROXY_PREFIX = "/api/2.0/mlflow-artifacts/artifacts";

const proxyEndpoints = {
  list: {
    scope: "runs:read",
    handler: async ({ db, args }) => {
      const dir = args.str("path");
      const files = await listArtifactDir(db, dir === undefined ? "" : safeArtifactPath(dir));
      return files.length ? { files: files.map(fileInfoJson) } : {};
    },
  },
  download: { scope: "runs:read", handler: async ({ db, req }) => fileResponse(await artifactFile(db, proxyPathOf(req)), { req }) },
  upload: {
    scope: "runs:write",
    rawBody: true,
    handler: async ({ db, actor, req }) => {
      const limit = env.MAX_ARTIFACT_BYTES;
      await putArtifact(db, artifactStore, actor, proxyPathOf(req), bodyOf(req, limit, `The file is larger than the limit of ${limit} bytes`), limit);
      return {};
    },
  },
  remove: {
    scope: "runs:write",
    handler: async ({ db, actor, req }) => {
      await deleteArtifacts(db, actor, proxyPathOf(req));
      return {};
    },
  },
} satisfies Record<string, Endpoint>;

/** The artifact path from the raw URL (still percent-encoded, so the path rule sees every encoding). */
function proxyPathOf(req: Request): string {
  const pathname = new URL(req.url).pathname;
  const rest = pathname.slice(pathname.indexOf(PROXY_PREFIX) + PROXY_PREFIX.length).replace(/^\/+/, "");
  const safe = safeArtifactPath(rest);
  if (!safe) throw new Invalid("Invalid path");
  return safe;
}

/** GET (list or download), PUT (upload) and DELETE under /api/2.0/mlflow-artifacts/artifacts. */
export async function mlflowArtifactsRoute(req: Request): Promise<Response> {
  const pathname = new URL(req.url).pathname;
  const hasPath = pathname.slice(pathname.indexOf(PROXY_PREFIX) + PROXY_PREFIX.length).replace(/^\/+/, "") !== "";
  const endpoint = !hasPath
    ? req.method === "GET"
      ? proxyEndpoints.list
      : undefined
    : ({ GET: proxyEndpoints.download, PUT: proxyEndpoints.upload, DELETE: proxyEndpoints.remove } as Record<string, Endpoint>)[req.method];
  const allowed = hasPath ? ["GET", "PUT", "DELETE"] : ["GET"];
  return runEndpoint(req, {
    endpoint,
    allowed,
    route: `${PROXY_PREFIX}${hasPath ? "/[path]" : ""}`,
    rulesKey: "mlflow-artifacts",
    unknownRoute: `${PROXY_PREFIX}/[unknown]`,
  });
}

// ---------------------------------------------------------------- multipart upload (mpu)

const MPU_PREFIX = "/api/2.0/mlflow-artifacts/mpu";
type MpuOp = "create" | "complete" | "abort";
/** The parameters MLflow 2.12.2 checks on each, as its server answers them (upload_id's type is not checked). */
const MPU_RULES: Record<MpuOp, string> = {
  create: "mlflow-artifacts/mpu/create",
  complete: "mlflow-artifacts/mpu/complete",
  abort: "mlflow-artifacts/mpu/abort",
};
export const MPU_UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";

/**
 * MLflow's proxied multipart upload. A server whose artifact destination is a local directory (its
 * LocalArtifactRepository has no multipart support) answers 501 NOT_IMPLEMENTED with this message
 * after checking the path and the parameters; its client then falls back to one PUT. Sentinel's
 * store is content-addressed behind one streamed PUT, so it answers exactly that: no second protocol.
 */
function mpuEndpoint(op: MpuOp): Endpoint {
  return {
    scope: "runs:write",
    // The body is read here, after the path check, in MLflow's order: path, content type, parameters.
    rawBody: true,
    handler: async ({ req }) => {
      const pathname = new URL(req.url).pathname;
      const rest = pathname.slice(pathname.indexOf(MPU_PREFIX) + MPU_PREFIX.length + op.length + 1).replace(/^\/+/, "");
      safeArtifactPath(rest);
      if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
        throw new Invalid("Bad Request. Content-Type must be one of ['application/json'].");
      }
      let body: unknown = null;
      try {
        body = parseMlflowJson(await readBodyText(req, env.MAX_BODY_BYTES));
      } catch (e) {
        // MLflow reads the body with get_json(silent=True): malformed JSON counts as no parameters.
        if (!(e instanceof Invalid)) throw e;
      }
      checkParams(MPU_RULES[op], body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {}, false);
      throw new MlflowHttpError(501, "NOT_IMPLEMENTED", MPU_UNSUPPORTED);
    },
  };
}

/** POST /api/2.0/mlflow-artifacts/mpu/{create,complete,abort}/<path>. */
export async function mlflowMpuRoute(req: Request): Promise<Response> {
  const pathname = new URL(req.url).pathname;
  const m = /^\/(create|complete|abort)\/+(.+)$/.exec(pathname.slice(pathname.indexOf(MPU_PREFIX) + MPU_PREFIX.length));
  const op = m?.[1] as MpuOp | undefined;
  // Without an artifact path there is no such route in MLflow (404); with one, only POST (405).
  const endpoint = op && req.method === "POST" ? mpuEndpoint(op) : undefined;
  return runEndpoint(req, {
    endpoint,
    allowed: op ? ["POST"] : [],
    route: `${MPU_PREFIX}/${op ?? "[unknown]"}/[path]`,
    rulesKey: "mlflow-artifacts/mpu",
    unknownRoute: `${MPU_PREFIX}/[unknown]`,
  });
}

const getArtifactEndpoint: Endpoint = {
  scope: "runs:read",
  handler: async ({ db, args, req }) => {
    const rel = args.str("path");
    if (rel === undefined) throw new Invalid("Missing value for required parameter 'path'.");
    safeArtifactPath(rel);
    const run = await getRun(db, runIdOf(args));
    return fileResponse(await runArtifactFile(db, run.info, rel), { req });
  },
};

/** GET /get-artifact?run_id=&path= : one run artifact, as MLflow's server answers it. */
export function getArtifactRoute(req: Request): Promise<Response> {
  return runEndpoint(req, {
    endpoint: req.method === "GET" ? getArtifactEndpoint : undefined,
    allowed: ["GET"],
    route: "/get-artifact",
    rulesKey: "get-artifact",
    unknownRoute: "/get-artifact",
  });
}
