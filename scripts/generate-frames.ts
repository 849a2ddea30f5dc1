// `npx tsx scripts/generate-frames.ts [outDir]`: renders the demo sample frames (deterministic) as PNGs plus
// ground-truth.json into outDir (default .data/sample-frames, git-ignored) and prints each file's sha256. Run it twice: same hashes.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { generateDemoFrames } from "@/server/demo/frame-generator";

async function main() {
  const outDir = path.resolve(process.argv[2] ?? path.join(".data", "sample-frames"));
  fs.mkdirSync(outDir, { recursive: true });
  const started = performance.now();
  const frames = await generateDemoFrames();
  const seconds = (performance.now() - started) / 1000;
  for (const f of frames) {
    fs.writeFileSync(path.join(outDir, f.fileName), f.png);
    console.log(`${f.sha256}  ${f.fileName}`);
  }
  const manifest = {
    generator: "server/demo/frame-generator.ts",
    frames: frames.map((f) => ({
      file: f.fileName,
      name: f.name,
      width: f.width,
      height: f.height,
      tags: f.tags,
      sha256: f.sha256,
      pixelSha256: f.pixelSha256,
      groundTruth: f.groundTruth,
    })),
  };
  const json = JSON.stringify(manifest, null, 2) + "\n";
  fs.writeFileSync(path.join(outDir, "ground-truth.json"), json);
  console.log(`${createHash("sha256").update(json).digest("hex")}  ground-truth.json`);
  console.log(`${frames.length} frames rendered and encoded in ${seconds.toFixed(1)} s → ${outDir}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
