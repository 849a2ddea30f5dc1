// The playground's frame list on the demo seed: a model with pinned evaluation frames opens on one of them, whatever was
// added to the library after them; other models keep the library's newest-first order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sampleFrames } from "@/db/schema";
import { createSeededTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { playgroundFor } from "./service";

let database: Database;

beforeAll(async () => {
  database = await createSeededTestDatabase();
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
});

describe("playground frames", () => {
  it("puts the model's own evaluation frames first, so the default frame is one the model was made for", async () => {
    const [newest] = await database.db.select().from(sampleFrames).orderBy(desc(sampleFrames.createdAt), sampleFrames.name).limit(1);
    // The premise: the newest frame in the demo library is not a dashcam evaluation frame.
    expect(newest.tags).not.toContain("fcw-eval-v1");

    const fcw = await playgroundFor(database.db, "forward-collision-warning", 2);
    expect(fcw.frames[0].tags).toContain("fcw-eval-v1");
    const evalCount = fcw.frames.filter((f) => f.tags.includes("fcw-eval-v1")).length;
    expect(evalCount).toBeGreaterThan(0);
    expect(fcw.frames.slice(0, evalCount).every((f) => f.tags.includes("fcw-eval-v1"))).toBe(true);

    const seatbelt = await playgroundFor(database.db, "seatbelt", 2);
    expect(seatbelt.frames[0].tags).toContain("seatbelt-eval-v1");

    // No evaluation suite: the library's own order.
    const camera = await playgroundFor(database.db, "camera-health", 1);
    expect(camera.frames[0].id).toBe(newest.id);
  });
});
