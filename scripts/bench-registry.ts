// Upload-and-parse throughput of the registry (stream → hash → stage → parse ONNX → commit) against
// plain sha256 of the same file as the baseline, measured in the same run. Prints figures only.
//   npx tsx scripts/bench-registry.ts [rounds]
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { OCR_FILES, ocrAsset } from "@/server/registry/ocr-assets";
import { parseOnnxFile } from "@/server/registry/onnx";

const rounds = Number(process.argv[2] ?? 5);
const files = [OCR_FILES.detector, OCR_FILES.recognizer, OCR_FILES.classifier].map(ocrAsset);
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-bench-"));
const store = new LocalArtifactStore(root);

async function plainSha(file: string) {
  const h = createHash("sha256");
  await pipeline(fs.createReadStream(file), h);
  return h.digest("hex");
}

async function upload(file: string) {
  const staged = await store.stage(fs.createReadStream(file), Number.MAX_SAFE_INTEGER);
  await parseOnnxFile(staged.tmpPath);
  // Commit to a fresh name each round so the store's dedup does not skip the rename.
  await fs.promises.rename(staged.tmpPath, path.join(root, `${staged.sha256}-${Math.random()}`));
}

async function time(fn: () => Promise<unknown>) {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function main() {
  const totalBytes = files.reduce((s, f) => s + fs.statSync(f).size, 0) * rounds;
  for (const f of files) await upload(f); // warm-up
  let base = 0;
  let full = 0;
  for (let r = 0; r < rounds; r++) {
    for (const f of files) {
      base += await time(() => plainSha(f));
      full += await time(() => upload(f));
    }
  }
  const mb = totalBytes / 1024 / 1024;
  console.log(
    `registry upload bench: ${rounds} rounds × ${files.length} PaddleOCR models, ${mb.toFixed(1)} MiB in all (${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)})`,
  );
  console.log(`  plain sha256 (baseline): ${(mb / base).toFixed(1)} MB/s`);
  console.log(`  stream + hash + stage + parse ONNX: ${(mb / full).toFixed(1)} MB/s`);
  console.log(`  ratio upload/baseline time: ${(full / base).toFixed(2)}x`);
  fs.rmSync(root, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
