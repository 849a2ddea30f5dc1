// Upload and download throughput of the artifact store: the local directory against an S3-compatible bucket
// (s3rver on 127.0.0.1, started here), measured in the same run on the same file. An upload is the whole path
// a registry upload takes (stream, hash, stage, commit: a rename locally, a multipart upload to the bucket);
// a download streams the stored bytes out. Each round stores new bytes, so dedup never skips the work.
//   npx tsx scripts/bench-artifacts.ts [megabytes=64] [rounds=3]
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { S3ArtifactStore } from "@/server/artifacts/s3";
import type { ArtifactStore } from "@/server/artifacts/store";
import { startTestS3 } from "@/server/artifacts/test-s3";

const megabytes = Number(process.argv[2] ?? 64);
const rounds = Number(process.argv[3] ?? 3);
const bytes = megabytes * 1024 * 1024;

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function drain(store: ArtifactStore, sha256: string): Promise<number> {
  let n = 0;
  for await (const chunk of await store.openRead(sha256)) n += (chunk as Buffer).length;
  return n;
}

async function measure(store: ArtifactStore, source: string, tag: number) {
  const up: number[] = [];
  const down: number[] = [];
  const file = fs.readFileSync(source);
  for (let r = 0; r < rounds; r++) {
    // New content each round (and per store), written before the clock starts.
    file.writeUInt32LE(tag * 1000 + r, 0);
    fs.writeFileSync(source, file);
    let sha256 = "";
    up.push(
      await seconds(async () => {
        const staged = await store.stage(fs.createReadStream(source, { highWaterMark: 1024 * 1024 }), Number.MAX_SAFE_INTEGER);
        await store.commit(staged);
        sha256 = staged.sha256;
      }),
    );
    down.push(
      await seconds(async () => {
        if ((await drain(store, sha256)) !== bytes) throw new Error("short read");
      }),
    );
  }
  // The median round: one slow round on a shared machine does not decide the figure.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { upload: megabytes / median(up), download: megabytes / median(down) };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-bench-artifacts-"));
  const source = path.join(dir, "source.bin");
  fs.writeFileSync(source, randomBytes(bytes));
  const s3 = await startTestS3("bench", "artifacts/");
  try {
    const local = new LocalArtifactStore(path.join(dir, "local"));
    const bucket = new S3ArtifactStore(s3.config, path.join(dir, "staging"), path.join(dir, "cache"));
    await measure(local, source, 9); // warm-up: page cache, JIT, the SDK's first import
    await measure(bucket, source, 8);
    const l = await measure(local, source, 1);
    const b = await measure(bucket, source, 2);
    const f = (x: number) => x.toFixed(1).padStart(8);
    console.log(`artifact store throughput, ${megabytes} MiB file, median of ${rounds} rounds, ${os.cpus().length} cores, node ${process.version}`);
    console.log(`                       upload MiB/s  download MiB/s`);
    const ratio = (x: number) => `${x.toFixed(2).padStart(8)}x`;
    console.log(`local directory      ${f(l.upload)}      ${f(l.download)}`);
    console.log(`S3 (s3rver, loopback)${f(b.upload)}      ${f(b.download)}`);
    console.log(`S3 / local           ${ratio(b.upload / l.upload)}     ${ratio(b.download / l.download)}`);
  } finally {
    await s3.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
