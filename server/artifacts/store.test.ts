// One contract, run against every artifact store: the local directory, and an S3-compatible bucket on a real
// server (s3rver) started here. Each harness says how to list what is stored and how to corrupt stored bytes.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedResponse } from "@/server/http/immutable";
import { LocalArtifactStore } from "./local";
import { S3ArtifactStore } from "./s3";
import type { ArtifactStore } from "./store";
import { startTestS3, type TestS3 } from "./test-s3";

type Harness = {
  store: ArtifactStore;
  /** Where this store stages uploads: must be empty after every upload, accepted or refused. */
  stagingDir: string;
  /** Every stored object's name. */
  stored: () => Promise<string[]>;
  /** Replaces the stored bytes of a digest behind the store's back. */
  tamper: (sha256: string, bytes: Uint8Array) => Promise<void>;
  missingCode: string;
};

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const listDir = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name))
    : [];

const localRoot = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-store-"));
let s3: TestS3 | undefined;
afterAll(async () => {
  fs.rmSync(localRoot, { recursive: true, force: true });
  await s3?.close();
});

const harnesses: Array<[string, () => Promise<Harness>]> = [
  [
    "local directory",
    async () => {
      const store = new LocalArtifactStore(localRoot);
      return {
        store,
        stagingDir: path.join(localRoot, "tmp"),
        stored: async () => listDir(path.join(localRoot, "sha256")),
        tamper: async (digest, bytes) => {
          fs.chmodSync(store.pathFor(digest), 0o644);
          fs.writeFileSync(store.pathFor(digest), bytes);
        },
        missingCode: "UNAVAILABLE",
      };
    },
  ],
  [
    "S3-compatible bucket",
    async () => {
      s3 = await startTestS3();
      const { config } = s3;
      const tmp = fs.mkdtempSync(path.join(localRoot, "s3-"));
      const store = new S3ArtifactStore(config, path.join(tmp, "staging"), path.join(tmp, "cache"));
      // A client of our own, behind the store's back.
      const raw = new S3Client({
        region: config.region,
        endpoint: config.endpoint,
        forcePathStyle: true,
        credentials: config.credentials,
        requestChecksumCalculation: "WHEN_REQUIRED",
      });
      return {
        store,
        stagingDir: store.stagingDir,
        stored: async () =>
          ((await raw.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix }))).Contents ?? []).map((o) => o.Key!).sort(),
        tamper: async (digest, bytes) => {
          await raw.send(new PutObjectCommand({ Bucket: config.bucket, Key: store.keyFor(digest), Body: bytes }));
        },
        missingCode: "PRECONDITION_FAILED",
      };
    },
  ],
];

describe.each(harnesses)("artifact store contract: %s", (_name, make) => {
  let h: Harness;
  const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251);
  const digest = sha(bytes);
  beforeAll(async () => {
    h = await make();
  });

  it("stores streamed bytes by their sha256, once", async () => {
    const chunks = Array.from({ length: 12 }, (_, i) => bytes.subarray(i * 262144, (i + 1) * 262144));
    const staged = await h.store.stage(Readable.from(chunks), bytes.length);
    expect(staged).toMatchObject({ sha256: digest, size: bytes.length });
    expect(await h.store.exists(digest)).toBe(false);
    await h.store.commit(staged);
    expect(await h.store.exists(digest)).toBe(true);
    const before = await h.stored();
    const again = await h.store.putBytes(bytes);
    expect(again).toEqual({ sha256: digest, size: bytes.length });
    expect(await h.stored()).toEqual(before);
    expect(before.filter((k) => k.endsWith(`sha256/${digest.slice(0, 2)}/${digest}`))).toHaveLength(1);
    expect(listDir(h.stagingDir)).toEqual([]);
    expect(sha(await buffer(await h.store.openRead(digest)))).toBe(digest);
    expect(await h.store.verify(digest)).toBe("ok");
    expect(sha(fs.readFileSync(await h.store.localFile(digest)))).toBe(digest);
  });

  it("stores a file larger than one upload part (multipart on S3)", async () => {
    const big = Buffer.alloc(17 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    const { sha256, size } = await h.store.putBytes(big);
    expect(size).toBe(big.length);
    expect(sha(await buffer(await h.store.openRead(sha256)))).toBe(sha(big));
    expect(await h.store.verify(sha256)).toBe("ok");
    expect(listDir(h.stagingDir)).toEqual([]);
  });

  it("refuses more than the limit and leaves nothing behind", async () => {
    const before = await h.stored();
    await expect(h.store.stage(Readable.from([new Uint8Array(10), new Uint8Array(10)]), 15)).rejects.toMatchObject({ code: "TOO_LARGE" });
    await expect(h.store.putBytes(new Uint8Array(20).fill(9), 15)).rejects.toMatchObject({ code: "TOO_LARGE" });
    expect(listDir(h.stagingDir)).toEqual([]);
    expect(await h.stored()).toEqual(before);
  });

  it("reads one range of the bytes", async () => {
    const part = await buffer(await h.store.openRead(digest, { start: 1000, end: 1999 }));
    expect(new Uint8Array(part)).toEqual(bytes.subarray(1000, 2000));
    const tail = await buffer(await h.store.openRead(digest, { start: bytes.length - 5, end: bytes.length - 1 }));
    expect(new Uint8Array(tail)).toEqual(bytes.subarray(bytes.length - 5));
  });

  it("serves downloads with Range: 206 and Content-Range, 416 past the end, 200 otherwise", async () => {
    const etag = `"${digest}"`;
    const get = (headers: Record<string, string>) => storedResponse(new Request("http://x/a", { headers }), h.store, digest, bytes.length, { etag });
    const whole = await get({});
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-length")).toBe(String(bytes.length));
    expect(sha(new Uint8Array(await whole.arrayBuffer()))).toBe(digest);

    const mid = await get({ range: "bytes=100-199" });
    expect(mid.status).toBe(206);
    expect(mid.headers.get("content-range")).toBe(`bytes 100-199/${bytes.length}`);
    expect(mid.headers.get("content-length")).toBe("100");
    expect(new Uint8Array(await mid.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const suffix = await get({ range: "bytes=-10" });
    expect(suffix.headers.get("content-range")).toBe(`bytes ${bytes.length - 10}-${bytes.length - 1}/${bytes.length}`);
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));

    const open = await get({ range: `bytes=${bytes.length - 3}-`, "if-range": etag });
    expect(open.status).toBe(206);
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 3));

    const past = await get({ range: `bytes=${bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${bytes.length}`);

    // Bytes other than the client's copy, or several ranges: the whole file.
    expect((await get({ range: "bytes=0-9", "if-range": '"other"' })).status).toBe(200);
    expect((await get({ range: "bytes=0-9,20-29" })).status).toBe(200);
  });

  it("detects changed and missing bytes, and refuses non-digest names", async () => {
    const { sha256 } = await h.store.putBytes(new TextEncoder().encode("weights v1"));
    await h.tamper(sha256, new TextEncoder().encode("weights v2"));
    expect(await h.store.verify(sha256)).toBe("mismatch");
    const absent = "0".repeat(64);
    expect(await h.store.verify(absent)).toBe("missing");
    expect(await h.store.exists(absent)).toBe(false);
    await expect(h.store.openRead(absent)).rejects.toMatchObject({ code: h.missingCode });
    await expect(storedResponse(null, h.store, absent, 10, {})).rejects.toMatchObject({ code: h.missingCode });
    await expect(h.store.openRead("../../etc/passwd")).rejects.toThrow(/sha256/);
    await expect(h.store.exists("../../etc/passwd")).rejects.toThrow(/sha256/);
  });
});

describe("S3 store: local copies for the inference workers", () => {
  it("are checked against their digest: tampered bytes in the bucket are refused, not cached", async () => {
    const server = await startTestS3("copies", "");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-s3-copies-"));
    try {
      const store = new S3ArtifactStore(server.config, path.join(tmp, "staging"), path.join(tmp, "cache"));
      const good = await store.putBytes(new TextEncoder().encode("weights that load"));
      expect(fs.readFileSync(await store.localFile(good.sha256), "utf8")).toBe("weights that load");
      const bad = await store.putBytes(new TextEncoder().encode("weights v1"));
      const raw = new S3Client({ region: "us-east-1", endpoint: server.config.endpoint, forcePathStyle: true, credentials: server.config.credentials });
      await raw.send(new PutObjectCommand({ Bucket: "copies", Key: store.keyFor(bad.sha256), Body: "weights v2" }));
      await expect(store.localFile(bad.sha256)).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      expect(fs.readdirSync(path.join(tmp, "cache")).filter((n) => n !== "tmp")).toEqual([good.sha256]);
      expect(fs.readdirSync(path.join(tmp, "cache", "tmp"))).toEqual([]);
    } finally {
      await server.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
