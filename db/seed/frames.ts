// Demo sample frames: the deterministic generated set (server/demo/frame-generator.ts), tagged "demo", source "generated".
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sampleFrames, type FrameGroundTruth } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { generateDemoFrames } from "@/server/demo/frame-generator";
import { insertFrame } from "@/server/frames/service";

/** A rendered frame: dashcam scenes (server/demo/frame-generator.ts) or cabin crops (server/demo/cabin-frames.ts). */
type GeneratedFrame = Pick<Awaited<ReturnType<typeof generateDemoFrames>>[number], "name" | "png" | "sha256" | "width" | "height"> & {
  tags: string[];
  groundTruth: FrameGroundTruth;
};

/** Idempotent: frames whose bytes are already in the library are skipped. Returns how many were added. */
export async function seedFrames(db: Db, store: ArtifactStore, actor: Actor | null): Promise<number> {
  return insertMissingFrames(db, store, actor, await generateDemoFrames());
}

/** Adds the generated frames the library lacks (by sha256), tagged "demo". Returns how many were added. */
export async function insertMissingFrames(db: Db, store: ArtifactStore, actor: Actor | null, frames: GeneratedFrame[]): Promise<number> {
  if (!frames.length) return 0;
  const existing = await db
    .select({ sha256: sampleFrames.sha256 })
    .from(sampleFrames)
    .where(
      inArray(
        sampleFrames.sha256,
        frames.map((f) => f.sha256),
      ),
    );
  const have = new Set(existing.map((r) => r.sha256));
  let added = 0;
  for (const f of frames) {
    if (have.has(f.sha256)) continue;
    await insertFrame(db, store, actor, {
      bytes: f.png,
      mediaType: "image/png",
      width: f.width,
      height: f.height,
      name: f.name,
      source: "generated",
      tags: [...f.tags, "demo"].sort(),
      groundTruth: f.groundTruth,
    });
    added++;
  }
  return added;
}
