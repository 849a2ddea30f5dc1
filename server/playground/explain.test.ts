// The playground's "Explain" on a real pretrained model, in Node with the same loop the browser worker runs.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { occlusionMap, targetScore, type Rect } from "@/lib/playground/explain";
import { interpret, type Interpretation } from "@/lib/playground/interpret";
import { preprocess, type Rgba } from "@/lib/playground/preprocess";
import { DEMO_FRAME_SPECS, renderFrame } from "@/server/demo/frame-generator";
import { OCR_DETECTOR_MANIFEST, OCR_FILES, ocrAsset } from "@/server/registry/ocr-assets";

describe("explaining a real detection", () => {
  it("moves the PaddleOCR detector's score on the STOP sign more when the sign is covered than the sky", async () => {
    const det = await ort.InferenceSession.create(ocrAsset(OCR_FILES.detector));
    const frame = renderFrame(DEMO_FRAME_SPECS.find((s) => s.name === "urban-day-stop")!);
    const image: Rgba = { data: frame.rgba, width: frame.width, height: frame.height };
    const sign = frame.groundTruth.boxes.find((b) => b.text === "STOP")!;
    expect(sign).toBeDefined();
    const { input } = OCR_DETECTOR_MANIFEST;
    const run = async (img: Rgba): Promise<Interpretation> => {
      const p = preprocess(img, input);
      const out = Object.values(await det.run({ x: new ort.Tensor("float32", p.data, p.dims) }))[0];
      return interpret(OCR_DETECTOR_MANIFEST, { out: { data: out.data as Float32Array, dims: [...out.dims] } }, p.transform, {
        score: 0.25,
        iou: 0.45,
        binary: 0.3,
        box: 0.6,
      });
    };
    const target = { kind: "box" as const, box: sign };
    const pad = 4;
    const onSign: Rect = { x: Math.floor(sign.x) - pad, y: Math.floor(sign.y) - pad, w: Math.ceil(sign.w) + 2 * pad, h: Math.ceil(sign.h) + 2 * pad };
    // The same size of sky in the top-left corner, far from any text.
    const onSky: Rect = { x: 8, y: 8, w: onSign.w, h: onSign.h };
    const r = await occlusionMap(image, { patch: 32, stride: 32 }, async (img) => targetScore(await run(img), target), { patches: [onSign, onSky] });
    expect(r.baseline).toBeGreaterThan(0.6);
    const [signDrop, skyDrop] = r.drops;
    expect(signDrop).toBeGreaterThan(0.3);
    expect(signDrop).toBeGreaterThan(Math.abs(skyDrop) + 0.2);
  }, 120_000);
});
