// MLflow's error contract in one table: how the MLflow doors (tracking, registry, artifacts) word
// parameter errors, which limits they enforce, which domain error becomes which MLflow code, and
// which artifact paths they refuse. The wording follows MLflow 2.12.2's server, checked side by side.
import { classifyError, DomainError, Invalid, RETRY_AFTER_SECONDS, type DomainErrorCode } from "@/server/errors";

export const MLFLOW_CODES: Record<DomainErrorCode, { code: string; status: number }> = {
  NOT_FOUND: { code: "RESOURCE_DOES_NOT_EXIST", status: 404 },
  CONFLICT: { code: "RESOURCE_ALREADY_EXISTS", status: 400 },
  INVALID: { code: "INVALID_PARAMETER_VALUE", status: 400 },
  TOO_LARGE: { code: "INVALID_PARAMETER_VALUE", status: 400 },
  PRECONDITION_FAILED: { code: "INVALID_STATE", status: 400 },
  FORBIDDEN: { code: "PERMISSION_DENIED", status: 403 },
  UNAUTHORIZED: { code: "UNAUTHENTICATED", status: 401 },
  UNAVAILABLE: { code: "TEMPORARILY_UNAVAILABLE", status: 503 },
};

/** An error that already carries MLflow's code and status (ENDPOINT_NOT_FOUND, 405 and the like). */
export class MlflowHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const API_DOCS = " See the API docs for more information about request parameters.";

/** How Python's str() prints a JSON value: MLflow's messages quote values that way. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  const repr = (x: unknown): string => (typeof x === "string" ? `'${x.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : pyStr(x));
  if (Array.isArray(v)) return `[${v.map(repr).join(", ")}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${repr(k)}: ${repr(x)}`)
    .join(", ")}}`;
}

function pyType(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  return Array.isArray(v) ? "list" : "dict";
}

/** MLflow's wording for a value of the wrong type (or out of a range it checks without a message). */
export function invalidValue(param: string, value: unknown): Invalid {
  return new Invalid(`Invalid value ${pyStr(value)} for parameter '${param}' supplied. Hint: Value was of type '${pyType(value)}'.${API_DOCS}`);
}

export function missingValue(param: string): Invalid {
  return new Invalid(`Missing value for required parameter '${param}'.${API_DOCS}`);
}

/** Python's int(x) on a JSON value: integers, floats (truncated), booleans and decimal strings. */
export function intLike(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && /^\s*[+-]?\d{1,16}\s*$/.test(v)) return Number(v);
  return undefined;
}

/** Python's float(x): numbers, booleans and numeric strings including nan and inf. */
export function floatLike(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "string") return undefined;
  const s = v.trim().toLowerCase();
  if (/^[+-]?nan$/.test(s)) return NaN;
  if (/^[+]?inf(inity)?$/.test(s)) return Infinity;
  if (/^-inf(inity)?$/.test(s)) return -Infinity;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) return Number(s);
  return undefined;
}

type Rule = "required" | "string" | "intlike" | "floatlike" | "array" | "stringItems" | "bool" | { max: number } | { range: [number, number]; message: string };

const RUN_ID: Rule[] = ["required", "string"];
const NAME: Rule[] = ["string", "required"];
const VERSION: Rule[] = ["string", "required"];

/**
 * Parameter rules per endpoint, as MLflow's server declares them. A parameter is checked when it is
 * present or required; the first failing rule answers.
 */
export const MLFLOW_PARAM_RULES: Record<string, Record<string, Rule[]>> = {
  "experiments/create": { name: ["required", "string"], artifact_location: ["string"], tags: ["array"] },
  "experiments/get": { experiment_id: ["required", "string"] },
  "experiments/get-by-name": { experiment_name: ["required", "string"] },
  "experiments/delete": { experiment_id: ["required", "string"] },
  "experiments/restore": { experiment_id: ["required", "string"] },
  "experiments/update": { experiment_id: ["required", "string"], new_name: ["string", "required"] },
  "experiments/search": { view_type: ["string"], max_results: ["intlike"], order_by: ["array"], filter: ["string"], page_token: ["string"] },
  "experiments/set-experiment-tag": { experiment_id: ["required", "string"], key: ["required", "string"], value: ["string"] },
  "runs/create": { experiment_id: ["string"], start_time: ["intlike"], run_name: ["string"] },
  "runs/update": { run_id: RUN_ID, end_time: ["intlike"], status: ["string"], run_name: ["string"] },
  "runs/delete": { run_id: RUN_ID },
  "runs/restore": { run_id: RUN_ID },
  "runs/get": { run_id: RUN_ID },
  "runs/log-metric": { run_id: RUN_ID, key: ["required", "string"], value: ["required", "floatlike"], timestamp: ["intlike", "required"], step: ["intlike"] },
  "runs/log-parameter": { run_id: RUN_ID, key: ["required", "string"], value: ["string"] },
  "runs/set-tag": { run_id: RUN_ID, key: ["required", "string"], value: ["string"] },
  "runs/delete-tag": { run_id: RUN_ID, key: ["required", "string"] },
  "runs/log-batch": { run_id: RUN_ID, metrics: ["array"], params: ["array"], tags: ["array"] },
  "runs/log-inputs": { run_id: RUN_ID, datasets: ["required", "array"] },
  "runs/log-model": { run_id: ["string", "required"], model_json: ["string", "required"] },
  "runs/search": {
    experiment_ids: ["array"],
    filter: ["string"],
    max_results: ["intlike", { max: 50_000 }],
    order_by: ["array", "stringItems"],
    page_token: ["string"],
  },
  "artifacts/list": { run_id: ["string", "required"], path: ["string"], page_token: ["string"] },
  "metrics/get-history": { run_id: ["string", "required"], metric_key: ["string", "required"] },
  "metrics/get-history-bulk-interval": {
    run_ids: [
      "required",
      "array",
      "stringItems",
      { range: [0, 100], message: "GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received {n} run_ids." },
    ],
    metric_key: ["required", "string"],
    start_step: ["intlike"],
    end_step: ["intlike"],
    max_results: ["intlike", { range: [1, 2500], message: "max_results must be between 1 and 2500." }],
  },
  "mlflow-artifacts/mpu/create": { path: ["required", "string"], num_parts: ["intlike"] },
  "mlflow-artifacts/mpu/complete": { path: ["required", "string"], parts: ["required"] },
  "mlflow-artifacts/mpu/abort": { path: ["required", "string"] },
  "registered-models/create": { name: NAME, tags: ["array"], description: ["string"] },
  "registered-models/get": { name: NAME },
  "registered-models/update": { name: NAME, description: ["string"] },
  "registered-models/rename": { name: NAME, new_name: ["string", "required"] },
  "registered-models/delete": { name: NAME },
  "registered-models/search": { filter: ["string"], max_results: ["intlike", { max: 1000 }], order_by: ["array", "stringItems"], page_token: ["string"] },
  "registered-models/get-latest-versions": { name: NAME, stages: ["array", "stringItems"] },
  "registered-models/set-tag": { name: NAME, key: ["string", "required"], value: ["string"] },
  "registered-models/delete-tag": { name: NAME, key: ["string", "required"] },
  "registered-models/alias": { name: NAME, alias: ["string", "required"] },
  "model-versions/create": { name: NAME, source: ["string", "required"], run_id: ["string"], tags: ["array"], run_link: ["string"], description: ["string"] },
  "model-versions/get": { name: NAME, version: VERSION },
  "model-versions/update": { name: NAME, version: VERSION, description: ["string"] },
  "model-versions/transition-stage": { name: NAME, version: VERSION, stage: ["string", "required"], archive_existing_versions: ["bool"] },
  "model-versions/delete": { name: NAME, version: VERSION },
  "model-versions/search": { filter: ["string"], max_results: ["intlike", { max: 200_000 }], order_by: ["array", "stringItems"], page_token: ["string"] },
  "model-versions/set-tag": { name: NAME, version: VERSION, key: ["string", "required"], value: ["string"] },
  "model-versions/delete-tag": { name: NAME, version: VERSION, key: ["string", "required"] },
  "model-versions/get-download-uri": { name: NAME, version: VERSION },
};

/** Endpoints whose list parameters arrive as repeated query keys on GET. */
const LIST_PARAMS = new Set(["experiment_ids", "order_by", "stages", "run_ids", "run_id", "tags", "metrics", "params", "datasets"]);

/**
 * Checks a request's parameters against the endpoint's rules. `values` holds the JSON body, or for
 * GET the query string (each key a list of strings; list parameters stay lists).
 */
export function checkParams(path: string, values: Record<string, unknown>, fromQuery: boolean): void {
  const rules = MLFLOW_PARAM_RULES[path];
  if (!rules) return;
  for (const [param, list] of Object.entries(rules)) {
    let value = values[param];
    if (param === "run_id" && (value === undefined || value === null)) value = values.run_uuid;
    if (fromQuery && Array.isArray(value) && !LIST_PARAMS.has(param)) value = value[0];
    if (fromQuery && param === "run_id" && Array.isArray(value)) value = value[0];
    const present = value !== undefined && value !== null;
    if (!present && !list.includes("required")) continue;
    // A missing value is reported as missing before any type rule (MLflow skips type rules when the
    // body parsed as its message, which is the case when a field is simply absent).
    if (list.includes("required") && (!present || value === "")) throw missingValue(param);
    for (const rule of list) {
      if (rule === "required") {
        continue;
      } else if (rule === "string") {
        if (typeof value !== "string") throw invalidValue(param, value);
      } else if (rule === "intlike") {
        if (intLike(value) === undefined) throw invalidValue(param, value);
      } else if (rule === "floatlike") {
        if (floatLike(value) === undefined) throw invalidValue(param, value);
      } else if (rule === "bool") {
        if (typeof value !== "boolean" && !(fromQuery && (value === "true" || value === "false"))) throw invalidValue(param, value);
      } else if (rule === "array") {
        if (!Array.isArray(value)) throw invalidValue(param, value);
      } else if (rule === "stringItems") {
        if (!Array.isArray(value) || value.some((x) => typeof x !== "string")) throw invalidValue(param, value);
      } else if ("max" in rule) {
        if ((intLike(value) ?? 0) > rule.max) throw invalidValue(param, value);
      } else {
        const n = Array.isArray(value) ? value.length : (intLike(value) ?? NaN);
        if (!(n >= rule.range[0] && n <= rule.range[1])) throw new Invalid(`${rule.message.replace("{n}", String(n))}${API_DOCS}`);
      }
    }
  }
}

/** The mapping from any thrown error to MLflow's status, code and message (unknown errors excluded). */
export function mlflowCodeOf(raw: unknown): { status: number; code: string; message: string; headers?: Record<string, string> } | null {
  if (raw instanceof MlflowHttpError) return { status: raw.status, code: raw.errorCode, message: raw.message, headers: raw.headers };
  const err = classifyError(raw);
  if (err instanceof DomainError) {
    const m = MLFLOW_CODES[err.code];
    // The MLflow client retries 503 with backoff; Retry-After tells it how long.
    return {
      status: m.status,
      code: m.code,
      message: err.message,
      ...(err.code === "UNAVAILABLE" ? { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } } : {}),
    };
  }
  return null;
}
