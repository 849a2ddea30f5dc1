// Safety input schemas: evaluation posts, review queries, sign-offs and reviewer grants.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";

/** Event types the fleet's safety models report; an evaluation naming any other is refused. */
export const EVENT_TYPES = {
  "forward-collision-warning": "Forward collision warning",
  "pedestrian-warning": "Pedestrian warning",
  "distracted-driving": "Distracted driving",
  drowsiness: "Drowsiness",
  seatbelt: "Seatbelt",
  "rolling-stop": "Rolling stop",
  tailgating: "Tailgating",
  "lane-departure": "Lane departure",
  "phone-use": "Phone use",
  smoking: "Smoking",
  "harsh-braking": "Harsh braking",
} as const;
export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];
export function eventTypeLabel(t: string): string {
  return t in EVENT_TYPES ? EVENT_TYPES[t as EventType] : t;
}

/** Ways a dataset is cut; "all" is the whole dataset. */
export const SLICE_DIMENSIONS = {
  all: "All",
  time_of_day: "Time of day",
  weather: "Weather",
  region: "Region",
  camera_model: "Camera model",
} as const;
export type SliceDimension = keyof typeof SLICE_DIMENSIONS;
export const SLICE_DIMENSION_NAMES = Object.keys(SLICE_DIMENSIONS) as [SliceDimension, ...SliceDimension[]];

export const PERMISSIONS = ["safety_reviewer"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const count = z.number().int("a whole number").nonnegative("not negative").max(1_000_000_000);

const ZEventType = z.string().superRefine((t, ctx) => {
  if (!(t in EVENT_TYPES)) ctx.addIssue({ code: "custom", message: `Unknown event type "${t}"; known types: ${EVENT_TYPE_NAMES.join(", ")}` });
});

export const ZEvaluationRow = z.strictObject({
  eventType: ZEventType,
  slice: z
    .strictObject({
      dimension: z.enum(SLICE_DIMENSION_NAMES, { error: `Unknown slice dimension; use one of ${SLICE_DIMENSION_NAMES.join(", ")}` }),
      value: z
        .string()
        .trim()
        .toLowerCase()
        .min(1)
        .max(64)
        .regex(/^[a-z0-9][a-z0-9 _./-]*$/, "Use lowercase words such as night, rain, eu-west, cam-g3"),
    })
    .default({ dimension: "all", value: "all" }),
  tp: count,
  fp: count,
  fn: count,
  tn: count.nullable().optional(),
  /** Optional check values: when given, TP + FN must equal positives and FP + TN negatives. */
  positives: count.optional(),
  negatives: count.optional(),
  drivingHours: z.number().positive("more than zero").max(1e9).nullable().optional(),
});

const ZThreshold = z.number().min(0, "a score threshold in [0, 1]").max(1, "a score threshold in [0, 1]");

/** A score-threshold sweep on the whole dataset; checked against the event's whole-dataset row below. */
export const ZSweep = z.strictObject({
  eventType: ZEventType,
  points: z
    .array(z.strictObject({ threshold: ZThreshold, tp: count, fp: count, fn: count }))
    .min(2, "A sweep needs at least two thresholds")
    .max(1000)
    .superRefine((pts, ctx) => {
      pts.forEach((p, i) => {
        if (i === 0) return;
        const prev = pts[i - 1];
        if (p.threshold <= prev.threshold)
          ctx.addIssue({ code: "custom", path: [i, "threshold"], message: `Thresholds must ascend: ${p.threshold} follows ${prev.threshold}` });
        // Every threshold scores the same positives, so TP + FN is constant along the sweep.
        if (p.tp + p.fn !== prev.tp + prev.fn)
          ctx.addIssue({
            code: "custom",
            path: [i, "fn"],
            message: `TP + FN = ${p.tp + p.fn} but ${prev.tp + prev.fn} at threshold ${prev.threshold}; the positives do not change with the threshold`,
          });
        // A higher threshold can only drop detections.
        if (p.tp > prev.tp)
          ctx.addIssue({
            code: "custom",
            path: [i, "tp"],
            message: `TP rises from ${prev.tp} to ${p.tp} as the threshold rises; a higher threshold can only drop detections`,
          });
        if (p.fp > prev.fp)
          ctx.addIssue({
            code: "custom",
            path: [i, "fp"],
            message: `FP rises from ${prev.fp} to ${p.fp} as the threshold rises; a higher threshold can only drop detections`,
          });
      });
    }),
});

const ZLabel = z.string().trim().min(1).max(64);
/** A classifier's confusion matrix: matrix[i][j] counts items of true class labels[i] predicted as labels[j]. */
export const ZConfusionMatrix = z
  .strictObject({
    name: z.string().trim().min(1).max(100).default("classes"),
    labels: z.array(ZLabel).min(2, "At least two classes").max(50),
    matrix: z.array(z.array(count)).max(50),
  })
  .superRefine((c, ctx) => {
    const dup = c.labels.find((l, i) => c.labels.indexOf(l) !== i);
    if (dup) ctx.addIssue({ code: "custom", path: ["labels"], message: `Class "${dup}" is listed twice` });
    if (c.matrix.length !== c.labels.length)
      ctx.addIssue({ code: "custom", path: ["matrix"], message: `${c.labels.length} classes need ${c.labels.length} rows, got ${c.matrix.length}` });
    c.matrix.forEach((row, i) => {
      if (row.length !== c.labels.length)
        ctx.addIssue({
          code: "custom",
          path: ["matrix", i],
          message: `Row ${i} (${c.labels[i] ?? "?"}) has ${row.length} columns; ${c.labels.length} classes need ${c.labels.length}`,
        });
    });
  });

const px = z.number().nonnegative().max(100_000);
export const ZExample = z.strictObject({
  eventType: ZEventType,
  frameId: z.string().uuid("a frame id from the frame library"),
  outcome: z.enum(["fp", "fn"], { error: "fp (a false alert) or fn (a miss)" }),
  /** The false detection (fp) or the missed object (fn), in the frame's pixels. */
  box: z.strictObject({ x: px, y: px, w: px, h: px }).optional(),
});

export const ZPostEvaluation = z
  .strictObject({
    model: ZSlug,
    version: z.number().int().positive(),
    dataset: z.strictObject({ name: z.string().trim().min(1).max(200), version: z.string().trim().max(100).default("") }),
    source: z.string().trim().max(100).default("api"),
    notes: z.string().max(5000).default(""),
    results: z.array(ZEvaluationRow).min(1, "Send at least one result row").max(5000),
    /** Optional score-threshold sweeps per event type, for precision-recall curves. */
    sweeps: z.array(ZSweep).max(50).default([]),
    /** Optional confusion matrices, for classifier models. */
    confusionMatrices: z.array(ZConfusionMatrix).max(20).default([]),
    /** Optional frames (from the frame library) the version got wrong, per event type. */
    examples: z.array(ZExample).max(500).default([]),
  })
  .superRefine((ev, ctx) => {
    checkExtras(ev, ctx);
    const seen = new Map<string, number>();
    const overall = new Map<string, { tp: number; fp: number; fn: number }>();
    const sums = new Map<string, { tp: number; fp: number; fn: number; row: number }>();
    ev.results.forEach((r, i) => {
      const at = (field: string) => ["results", i, field];
      if (r.positives !== undefined && r.tp + r.fn !== r.positives) {
        ctx.addIssue({ code: "custom", path: at("fn"), message: `TP + FN = ${r.tp + r.fn} but positives = ${r.positives}` });
      }
      if (r.negatives !== undefined) {
        if (r.tn === undefined || r.tn === null) ctx.addIssue({ code: "custom", path: at("tn"), message: "negatives is given, so TN is needed too" });
        else if (r.fp + r.tn !== r.negatives)
          ctx.addIssue({ code: "custom", path: at("tn"), message: `FP + TN = ${r.fp + r.tn} but negatives = ${r.negatives}` });
      }
      if ((r.slice.dimension === "all") !== (r.slice.value === "all")) {
        ctx.addIssue({
          code: "custom",
          path: ["results", i, "slice"],
          message: 'The whole dataset is dimension "all" with value "all"; other slices need their own dimension',
        });
      }
      const key = `${r.eventType}|${r.slice.dimension}|${r.slice.value}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["results", i, "slice"],
          message: `Duplicates row ${first} (${r.eventType}, ${r.slice.dimension}=${r.slice.value})`,
        });
        return;
      }
      seen.set(key, i);
      if (r.slice.dimension === "all") overall.set(r.eventType, r);
      else {
        const k = `${r.eventType}|${r.slice.dimension}`;
        const s = sums.get(k) ?? { tp: 0, fp: 0, fn: 0, row: i };
        sums.set(k, { tp: s.tp + r.tp, fp: s.fp + r.fp, fn: s.fn + r.fn, row: i });
      }
    });
    for (const [k, s] of sums) {
      const [eventType, dimension] = k.split("|");
      const all = overall.get(eventType);
      if (!all) {
        ctx.addIssue({
          code: "custom",
          path: ["results", s.row, "eventType"],
          message: `${eventType} has slices but no whole-dataset row (slice dimension "all")`,
        });
        continue;
      }
      // Slices of one dimension partition the dataset (or part of it): they cannot add up to more than the whole.
      for (const f of ["tp", "fp", "fn"] as const) {
        if (s[f] > all[f]) {
          ctx.addIssue({
            code: "custom",
            path: ["results", s.row, f],
            message: `The ${dimension} slices of ${eventType} add up to ${f.toUpperCase()} = ${s[f]}, more than the whole dataset's ${all[f]}`,
          });
        }
      }
    }
  });
export type TPostEvaluation = z.input<typeof ZPostEvaluation>;

type PostedEvaluation = {
  results: { eventType: string; slice: { dimension: string }; tp: number; fp: number; fn: number }[];
  sweeps: z.output<typeof ZSweep>[];
  confusionMatrices: { name: string }[];
  examples: { eventType: string; frameId: string; outcome: string }[];
};

/** Sweeps must match their event's whole-dataset row; names and examples must not repeat. */
function checkExtras(ev: PostedEvaluation, ctx: z.RefinementCtx) {
  const whole = new Map(ev.results.filter((r) => r.slice.dimension === "all").map((r) => [r.eventType, r]));
  const swept = new Set<string>();
  ev.sweeps.forEach((s, i) => {
    if (swept.has(s.eventType)) ctx.addIssue({ code: "custom", path: ["sweeps", i, "eventType"], message: `A second sweep for ${s.eventType}` });
    swept.add(s.eventType);
    const all = whole.get(s.eventType);
    if (!all) {
      ctx.addIssue({ code: "custom", path: ["sweeps", i, "eventType"], message: `${s.eventType} has a sweep but no whole-dataset result row` });
      return;
    }
    const p = s.points[0];
    if (p && p.tp + p.fn !== all.tp + all.fn)
      ctx.addIssue({
        code: "custom",
        path: ["sweeps", i, "points", 0, "fn"],
        message: `TP + FN = ${p.tp + p.fn} but the whole-dataset row of ${s.eventType} has ${all.tp + all.fn} positives`,
      });
  });
  const names = new Set<string>();
  ev.confusionMatrices.forEach((c, i) => {
    if (names.has(c.name)) ctx.addIssue({ code: "custom", path: ["confusionMatrices", i, "name"], message: `A second confusion matrix named "${c.name}"` });
    names.add(c.name);
  });
  const examples = new Set<string>();
  ev.examples.forEach((e, i) => {
    const k = `${e.eventType}|${e.frameId}|${e.outcome}`;
    if (examples.has(k)) ctx.addIssue({ code: "custom", path: ["examples", i], message: "The same example twice" });
    examples.add(k);
    if (!whole.has(e.eventType))
      ctx.addIssue({ code: "custom", path: ["examples", i, "eventType"], message: `${e.eventType} has an example but no whole-dataset result row` });
  });
}

export const ZReviewQuery = z.strictObject({
  slug: ZSlug,
  candidate: z.number().int().positive(),
  /** Defaults to the dataset of the production version's latest evaluation. */
  dataset: z.string().max(200).optional(),
});
export type TReviewQuery = z.input<typeof ZReviewQuery>;

export const ZSignOff = z.strictObject({
  slug: ZSlug,
  version: z.number().int().positive(),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().trim().min(3, "Say why, in a few words").max(5000),
  dataset: z.string().max(200).optional(),
  /** The evaluations the reviewer was looking at; refused if newer numbers arrived since. */
  seen: z.strictObject({ candidateEvaluationId: z.string().uuid(), productionEvaluationId: z.string().uuid().nullable() }),
});
export type TSignOff = z.input<typeof ZSignOff>;

export const ZWithdrawSignOff = z.strictObject({
  slug: ZSlug,
  version: z.number().int().positive(),
  signOffId: z.string().uuid(),
  reason: z.string().trim().min(3, "Say why you withdraw it, in a few words").max(2000),
});
export type TWithdrawSignOff = z.input<typeof ZWithdrawSignOff>;

export const ZGrantPermission = z.strictObject({ userId: z.string().uuid(), permission: z.enum(PERMISSIONS) });
export type TGrantPermission = z.input<typeof ZGrantPermission>;

/**
 * A playground batch run saved as an evaluation: the model's output per frame, never totals. The
 * server matches each frame's output against the frame library's ground truth and counts TP/FP/FN.
 */
export const ZBatchEvaluation = z
  .strictObject({
    model: ZSlug,
    version: z.number().int().positive(),
    eventType: ZEventType,
    dataset: z.string().trim().min(1).max(200).default("playground"),
    /** For a classifier: the class that is the event (e.g. "phone"); any other predicted class is "no event". */
    positiveClass: ZLabel.optional(),
    frames: z
      .array(
        z.strictObject({
          frameId: z.string().uuid("a frame id from the frame library"),
          boxes: z
            .array(z.strictObject({ x: z.number(), y: z.number(), w: z.number().nonnegative(), h: z.number().nonnegative() }))
            .max(1000)
            .optional(),
          class: ZLabel.optional(),
        }),
      )
      .min(1, "Run the batch first: no frames")
      .max(2000),
  })
  .superRefine((b, ctx) => {
    const seen = new Map<string, number>();
    b.frames.forEach((f, i) => {
      const first = seen.get(f.frameId);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["frames", i, "frameId"], message: `Frame listed twice (also frames.${first})` });
      seen.set(f.frameId, i);
      if ((f.boxes === undefined) === (f.class === undefined))
        ctx.addIssue({ code: "custom", path: ["frames", i], message: "Give either boxes (a detector) or class (a classifier)" });
      if (f.class !== undefined && b.positiveClass === undefined)
        ctx.addIssue({ code: "custom", path: ["positiveClass"], message: "A classifier's batch needs the class that counts as the event" });
    });
  });
export type TBatchEvaluation = z.input<typeof ZBatchEvaluation>;
