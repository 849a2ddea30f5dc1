// The forward-collision-warning detector versions the demo ships: ONNX files trained by examples/fcw-detector
// (`npm run demo:train`) and committed, with the runtime manifest train.py gives them.
import path from "node:path";
import type { TContract, TManifest } from "@/server/registry/schemas";

export const FCW_MODEL_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "examples", "fcw-detector", "models");
export const fcwModelFile = (version: 2 | 3) => path.join(FCW_MODEL_DIR, `fcw-v${version}.onnx`);

/** As examples/fcw-detector/train.py's manifest_of(): 256x144 stretch, (x/255 - 0.5) / 0.25, CenterNet heads. */
export const FCW_MANIFEST: TManifest = {
  input: {
    name: "image",
    layout: "NCHW",
    width: 256,
    height: 144,
    channels: 3,
    colorOrder: "RGB",
    resize: "stretch",
    scale: 1 / 255,
    mean: [0.5, 0.5, 0.5],
    std: [0.25, 0.25, 0.25],
  },
  labels: ["vehicle", "pedestrian"],
  postprocess: { kind: "centernet", heatmap: "heatmap", size: "size", offset: "offset", scoreThreshold: 0.25, iouThreshold: 0.5, maxDetections: 50 },
};
export const FCW_CONTRACT: TContract = { minOnnxRuntime: "1.14", maxOpset: 13, deviceClasses: ["cloud-cpu", "dashcam-gen3"] };
