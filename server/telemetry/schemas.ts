// Telemetry input schemas: one pre-aggregated inference summary per model, target, cohort and window.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";
import { LATENCY_BUCKETS } from "@/server/telemetry/histogram";

/** Bounds on what one request may carry; the REST door also caps the body at MAX_BODY_BYTES. */
export const TELEMETRY_LIMITS = {
  summariesPerRequest: 500,
  features: 64,
  predictions: 16,
  bins: 100,
  categories: 200,
  sliceKeys: 8,
  eventTypes: 32,
  maxCount: 1_000_000_000,
  minWindowSeconds: 60,
  maxWindowSeconds: 86_400,
} as const;

const L = TELEMETRY_LIMITS;
const ZName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, "Use letters, digits and _ . : -");
const ZCount = z.number().int("Counts are whole numbers").nonnegative("Counts cannot be negative").max(L.maxCount);
const ZFinite = z.number().refine(Number.isFinite, "Must be a finite number");

const ZNumericSummary = z
  .strictObject({
    kind: z.literal("numeric"),
    edges: z
      .array(ZFinite)
      .min(2)
      .max(L.bins + 1),
    counts: z.array(ZCount).min(1).max(L.bins),
  })
  .superRefine((h, ctx) => {
    if (h.counts.length !== h.edges.length - 1)
      ctx.addIssue({ code: "custom", message: `counts needs ${h.edges.length - 1} entries (one per bin), got ${h.counts.length}` });
    for (let i = 1; i < h.edges.length; i++)
      if (!(h.edges[i] > h.edges[i - 1])) {
        ctx.addIssue({ code: "custom", path: ["edges", i], message: "Edges must be strictly ascending" });
        break;
      }
  });
const ZCategoricalSummary = z.strictObject({
  kind: z.literal("categorical"),
  counts: z.record(ZName, ZCount).refine((c) => Object.keys(c).length <= L.categories, `At most ${L.categories} categories`),
});
export const ZFeatureSummary = z.discriminatedUnion("kind", [ZNumericSummary, ZCategoricalSummary]);

const boundedRecord = <T extends z.ZodType>(value: T, max: number, what: string) =>
  z
    .record(ZName, value)
    .refine((r) => Object.keys(r).length <= max, `At most ${max} ${what}`)
    .default({});

export const ZTarget = z.enum(["device", "cloud-online", "cloud-batch"]);
export type TTarget = z.infer<typeof ZTarget>;

export const ZSummary = z
  .strictObject({
    idempotencyKey: z.string().min(8, "Use at least 8 characters (a UUID is ideal)").max(128),
    model: ZSlug,
    version: z.number().int().positive(),
    target: ZTarget,
    cohort: ZName.default("all"),
    slice: boundedRecord(z.string().max(64), L.sliceKeys, "slice keys"),
    windowStart: z.coerce.date(),
    windowSeconds: z.number().int().min(L.minWindowSeconds).max(L.maxWindowSeconds).default(300),
    requests: ZCount,
    errors: ZCount,
    latencyMs: z.strictObject({
      counts: z
        .array(ZCount)
        .length(LATENCY_BUCKETS, `latencyMs.counts must have ${LATENCY_BUCKETS} entries: the fixed buckets of GET /api/v1/telemetry/buckets`),
    }),
    features: boundedRecord(ZFeatureSummary, L.features, "features"),
    predictions: boundedRecord(ZFeatureSummary, L.predictions, "predictions"),
    outcomes: z
      .record(ZName, z.strictObject({ tp: ZCount, fp: ZCount, fn: ZCount }))
      .refine((r) => Object.keys(r).length <= L.eventTypes, `At most ${L.eventTypes} event types`)
      .optional(),
  })
  .superRefine((s, ctx) => {
    if (Number.isNaN(s.windowStart.getTime())) ctx.addIssue({ code: "custom", path: ["windowStart"], message: "Not a valid time" });
    if (s.errors > s.requests) ctx.addIssue({ code: "custom", path: ["errors"], message: "errors cannot exceed requests" });
    const latencyTotal = s.latencyMs.counts.reduce((a, b) => a + b, 0);
    if (latencyTotal > s.requests)
      ctx.addIssue({
        code: "custom",
        path: ["latencyMs"],
        message: `The latency histogram counts ${latencyTotal} requests, more than requests (${s.requests})`,
      });
  });
export type TSummary = z.input<typeof ZSummary>;
export type TSummaryParsed = z.output<typeof ZSummary>;

export const ZIngest = z.strictObject({
  summaries: z.array(ZSummary).min(1).max(L.summariesPerRequest, `At most ${L.summariesPerRequest} summaries per request`),
});
export type TIngest = z.input<typeof ZIngest>;
