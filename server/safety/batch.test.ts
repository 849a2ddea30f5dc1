import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { auditLog, evaluations, sampleFrames, type FrameGroundTruth } from "@/db/schema";
import { createModel, registerVersion } from "@/server/registry/service";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { frameOutcome } from "./batch";

const car = { x: 100, y: 100, w: 100, h: 100, label: "car" };

describe("frameOutcome", () => {
  it("matches boxes at IoU 0.5: one hit, one false alert, one miss", () => {
    // Prediction 1 overlaps the first car by 90×100 / (100×100 + 100×100 − 9000) = 9000 / 11000 = .82 → a hit;
    // prediction 2 is elsewhere → a false alert; the second car is missed.
    const o = frameOutcome(
      {
        boxes: [
          { x: 110, y: 100, w: 100, h: 100 },
          { x: 500, y: 10, w: 20, h: 20 },
        ],
      },
      { boxes: [car, { ...car, x: 300 }] },
    );
    expect(o).toEqual({ tp: 1, fp: 1, fn: 1, tn: 0, fpBox: { x: 500, y: 10, w: 20, h: 20 }, fnBox: { x: 300, y: 100, w: 100, h: 100 } });
  });
  it("counts a box overlapping less than half (IoU 1/3) as a false alert and a miss", () => {
    // 50×100 overlap / (10000 + 10000 − 5000) = 1/3.
    expect(frameOutcome({ boxes: [{ x: 150, y: 100, w: 100, h: 100 }] }, { boxes: [car] })).toMatchObject({ tp: 0, fp: 1, fn: 1 });
  });
  it("scores a classifier's class against the event class", () => {
    expect(frameOutcome({ class: "phone" }, { class: "phone" }, "phone")).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 0 });
    expect(frameOutcome({ class: "phone" }, { class: "attentive" }, "phone")).toMatchObject({ tp: 0, fp: 1, fn: 0, tn: 0 });
    expect(frameOutcome({ class: "attentive" }, { class: "phone" }, "phone")).toMatchObject({ fn: 1 });
    expect(frameOutcome({ class: "attentive" }, { class: "attentive" }, "phone")).toMatchObject({ tn: 1 });
  });
});

describe("saving a batch run as an evaluation", () => {
  let t: TestEnv;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-safety-batch-"));
  const ids: string[] = [];
  const evaluationCount = async () => (await t.db.select({ n: count() }).from(evaluations))[0].n;

  beforeAll(async () => {
    t = await setupTestEnv();
    await createModel(t.db, t.actors.engineer, { slug: "fcw", name: "FCW", team: "perception", task: "detection" });
    await registerVersion(t.db, new LocalArtifactStore(root), t.actors.engineer, "fcw", { artifactUri: "s3://m/fcw/1.onnx" });
    const frames: [string, FrameGroundTruth | null][] = [
      ["a", { boxes: [car] }],
      ["b", { boxes: [car, { ...car, x: 300 }] }],
      ["c", null],
    ];
    for (const [name, gt] of frames) {
      const [f] = await t.db
        .insert(sampleFrames)
        .values({ name, sha256: name, mediaType: "image/png", width: 640, height: 360, sizeBytes: 1, source: "upload", groundTruth: gt })
        .returning();
      ids.push(f.id);
    }
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("counts TP/FP/FN on the server from per-frame boxes and keeps the wrong frames as examples", async () => {
    const ev = await t.caller("engineer").safety.saveBatch({
      model: "fcw",
      version: 1,
      eventType: "forward-collision-warning",
      frames: [
        {
          frameId: ids[0],
          boxes: [
            { x: 100, y: 100, w: 100, h: 100 },
            { x: 500, y: 10, w: 20, h: 20 },
          ],
        },
        { frameId: ids[1], boxes: [{ x: 300, y: 100, w: 100, h: 100 }] },
      ],
    });
    // a: 1 hit + 1 false alert; b: 1 hit + 1 miss.
    expect(ev.results).toHaveLength(1);
    expect(ev.results[0]).toMatchObject({ eventType: "forward-collision-warning", tp: 2, fp: 1, fn: 1, tn: null });
    expect(ev.source).toBe("playground");
    expect(ev.dataset).toBe("playground");
    expect(ev.examples).toEqual([
      { eventType: "forward-collision-warning", frameId: ids[0], outcome: "fp", box: { x: 500, y: 10, w: 20, h: 20 } },
      { eventType: "forward-collision-warning", frameId: ids[1], outcome: "fn", box: { x: 100, y: 100, w: 100, h: 100 } },
    ]);
    const audit = await t.db.select().from(auditLog);
    expect(audit.filter((a) => a.action === "evaluation.create")).toHaveLength(1);
  });

  it("refuses totals from the client, a frame without ground truth, and a viewer; writes nothing", async () => {
    const before = await evaluationCount();
    const totals = await t
      .caller("engineer")
      // @ts-expect-error: totals are not part of the input, on purpose
      .safety.saveBatch({ model: "fcw", version: 1, eventType: "forward-collision-warning", tp: 100, frames: [{ frameId: ids[0], boxes: [] }] })
      .catch((e: unknown) => e);
    expect((totals as { cause?: unknown }).cause).toBeInstanceOf(ZodError);
    await expect(
      t.caller("engineer").safety.saveBatch({
        model: "fcw",
        version: 1,
        eventType: "forward-collision-warning",
        frames: [
          { frameId: ids[0], boxes: [] },
          { frameId: ids[2], boxes: [] },
        ],
      }),
    ).rejects.toThrow(/^frames\.1\.frameId: Frame .* has no ground-truth boxes to score against; nothing was written$/);
    const unknown = await t
      .caller("engineer")
      .safety.saveBatch({ model: "fcw", version: 1, eventType: "sneezing", frames: [{ frameId: ids[0], boxes: [] }] })
      .catch((e: { cause?: unknown }) => e.cause);
    expect(unknown).toBeInstanceOf(ZodError);
    expect((unknown as ZodError).issues[0]).toMatchObject({ path: ["eventType"], message: expect.stringMatching(/^Unknown event type "sneezing"/) });
    await expect(
      t.caller("viewer").safety.saveBatch({ model: "fcw", version: 1, eventType: "forward-collision-warning", frames: [{ frameId: ids[0], boxes: [] }] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await evaluationCount()).toBe(before);
  });
});
