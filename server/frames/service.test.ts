import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { eq, like } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedFrames } from "@/db/seed/frames";
import { auditLog, sampleFrames } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createFrameFromUpload, deleteFrame, frameTagCounts, getFrame, listFrames, sniffImageType, updateFrame } from "./service";
import type { TListFrames } from "./schemas";

let t: TestEnv;
let store: LocalArtifactStore;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-frames-"));
const stage = (bytes: Buffer) => store.stage(Readable.from([bytes]), 1 << 30);
const upload = async (bytes: Buffer, metadata: unknown = {}, fileName = "frame.bin") =>
  createFrameFromUpload(t.db, store, t.actors.engineer, { staged: await stage(bytes), fileName }, metadata);
const storedFiles = () =>
  fs.existsSync(path.join(root, "sha256")) ? fs.readdirSync(path.join(root, "sha256"), { recursive: true }).filter((p) => String(p).length > 60) : [];

/** A 64x32 image, left half red and right half blue, so a rotation is visible in the pixels. */
const halves = () =>
  sharp({ create: { width: 64, height: 32, channels: 3, background: "#ff0000" } }).composite([
    { input: { create: { width: 32, height: 32, channels: 3, background: "#0000ff" } }, left: 32, top: 0 },
  ]);

beforeAll(async () => {
  t = await setupTestEnv();
  store = new LocalArtifactStore(root);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("frame uploads", () => {
  it("re-encodes a JPEG with EXIF: orientation applied, metadata stripped, stored as WebP, audited", async () => {
    const jpeg = await halves()
      .jpeg({ quality: 95 })
      .withExif({ IFD0: { Artist: "Jane Driver", Copyright: "secret fleet", ImageDescription: "GPS 52.37N 4.89E" } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(jpeg).metadata();
    expect(before.exif?.toString("latin1")).toContain("Jane Driver");
    expect(before.orientation).toBe(6);

    const f = await upload(
      jpeg,
      { tags: ["Night", "rain", "night"], groundTruth: { boxes: [{ x: 1, y: 2, w: 10, h: 20, label: "car" }], class: "ok" } },
      "../../etc/IMG_0001.JPG",
    );
    expect(f).toMatchObject({
      name: "IMG_0001",
      mediaType: "image/webp",
      width: 32,
      height: 64,
      source: "upload",
      tags: ["night", "rain"],
      counts: { boxes: 1, texts: 0, hasClass: true },
    });
    expect(f.imageUrl).toBe(`/api/v1/frames/${f.id}/image`);
    const stored = fs.readFileSync(store.pathFor(f.sha256));
    expect(stored.length).toBe(f.sizeBytes);
    const after = await sharp(stored).metadata();
    expect(after.format).toBe("webp");
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(stored.includes("Jane Driver")).toBe(false);
    // Orientation 6 means "rotate 90° clockwise to view": the red half ends up on top.
    const { data } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [data[(y * 32 + x) * 3], data[(y * 32 + x) * 3 + 2]];
    expect(px(16, 8)[0]).toBeGreaterThan(200);
    expect(px(16, 56)[1]).toBeGreaterThan(200);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, f.id));
    expect(audit.map((a) => a.action)).toEqual(["frame.create"]);
    expect(audit[0].actorLabel).toBe("engineer@test.local");
  });

  it("keeps a PNG lossless and pixel-exact", async () => {
    const png = await halves().png().toBuffer();
    const f = await upload(png, { name: "halves" });
    expect(f).toMatchObject({ name: "halves", mediaType: "image/png", width: 64, height: 32 });
    // The source has an opaque alpha channel; the stored frame is RGB.
    const a = await sharp(png).removeAlpha().raw().toBuffer();
    const b = await sharp(fs.readFileSync(store.pathFor(f.sha256)))
      .raw()
      .toBuffer();
    expect(b.equals(a)).toBe(true);
  });

  it("refuses garbage, truncated, empty, GIF, oversized and mislabelled files with a clear message, storing nothing", async () => {
    const jpeg = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#808080" } })
      .composite([
        { input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><text x="10" y="100" font-size="40">KA 4821</text></svg>') },
      ])
      .jpeg()
      .toBuffer();
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#00ff00" } })
      .gif()
      .toBuffer();
    const wide = await sharp({ create: { width: 8200, height: 4, channels: 3, background: "#000000" } })
      .png()
      .toBuffer();
    const html = Buffer.from("<html><script>alert(1)</script></html>");
    const rowsBefore = await t.db.select().from(sampleFrames);
    const filesBefore = storedFiles();
    const cases: [Buffer, RegExp][] = [
      [Buffer.from("definitely not an image, just text"), /Only JPEG, PNG and WebP images are accepted .*not an image format we recognise/],
      [jpeg.subarray(0, Math.floor(jpeg.length / 2)), /could not be decoded \(truncated or corrupt\?\)/],
      [Buffer.alloc(0), /The file is empty/],
      [gif, /this file is a GIF image/],
      [html, /SVG\/XML or HTML document/],
      [wide, /8200x4 pixels; the limit is 8192x8192/],
      [
        Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("garbage after a PNG signature")]),
        /could not be read: Input buffer has corrupt header$/,
      ],
    ];
    for (const [bytes, message] of cases) {
      const staged = await stage(bytes);
      const err = await createFrameFromUpload(t.db, store, t.actors.engineer, { staged, fileName: "photo.jpg" }, {}).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(message);
      expect(err?.message).not.toMatch(new RegExp(root));
      expect(fs.existsSync(staged.tmpPath)).toBe(false);
    }
    expect(await t.db.select().from(sampleFrames)).toHaveLength(rowsBefore.length);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it("refuses bad metadata before decoding, and ground truth outside the image", async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: "#123456" } })
      .png()
      .toBuffer();
    await expect(upload(png, { tags: ["Not A Tag!"] })).rejects.toThrow(/lowercase words/);
    await expect(upload(png, { extra: 1 })).rejects.toThrow();
    await expect(upload(png, { groundTruth: { boxes: [{ x: 15, y: 0, w: 10, h: 5, label: "sign" }] } })).rejects.toThrow(
      /box 1 \(sign\) reaches outside the 20x10 image/,
    );
  });

  it("refuses the same image twice, naming the first", async () => {
    const png = await sharp({ create: { width: 12, height: 12, channels: 3, background: "#abcdef" } })
      .png()
      .toBuffer();
    const first = await upload(png, { name: "first copy" });
    await expect(upload(png)).rejects.toThrow(new RegExp(`already in the library as “first copy” \\(frame ${first.id}\\)`));
  });
});

describe("frame library", () => {
  it("seeds the 24 generated demo frames once, with ground truth", async () => {
    const added = await seedFrames(t.db, store, null);
    expect(added).toBe(24);
    expect(await seedFrames(t.db, store, null)).toBe(0);
    const demo = await listFrames(t.db, { tags: ["demo"], pageSize: 100 });
    expect(demo.total).toBe(24);
    expect(demo.items.every((f) => f.source === "generated" && f.mediaType === "image/png" && f.width === 640 && f.height === 360)).toBe(true);
    const stop = demo.items.find((f) => f.name === "urban-day-stop")!;
    expect(stop.groundTruth?.texts).toContain("STOP");
    expect(stop.tags).toEqual(["day", "demo", "urban"]);
    const audits = await t.db.select().from(auditLog).where(like(auditLog.action, "frame.create"));
    expect(audits.filter((a) => a.actorLabel === "system")).toHaveLength(24);
  }, 240_000); // renders all 24 frames: seconds alone, much longer beside other test files on two cores

  it("filters by tags (all or any), source and name, and pages", async () => {
    const names = async (input: TListFrames) => (await listFrames(t.db, { pageSize: 200, ...input })).items.map((f) => f.name).sort();
    const nightRain = await names({ tags: ["night", "rain"] });
    expect(nightRain).toEqual(["IMG_0001", "urban-night-rain"]);
    const nightOrTunnel = await names({ tags: ["night", "tunnel"], match: "any" });
    expect(nightOrTunnel).toHaveLength(8);
    expect(nightOrTunnel).toContain("urban-tunnel");
    expect(nightOrTunnel).toContain("highway-night");
    expect(await names({ tags: ["glare", "urban"] })).toEqual(["urban-day-glare"]);
    expect(await names({ source: "upload" })).toEqual(["IMG_0001", "first copy", "halves"].sort());
    expect(await names({ q: "obstruction" })).toEqual(["highway-day-obstruction", "urban-day-obstruction", "urban-rain-obstruction"]);
    expect(await names({ tags: ["snow"] })).toEqual([]);
    const page1 = await listFrames(t.db, { tags: ["demo"], pageSize: 10, page: 1 });
    const page3 = await listFrames(t.db, { tags: ["demo"], pageSize: 10, page: 3 });
    expect([page1.items.length, page3.items.length, page1.total]).toEqual([10, 4, 24]);
    const counts = await frameTagCounts(t.db);
    expect(counts[0]).toEqual({ tag: "demo", count: 24 });
    expect(counts.find((c) => c.tag === "night")?.count).toBe(5);
  });

  it("updates tags and ground truth, deletes, and audits both", async () => {
    const [frame] = (await listFrames(t.db, { q: "halves" })).items;
    const updated = await updateFrame(t.db, t.actors.engineer, frame.id, { tags: ["urban", "day"], groundTruth: { texts: ["STOP"], class: "ok" } });
    expect(updated.tags).toEqual(["day", "urban"]);
    expect(updated.groundTruth).toEqual({ texts: ["STOP"], class: "ok" });
    await expect(updateFrame(t.db, t.actors.engineer, frame.id, { groundTruth: { boxes: [{ x: 60, y: 0, w: 10, h: 10, label: "car" }] } })).rejects.toThrow(
      /outside the 64x32 image/,
    );
    await expect(updateFrame(t.db, t.actors.engineer, frame.id, {})).rejects.toThrow(/Nothing to update/);
    await deleteFrame(t.db, t.actors.engineer, frame.id);
    await expect(getFrame(t.db, frame.id)).rejects.toThrow(/not found/);
    await expect(deleteFrame(t.db, t.actors.engineer, frame.id)).rejects.toThrow(/not found/);
    await expect(getFrame(t.db, "not-a-uuid")).rejects.toThrow(/not found/);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, frame.id));
    expect(audit.map((a) => a.action)).toEqual(["frame.create", "frame.update", "frame.delete"]);
    expect(audit[1].before).toMatchObject({ tags: [] });
    expect(audit[1].after).toMatchObject({ tags: ["day", "urban"] });
  });

  it("lets viewers read through tRPC but not change", async () => {
    const viewer = t.caller("viewer");
    const list = await viewer.frames.list({ tags: ["tunnel"] });
    expect(list.total).toBe(3);
    const one = await viewer.frames.get({ id: list.items[0].id });
    expect(one.id).toBe(list.items[0].id);
    expect((await viewer.frames.tags()).length).toBeGreaterThan(5);
    await expect(viewer.frames.update({ id: one.id, patch: { tags: ["x"] } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.frames.delete({ id: one.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(t.caller(null).frames.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(viewer.frames.get({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const renamed = await t.caller("engineer").frames.update({ id: one.id, patch: { name: "tunnel one" } });
    expect(renamed.name).toBe("tunnel one");
  });
});

describe("sniffing", () => {
  it("detects by content, not by name", () => {
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ type: "image/jpeg" });
    expect(sniffImageType(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toEqual({ type: "image/webp" });
    expect(sniffImageType(Buffer.from("\0\0\0\x18ftypheic"))).toEqual({ type: null, looksLike: "an HEIC/AVIF or video file" });
    expect(sniffImageType(Buffer.from("%PDF-1.7"))).toEqual({ type: null, looksLike: "a PDF document" });
  });
});
