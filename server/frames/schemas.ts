// Sample-frame input schemas: shared by tRPC, REST, the upload form and the frames browser (client-safe: zod only).
import { z } from "zod";

/** The tags the generator uses and the browser offers as chips; uploads may add their own. */
export const FRAME_TAGS = ["day", "night", "rain", "glare", "tunnel", "blur", "obstruction", "highway", "urban"] as const;
export type FrameTag = (typeof FRAME_TAGS)[number];
export const FRAME_SOURCES = ["generated", "upload"] as const;

export const MAX_FRAME_BYTES = 20 * 1024 * 1024;
export const MAX_FRAME_SIDE = 8192;

export const ZFrameId = z.uuid("Not a frame id");

export const ZFrameTag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "Tags are short lowercase words such as night or rain");

/** Unique, sorted, at most 20. */
export const ZFrameTags = z
  .array(ZFrameTag)
  .max(20, "At most 20 tags")
  .transform((tags) => [...new Set(tags)].sort());

const coord = z.number().finite().min(0).max(MAX_FRAME_SIDE);

export const ZGroundTruthBox = z.strictObject({
  x: coord,
  y: coord,
  w: coord.positive(),
  h: coord.positive(),
  label: z.string().trim().min(1).max(64),
  text: z.string().max(200).optional(),
});

export const ZGroundTruth = z.strictObject({
  boxes: z.array(ZGroundTruthBox).max(500, "At most 500 boxes").optional(),
  texts: z.array(z.string().max(200)).max(500, "At most 500 texts").optional(),
  class: z.string().trim().min(1).max(64).optional(),
});
export type TGroundTruth = z.infer<typeof ZGroundTruth>;

/** The `metadata` part of an upload. */
export const ZFrameMetadata = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  tags: ZFrameTags.default([]),
  groundTruth: ZGroundTruth.nullable().optional(),
});
export type TFrameMetadata = z.input<typeof ZFrameMetadata>;

export const ZUpdateFrame = z
  .strictObject({
    name: z.string().trim().min(1).max(120).optional(),
    tags: ZFrameTags.optional(),
    groundTruth: ZGroundTruth.nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), "Nothing to update: send name, tags or groundTruth");
export type TUpdateFrame = z.input<typeof ZUpdateFrame>;

export const ZListFrames = z.strictObject({
  tags: z.array(ZFrameTag).max(20).default([]),
  /** `all`: frames carrying every tag; `any`: frames carrying at least one. */
  match: z.enum(["all", "any"]).default("all"),
  source: z.enum(FRAME_SOURCES).optional(),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(48),
});
export type TListFrames = z.input<typeof ZListFrames>;
