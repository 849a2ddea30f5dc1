// Experiment tracking input schemas: shared by the MLflow door, tRPC and the seed. Limits are MLflow's.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";

export const LIMITS = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  itemsPerBatch: 1000,
  batchBodyBytes: 1_000_000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentNameLength: 500,
  searchRunsMax: 50_000,
  historyPageMax: 25_000,
  searchExperimentsMax: 50_000,
} as const;

/** Each filter condition is a correlated subquery: the count, not the characters, bounds a search's cost. */
export const MAX_FILTER_CONDITIONS = 50;
/** Each metric, param or tag order_by key adds a join. */
export const MAX_ORDER_BY_TERMS = 10;

export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export const VIEW_TYPES = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;

/** Metric, param and tag names, as MLflow allows them. */
export const ZEntityKey = z
  .string()
  .min(1, "A key cannot be empty")
  .max(LIMITS.keyLength, `A key is at most ${LIMITS.keyLength} characters`)
  .regex(/^[\w.\- /]+$/, "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ) and slashes (/)")
  .refine((k) => !k.split("/").includes("..") && !k.startsWith("/"), "Names may not contain '..' path segments or start with '/'");

export const ZExperimentId = z.string().regex(/^\d{1,18}$/, 'An experiment id is a string of digits such as "0"');
export const ZRunId = z.string().min(1).max(256);
/** int64 fields arrive as JSON numbers (or decimal strings from query strings); fractions are refused. */
export const ZInt64 = z.number().int("Must be an integer").min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
/** A double that may be NaN or ±Infinity: protobuf JSON sends those as strings. */
export const ZMetricValue = z.union([
  z.custom<number>((v) => typeof v === "number", 'A metric value must be a number (or "NaN", "Infinity", "-Infinity")'),
  z.enum(["NaN", "Infinity", "-Infinity"]).transform((s) => (s === "NaN" ? NaN : s === "Infinity" ? Infinity : -Infinity)),
]);

export const ZTagInput = z.strictObject({
  key: ZEntityKey,
  value: z.string().max(LIMITS.tagValueLength, `A tag value is at most ${LIMITS.tagValueLength} characters`),
});
export const ZParamInput = z.strictObject({
  key: ZEntityKey,
  value: z.string({ error: "A param value must be a string" }).max(LIMITS.paramValueLength, `A param value is at most ${LIMITS.paramValueLength} characters`),
});
export const ZMetricInput = z.strictObject({
  key: ZEntityKey,
  value: ZMetricValue,
  timestamp: ZInt64,
  step: ZInt64.default(0),
});
export type TMetricInput = z.input<typeof ZMetricInput>;

export const ZCreateExperiment = z.strictObject({
  name: z.string().trim().min(1, "An experiment needs a name").max(LIMITS.experimentNameLength),
  artifactLocation: z.string().max(2000).optional(),
  tags: z.array(ZTagInput).max(LIMITS.tagsPerBatch).default([]),
});
export type TCreateExperiment = z.input<typeof ZCreateExperiment>;

export const ZRenameExperiment = z.strictObject({
  experimentId: ZExperimentId,
  newName: z.string().trim().min(1).max(LIMITS.experimentNameLength),
});

export const ZSetExperimentTag = z.strictObject({ experimentId: ZExperimentId, key: ZEntityKey, value: z.string().max(LIMITS.tagValueLength) });

export const ZSearchExperiments = z.strictObject({
  viewType: z.enum(VIEW_TYPES).default("ACTIVE_ONLY"),
  maxResults: ZInt64.min(1).max(LIMITS.searchExperimentsMax).default(1000),
  filter: z.string().max(10_000).optional(),
  orderBy: z.array(z.string().max(500)).max(MAX_ORDER_BY_TERMS, `order_by may hold at most ${MAX_ORDER_BY_TERMS} terms`).default([]),
  pageToken: z.string().max(1000).optional(),
});
export type TSearchExperiments = z.input<typeof ZSearchExperiments>;

export const ZCreateRun = z.strictObject({
  experimentId: ZExperimentId.optional(),
  userId: z.string().max(256).optional(),
  runName: z.string().max(LIMITS.keyLength).optional(),
  startTime: ZInt64.optional(),
  tags: z.array(ZTagInput).max(LIMITS.tagsPerBatch).default([]),
});
export type TCreateRun = z.input<typeof ZCreateRun>;

export const ZUpdateRun = z.strictObject({
  runId: ZRunId,
  status: z.enum(RUN_STATUSES).optional(),
  endTime: ZInt64.optional(),
  runName: z.string().max(LIMITS.keyLength).optional(),
});
export type TUpdateRun = z.input<typeof ZUpdateRun>;

export const ZLogBatch = z
  .strictObject({
    runId: ZRunId,
    metrics: z.array(ZMetricInput).default([]),
    params: z.array(ZParamInput).default([]),
    tags: z.array(ZTagInput).default([]),
  })
  .superRefine((b, ctx) => {
    const over = (what: string, n: number, limit: number) =>
      ctx.addIssue({ code: "custom", message: `A batch holds at most ${limit} ${what}; this one has ${n}` });
    if (b.metrics.length > LIMITS.metricsPerBatch) over("metrics", b.metrics.length, LIMITS.metricsPerBatch);
    if (b.params.length > LIMITS.paramsPerBatch) over("params", b.params.length, LIMITS.paramsPerBatch);
    if (b.tags.length > LIMITS.tagsPerBatch) over("tags", b.tags.length, LIMITS.tagsPerBatch);
    const total = b.metrics.length + b.params.length + b.tags.length;
    if (total > LIMITS.itemsPerBatch) over("metrics, params and tags in total", total, LIMITS.itemsPerBatch);
  });
export type TLogBatch = z.input<typeof ZLogBatch>;

/** log-metric, log-parameter, set-tag: the run, and one item that logBatch's own item schema checks. */
export const ZSingleLog = z.looseObject({ runId: ZRunId });

export const ZDeleteTag = z.strictObject({ runId: ZRunId, key: z.string().min(1).max(LIMITS.keyLength) });

export const ZSearchRuns = z.strictObject({
  experimentIds: z.array(ZExperimentId).max(1000).default([]),
  filter: z.string().max(10_000).optional(),
  runViewType: z.enum(VIEW_TYPES).default("ACTIVE_ONLY"),
  maxResults: ZInt64.min(1).max(LIMITS.searchRunsMax).default(1000),
  orderBy: z.array(z.string().max(500)).max(MAX_ORDER_BY_TERMS, `order_by may hold at most ${MAX_ORDER_BY_TERMS} terms`).default([]),
  pageToken: z.string().max(1000).optional(),
});
export type TSearchRuns = z.input<typeof ZSearchRuns>;

export const ZGetMetricHistory = z.strictObject({
  runId: ZRunId,
  key: z.string().min(1).max(LIMITS.keyLength),
  maxResults: ZInt64.min(1).max(LIMITS.historyPageMax).default(LIMITS.historyPageMax),
  pageToken: z.string().max(1000).optional(),
});
export type TGetMetricHistory = z.input<typeof ZGetMetricHistory>;

// ---------------------------------------------------------------- browser (tRPC)

export const ZListExperiments = z.strictObject({
  q: z.string().max(200).optional(),
  includeArchived: z.boolean().default(false),
  limit: z.number().int().min(1).max(1000).default(200),
  offset: z.number().int().min(0).default(0),
});
export type TListExperiments = z.input<typeof ZListExperiments>;

export const ZRunColumns = z.strictObject({
  params: z.array(z.string().max(LIMITS.keyLength)).max(500).optional(),
  metrics: z.array(z.string().max(LIMITS.keyLength)).max(500).optional(),
  tags: z.array(z.string().max(LIMITS.keyLength)).max(500).optional(),
});

export const ZRunsTable = z.strictObject({
  experimentIds: z.array(ZExperimentId).min(1).max(100),
  filter: z.string().max(10_000).optional(),
  orderBy: z.array(z.string().max(500)).max(MAX_ORDER_BY_TERMS, `order_by may hold at most ${MAX_ORDER_BY_TERMS} terms`).default([]),
  includeDeleted: z.boolean().default(false),
  /** Which keys to return per run; a missing list means every key of that kind. */
  columns: ZRunColumns.default({}),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(10_000).default(500),
});
export type TRunsTable = z.input<typeof ZRunsTable>;

export const X_AXES = ["step", "relative", "wall"] as const;
export const ZMetricSeries = z.strictObject({
  runIds: z.array(ZRunId).min(1).max(200),
  key: z.string().min(1).max(LIMITS.keyLength),
  xAxis: z.enum(X_AXES).default("step"),
  /** Zoom: only points with x in [from, to] (step, ms since run start, or epoch ms). */
  range: z.strictObject({ from: z.number(), to: z.number() }).optional(),
  maxPoints: z.number().int().min(10).max(1500).default(1000),
});
export type TMetricSeries = z.input<typeof ZMetricSeries>;

export const ZKeysQuery = z.strictObject({
  experimentIds: z.array(ZExperimentId).min(1).max(100),
  q: z.string().max(LIMITS.keyLength).optional(),
  limit: z.number().int().min(1).max(20_000).default(5000),
});

/** Runs table "group by": one row per distinct param or tag value, with aggregates of a metric's latest value. */
export const ZRunGroups = z.strictObject({
  experimentIds: z.array(ZExperimentId).min(1).max(100),
  filter: z.string().max(10_000).optional(),
  by: z.strictObject({ kind: z.enum(["param", "tag"]), key: z.string().min(1).max(LIMITS.keyLength) }),
  metric: z.string().min(1).max(LIMITS.keyLength).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type TRunGroups = z.input<typeof ZRunGroups>;

/** A new model's name: it appears in `models:/<name>/<version>` URIs, so no slash and no control characters. */
export const ZNewModelName = z
  .string()
  .trim()
  .min(1, "Enter a name for the new model")
  .max(120, "Keep the model name to 120 characters")
  .regex(/^[^/\u0000-\u001f\u007f]+$/, "A model name cannot contain a slash or control characters (it is used in models:/<name>/<version>)");

export const ZRegisterArtifact = z.strictObject({
  runId: ZRunId,
  path: z.string().min(1).max(2000),
  model: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("existing"), slug: ZSlug }),
    z.strictObject({ kind: z.literal("new"), name: ZNewModelName }),
  ]),
  description: z.string().max(10_000).optional(),
});
export type TRegisterArtifact = z.infer<typeof ZRegisterArtifact>;

/** What the run page may register: a directory (a logged MLflow model) or a single .onnx file. */
export const registrableArtifact = (path: string, isDir: boolean) => isDir || /\.onnx$/i.test(path);
