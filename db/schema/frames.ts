// Sample frames for the playground: images in the artifact store with tags and optional ground truth.
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";

export type FrameGroundTruth = {
  boxes?: { x: number; y: number; w: number; h: number; label: string; text?: string }[];
  texts?: string[];
  class?: string;
};

export const sampleFrames = pgTable(
  "sample_frames",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    sha256: text().notNull(),
    mediaType: text().notNull(),
    width: integer().notNull(),
    height: integer().notNull(),
    sizeBytes: integer().notNull(),
    /** "generated" (scripts/generate-frames.ts) or "upload". */
    source: text().notNull(),
    tags: text().array().notNull().default([]),
    groundTruth: jsonb().$type<FrameGroundTruth>(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("sample_frames_tags_idx").using("gin", t.tags),
    index("sample_frames_created_idx").on(t.createdAt),
    index("sample_frames_sha_idx").on(t.sha256),
  ],
);
