// Shapes the frames pages pass to their components (types only: the server returns them).
import type { FrameResource } from "@/server/frames/service";

export type Frame = FrameResource;
export type GroundTruthBox = NonNullable<NonNullable<Frame["groundTruth"]>["boxes"]>[number];
export type TagCount = { tag: string; count: number };
/** The browser's filters, all from the URL. */
export type FrameFilters = { tags: string[]; match: "all" | "any"; source?: "generated" | "upload" };
