import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { preprocess } from "@/lib/playground/preprocess";
import { CAMERA_HEALTH_LABELS, cameraHealthFeatures, cameraHealthScores, fitCameraHealthThresholds } from "@/server/demo/camera-health-model";
import { classOf, DEMO_FRAME_SPECS, FRAME_HEIGHT, FRAME_WIDTH, generateFrame, renderFrame, type GeneratedFrame } from "./frame-generator";
import { boxBlur, mulberry32 } from "./raster";
import { FRAME_TAGS } from "@/server/frames/schemas";

let frames: GeneratedFrame[];
beforeAll(async () => {
  frames = [];
  for (const spec of DEMO_FRAME_SPECS) frames.push(await generateFrame(spec));
});

describe("frame generator", () => {
  it("gives the same PNG bytes on a second run", async () => {
    for (const name of ["urban-night-rain", "highway-day-glare", "urban-day-blur", "urban-rain-obstruction", "highway-tunnel"]) {
      const spec = DEMO_FRAME_SPECS.find((s) => s.name === name)!;
      const again = await generateFrame(spec);
      const first = frames.find((f) => f.name === name)!;
      expect(again.sha256).toBe(first.sha256);
      expect(again.sha256).toBe(createHash("sha256").update(again.png).digest("hex"));
      expect(again.groundTruth).toEqual(first.groundTruth);
    }
  });

  it("keeps the pixels of a reference frame (change this hash only when changing the generator on purpose)", () => {
    expect(frames.find((f) => f.name === "highway-day-clear")!.pixelSha256).toBe("9a259e689d91e966b3483e9f8d637d274db00ebffa39b238eccf488af8d57070");
  });

  it("renders 640x360 RGB PNGs that decode to the rendered pixels", async () => {
    const f = frames[0];
    const { data, info } = await sharp(f.png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([FRAME_WIDTH, FRAME_HEIGHT, 3]);
    const rgba = renderFrame(DEMO_FRAME_SPECS[0]).rgba;
    for (let p = 0; p < FRAME_WIDTH * FRAME_HEIGHT; p += 997)
      expect([data[p * 3], data[p * 3 + 1], data[p * 3 + 2]]).toEqual([rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2]]);
    const meta = await sharp(f.png).metadata();
    expect(meta.exif).toBeUndefined();
  });

  it("covers every tag at least twice, with unique names", () => {
    expect(frames).toHaveLength(24);
    expect(new Set(frames.map((f) => f.name)).size).toBe(24);
    for (const tag of FRAME_TAGS) expect(frames.filter((f) => f.tags.includes(tag)).length, tag).toBeGreaterThanOrEqual(2);
    for (const f of frames) expect(f.tags.filter((t) => t === "day" || t === "night" || t === "tunnel")).toHaveLength(1);
  });

  it("gives ground truth inside the frame: vehicles, signs and plates with their text", () => {
    for (const f of frames) {
      for (const b of f.groundTruth.boxes) {
        expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= FRAME_WIDTH && b.y + b.h <= FRAME_HEIGHT, `${f.name} ${JSON.stringify(b)}`).toBe(true);
        if (b.label === "text" || b.label === "plate") expect(b.text).toMatch(/\S/);
      }
      const texts = f.groundTruth.boxes.filter((b) => b.label === "text").map((b) => b.text);
      expect([...f.groundTruth.texts].sort()).toEqual([...texts].sort());
    }
    const all = frames.flatMap((f) => f.groundTruth.boxes);
    for (const label of ["car", "truck", "bus", "sign", "plate", "text"])
      expect(
        all.some((b) => b.label === label),
        label,
      ).toBe(true);
    expect(all.filter((b) => b.label === "plate").every((b) => /^[A-Z]{2} \d{4}$/.test(b.text ?? ""))).toBe(true);
    const texts = frames.flatMap((f) => f.groundTruth.texts);
    for (const t of ["STOP", "SPEED", "EXIT 24", "42 CENTRAL"]) expect(texts).toContain(t);
    // Text lines are drawn large: at least 10 px tall including padding.
    expect(all.filter((b) => b.label === "text").every((b) => b.h >= 10)).toBe(true);
  });

  it("hides the ground truth of what dirt on the lens covers", () => {
    const clear = frames.find((f) => f.name === "urban-day-stop")!;
    const dirty = frames.find((f) => f.name === "urban-day-obstruction")!;
    expect(clear.groundTruth.boxes.length).toBeGreaterThan(dirty.groundTruth.boxes.length);
    // The burned-in timestamp stays readable whatever the lens sees.
    expect(dirty.groundTruth.texts.some((t) => /^2024-05-\d\d \d\d:\d\d:\d\d \d+ KM\/H$/.test(t))).toBe(true);
  });

  it("labels each frame with the class the demo camera-health model gives it", async () => {
    const thresholds = fitCameraHealthThresholds();
    for (const f of frames) {
      const spec = DEMO_FRAME_SPECS.find((s) => s.name === f.name)!;
      const rgba = await sharp(f.png).ensureAlpha().raw().toBuffer();
      const input = preprocess(
        { data: rgba, width: FRAME_WIDTH, height: FRAME_HEIGHT },
        {
          name: "image",
          layout: "NCHW",
          width: 224,
          height: 224,
          channels: 3,
          colorOrder: "RGB",
          resize: "stretch",
          scale: 1 / 255,
          mean: [0, 0, 0],
          std: [1, 1, 1],
        },
      );
      const scores = cameraHealthScores(cameraHealthFeatures(input.data), thresholds);
      const verdict = CAMERA_HEALTH_LABELS[scores.indexOf(Math.max(...scores))];
      expect(verdict, f.name).toBe(f.groundTruth.class);
      expect(f.groundTruth.class).toBe(classOf(spec));
    }
  });
});

describe("raster passes", () => {
  it("mulberry32 repeats its sequence for a seed", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("box blur keeps a flat image flat and spreads a point", () => {
    const r = { data: new Uint8Array(9 * 9 * 4).fill(100), width: 9, height: 9 };
    boxBlur(r, 2, 2, 3);
    expect(new Set(r.data).size).toBe(1);
    const p = { data: new Uint8Array(9 * 9 * 4), width: 9, height: 9 };
    p.data.set([255, 255, 255, 255], (4 * 9 + 4) * 4);
    boxBlur(p, 1, 1, 1);
    expect(p.data[(4 * 9 + 4) * 4]).toBe(Math.round(255 / 9));
    expect(p.data[(3 * 9 + 3) * 4]).toBe(Math.round(255 / 9));
    expect(p.data[(2 * 9 + 2) * 4]).toBe(0);
  });
});
