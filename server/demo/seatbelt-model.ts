// The seatbelt classifier version the demo ships: the ONNX file trained by examples/seatbelt-classifier
// (`npm run demo:train -- --task seatbelt`) and committed, with the runtime manifest train.py gives it.
import path from "node:path";
import type { TContract, TManifest } from "@/server/registry/schemas";
import { SEATBELT_LABELS } from "@/server/safety/seatbelt-sets";

export const SEATBELT_MODEL_FILE = path.join(/*turbopackIgnore: true*/ process.cwd(), "examples", "seatbelt-classifier", "models", "seatbelt-v2.onnx");

/** As examples/seatbelt-classifier/train.py's manifest_of(): 64x64 stretch, (x/255 - 0.5) / 0.25, softmax output. */
export const SEATBELT_MANIFEST: TManifest = {
  input: {
    name: "image",
    layout: "NCHW",
    width: 64,
    height: 64,
    channels: 3,
    colorOrder: "RGB",
    resize: "stretch",
    scale: 1 / 255,
    mean: [0.5, 0.5, 0.5],
    std: [0.25, 0.25, 0.25],
  },
  labels: [...SEATBELT_LABELS],
  postprocess: { kind: "softmax", output: "probabilities" },
};
export const SEATBELT_CONTRACT: TContract = { minOnnxRuntime: "1.14", maxOpset: 13, deviceClasses: ["cloud-cpu", "dashcam-gen2", "dashcam-gen3"] };
