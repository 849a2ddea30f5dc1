// The generated frames' text is there to be read: the real PaddleOCR models (as the playground runs them, with the
// playground's own pre- and postprocessing) must read the ground-truth strings of every frame that is not blurred.
import fs from "node:fs";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { ctcGreedy, dbTextRegions, unmapBox } from "@/lib/playground/postprocess";
import { cropRgba, preprocess } from "@/lib/playground/preprocess";
import { OCR_DETECTOR_MANIFEST, OCR_FILES, ocrAsset } from "@/server/registry/ocr-assets";
import { DEMO_FRAME_SPECS, renderFrame } from "./frame-generator";

const squash = (s: string) => s.replace(/\s+/g, "").toUpperCase();

describe("generated frames under PaddleOCR", () => {
  it("reads the ground-truth text of every frame that is not blurred", async () => {
    const [det, rec] = await Promise.all([
      ort.InferenceSession.create(ocrAsset(OCR_FILES.detector)),
      ort.InferenceSession.create(ocrAsset(OCR_FILES.recognizer)),
    ]);
    const keys = fs
      .readFileSync(ocrAsset(OCR_FILES.dictionary), "utf8")
      .split(/\r?\n/)
      .filter((l) => l.length > 0);
    const labels = ["<blank>", ...keys, " "];
    const missed: string[] = [];
    let wanted = 0;
    for (const spec of DEMO_FRAME_SPECS.filter((s) => !s.blur)) {
      const frame = renderFrame(spec);
      const image = { data: frame.rgba, width: frame.width, height: frame.height };
      const input = preprocess(image, OCR_DETECTOR_MANIFEST.input);
      const map = Object.values(await det.run({ x: new ort.Tensor("float32", input.data, input.dims) }))[0];
      const regions = dbTextRegions({ data: map.data as Float32Array, dims: [...map.dims] }, 0.3, 0.6, 1.5).map((r) => unmapBox(r, input.transform));
      const read = new Set<string>();
      for (const r of regions) {
        const crop = preprocess(cropRgba(image, r), {
          name: "x",
          layout: "NCHW",
          width: 320,
          height: 48,
          maxWidth: 320,
          channels: 3,
          colorOrder: "RGB",
          resize: "stretch",
          scale: 1 / 255,
          mean: [0.5, 0.5, 0.5],
          std: [0.5, 0.5, 0.5],
        });
        const out = Object.values(await rec.run({ x: new ort.Tensor("float32", crop.data, crop.dims) }))[0];
        read.add(squash(ctcGreedy({ data: out.data as Float32Array, dims: [...out.dims] }, labels).text));
      }
      for (const t of frame.groundTruth.texts) {
        wanted++;
        if (!read.has(squash(t))) missed.push(`${spec.name}: ${t}`);
      }
    }
    expect(wanted).toBeGreaterThan(60);
    // Measured: every string is read; allow a little slack for runtime version drift.
    expect(missed.length, missed.join("\n")).toBeLessThanOrEqual(Math.floor(wanted * 0.05));
  }, 240_000); // 21 frames through a 640x640 detector on CPU
});
