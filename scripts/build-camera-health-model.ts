// npx tsx scripts/build-camera-health-model.ts [out.onnx]; writes the demo camera-health model and prints its sha256 and size.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { buildCameraHealthModel } from "@/server/demo/camera-health-model";

const out = process.argv[2] ?? "camera-health.onnx";
const bytes = buildCameraHealthModel();
writeFileSync(out, bytes);
console.log(`${out}  sha256 ${createHash("sha256").update(bytes).digest("hex")}  ${bytes.length} bytes`);
