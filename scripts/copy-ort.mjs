// Copies the onnxruntime-web files the playground loads into public/ort/ (served by the portal
// itself, never a CDN). Only the threaded SIMD build and its WebGPU (jsep) variant are needed.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const src = path.join(root, "node_modules", "onnxruntime-web", "dist");
const dest = path.join(root, "public", "ort");
const files = ["ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm", "ort-wasm-simd-threaded.jsep.mjs", "ort-wasm-simd-threaded.jsep.wasm"];

fs.mkdirSync(dest, { recursive: true });
for (const f of files) {
  const from = path.join(src, f);
  const to = path.join(dest, f);
  const a = fs.statSync(from);
  if (fs.existsSync(to) && fs.statSync(to).size === a.size) continue;
  fs.copyFileSync(from, to);
}
