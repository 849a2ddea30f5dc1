// Registry input schemas: shared by tRPC, REST, MLflow mapping and forms.
import { z } from "zod";
import { CALIBRATION_FRAMES, QUANTIZATION_METHODS } from "@/lib/variants";
import { ZFrameTag } from "@/server/frames/schemas";

export const MODEL_TASKS = ["classification", "detection", "text-detection", "text-recognition", "segmentation", "regression", "llm", "other"] as const;
export const VERSION_STATUSES = ["draft", "candidate", "approved", "archived"] as const;

export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, "Use lowercase letters, digits and dashes (e.g. lane-detector)");
export const ZAlias = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9_-]*$/, "Aliases are lowercase words such as production, staging, champion");
const ZTagMap = z.record(z.string().trim().min(1).max(100), z.string().max(500)).refine((t) => Object.keys(t).length <= 50, "At most 50 tags");
export const ZTags = ZTagMap.default({});

export const ZCreateModel = z.strictObject({
  slug: ZSlug,
  name: z.string().trim().min(1).max(120),
  team: z.string().trim().min(1).max(64),
  task: z.enum(MODEL_TASKS),
  description: z.string().max(10_000).default(""),
  tags: ZTags,
});
export type TCreateModel = z.input<typeof ZCreateModel>;

/** The MLflow door's create: the name as MLflow takes it (the door checks MLflow's name rules and messages). */
export const ZCreateModelNamed = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

export const ZUpdateModel = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  team: z.string().trim().min(1).max(64).optional(),
  task: z.enum(MODEL_TASKS).optional(),
  description: z.string().max(10_000).optional(),
  // No default here: an update without tags must leave them alone.
  tags: ZTagMap.optional(),
});

export const ZDataset = z.strictObject({
  name: z.string().max(200),
  version: z.string().max(100).optional(),
  contentHash: z.string().max(200).optional(),
  rowCount: z.number().int().nonnegative().optional(),
});

export const ZLineage = z.strictObject({
  sourceRunId: z.string().max(200).optional(),
  /** The run id came from an MLflow client and names no run tracked here (MLflow keeps it as a plain string). */
  externalRun: z.boolean().optional(),
  sourceUri: z.string().max(2000).optional(),
  dataset: ZDataset.optional(),
  gitCommit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/i, "A git commit is 7 to 64 hex characters")
    .optional(),
  gitRepository: z.string().max(500).optional(),
  entryPoint: z.string().max(500).optional(),
});
export type TLineage = z.infer<typeof ZLineage>;

const ZPostprocess = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("softmax"), output: z.string().optional() }),
  z.strictObject({ kind: z.literal("sigmoid"), output: z.string().optional(), threshold: z.number().min(0).max(1).default(0.5) }),
  z.strictObject({
    kind: z.literal("boxes"),
    output: z.string().optional(),
    format: z.enum(["xyxy", "xywh", "cxcywh", "yolo"]),
    scoreThreshold: z.number().min(0).max(1).default(0.25),
    iouThreshold: z.number().min(0).max(1).default(0.45),
    maxDetections: z.number().int().min(1).max(1000).default(100),
  }),
  z.strictObject({
    /** Centre heatmaps (sigmoid, [1, C, H, W]) with box sizes in input pixels and centre offsets ([1, 2, H, W]), as CenterNet. */
    kind: z.literal("centernet"),
    heatmap: z.string().default("heatmap"),
    size: z.string().default("size"),
    offset: z.string().optional(),
    scoreThreshold: z.number().min(0).max(1).default(0.3),
    iouThreshold: z.number().min(0).max(1).default(0.5),
    maxDetections: z.number().int().min(1).max(1000).default(100),
  }),
  z.strictObject({
    kind: z.literal("db-text"),
    output: z.string().optional(),
    binaryThreshold: z.number().min(0).max(1).default(0.3),
    boxThreshold: z.number().min(0).max(1).default(0.6),
    unclipRatio: z.number().min(1).max(4).default(1.5),
  }),
  z.strictObject({ kind: z.literal("ctc-text"), output: z.string().optional(), blankIndex: z.number().int().min(0).default(0) }),
  z.strictObject({ kind: z.literal("segmentation"), output: z.string().optional() }),
  z.strictObject({ kind: z.literal("regression"), output: z.string().optional(), unit: z.string().max(40).optional() }),
  z.strictObject({ kind: z.literal("none") }),
]);

/** How any runtime feeds the model and reads its output. */
export const ZManifest = z.strictObject({
  input: z.strictObject({
    name: z.string().min(1).max(200),
    layout: z.enum(["NCHW", "NHWC"]),
    width: z.number().int().min(1).max(8192),
    height: z.number().int().min(1).max(8192),
    /** For models with a dynamic width (text recognisers): the input is resized to `height` keeping aspect, up to this width. */
    maxWidth: z.number().int().min(1).max(8192).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    colorOrder: z.enum(["RGB", "BGR"]).default("RGB"),
    resize: z.enum(["letterbox", "stretch"]).default("stretch"),
    scale: z
      .number()
      .positive()
      .default(1 / 255),
    mean: z.array(z.number()).min(1).max(3).default([0, 0, 0]),
    std: z.array(z.number().positive()).min(1).max(3).default([1, 1, 1]),
    /** What the model looks at: a whole camera frame (the default), or a crop another model cut out (text regions, faces); a crop model never runs on a whole frame. */
    subject: z.enum(["frame", "crop"]).optional(),
  }),
  labels: z.array(z.string().max(200)).max(100_000).default([]),
  postprocess: ZPostprocess,
});
export type TManifest = z.infer<typeof ZManifest>;

export const ZContract = z.strictObject({
  minOnnxRuntime: z
    .string()
    .regex(/^\d+\.\d+(\.\d+)?$/, "A version such as 1.17")
    .optional(),
  maxOpset: z.number().int().min(1).max(100).optional(),
  deviceClasses: z.array(z.string().max(64)).max(50).default([]),
  minFirmware: z.string().max(40).optional(),
});
export type TContract = z.infer<typeof ZContract>;

export const ZVersionMetadata = z.strictObject({
  description: z.string().max(10_000).default(""),
  tags: ZTags,
  status: z.enum(VERSION_STATUSES).default("draft"),
  lineage: ZLineage.default({}),
  parentVersion: z.number().int().positive().optional(),
  modelCard: z.string().max(200_000).optional(),
  manifest: ZManifest.optional(),
  contract: ZContract.optional(),
  metrics: z.record(z.string().max(200), z.number()).default({}),
  /** An external artifact instead of uploaded bytes (s3://, gs://, runs:/, mlflow-artifacts:/, https://). */
  artifactUri: z
    .string()
    .max(2000)
    .regex(
      /^(s3|gs|runs|models|mlflow-artifacts|https?|s?ftp|hdfs|dbfs|file):\/?\/?\S+$/i,
      "An artifact URI such as s3://bucket/model.onnx or runs:/<run id>/model",
    )
    .optional(),
});
export type TVersionMetadata = z.input<typeof ZVersionMetadata>;

export const ZUpdateVersion = z.strictObject({
  description: z.string().max(10_000).optional(),
  tags: ZTagMap.optional(),
  status: z.enum(VERSION_STATUSES).optional(),
  modelCard: z.string().max(200_000).optional(),
  manifest: ZManifest.optional(),
  contract: ZContract.optional(),
  lineage: ZLineage.optional(),
});
export type TUpdateVersion = z.input<typeof ZUpdateVersion>;

export const ZListModels = z.strictObject({
  q: z.string().max(200).optional(),
  team: z.string().max(64).optional(),
  task: z.enum(MODEL_TASKS).optional(),
  tag: z.string().max(100).optional(),
  alias: z.string().max(40).optional(),
  status: z.enum(VERSION_STATUSES).optional(),
  sort: z.enum(["updated", "name", "versions"]).default("updated"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TListModels = z.input<typeof ZListModels>;

export const ZSetAlias = z.strictObject({ version: z.coerce.number().int().positive() });

/** "Make an int8 variant"'s choice of method (the REST body; tRPC adds slug and version). Weight-only by default. */
export const ZMakeVariantBody = z.strictObject({
  method: z.enum(QUANTIZATION_METHODS).default("weight-only"),
  calibrationTag: ZFrameTag.optional(),
  calibrationFrames: z
    .number()
    .int()
    .min(1, "Calibrate on at least one frame")
    .max(CALIBRATION_FRAMES.max, `Calibrate on at most ${CALIBRATION_FRAMES.max} frames`)
    .optional(),
});

/** Static needs the frame-library tag its calibration frames carry; weight-only takes no calibration. */
export const ZMakeVariant = ZMakeVariantBody.extend({ slug: ZSlug, version: z.number().int().positive() }).superRefine((v, ctx) => {
  if (v.method === "static" && !v.calibrationTag)
    ctx.addIssue({ code: "custom", path: ["calibrationTag"], message: "A static variant needs the frame tag to calibrate on, such as fcw-calib-v1" });
  if (v.method === "weight-only" && (v.calibrationTag || v.calibrationFrames))
    ctx.addIssue({ code: "custom", path: ["method"], message: "Calibration frames are only used by the static method; choose static or leave them out" });
});
