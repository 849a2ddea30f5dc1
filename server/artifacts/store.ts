// The artifact store interface: content-addressed bytes keyed by their sha256, with two implementations,
// the local directory (server/artifacts/local.ts, embedded mode) and an S3-compatible bucket (server/artifacts/s3.ts).
// Uploads are staged to a local temp file while hashed, so the services can inspect them (ONNX parsing, image
// decoding) before anything is stored; only hex digests ever become file names or object keys.
import { createHash, randomUUID } from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Invalid, TooLarge } from "@/server/errors";

const HEX64 = /^[0-9a-f]{64}$/;

export type StagedFile = { tmpPath: string; sha256: string; size: number };
export type Integrity = "ok" | "mismatch" | "missing";
/** Inclusive byte offsets, as in an HTTP Range header. */
export type ByteRange = { start: number; end: number };

export interface ArtifactStore {
  /** "local": this replica's directory; "s3": a bucket. */
  readonly kind: "local" | "s3";
  /**
   * True when every replica sees the same bytes (a bucket). Only then is "missing" a fact for everyone;
   * a replica's own directory lacking a file says something about that replica, not about the artifact.
   */
  readonly shared: boolean;
  /** Streams `source` to a local temp file, hashing as it goes; refuses more than `limit` bytes. */
  stage(source: AsyncIterable<Uint8Array>, limit: number): Promise<StagedFile>;
  /** Stores a staged file under its sha256 and removes the temp file; the same bytes are stored once. */
  commit(staged: StagedFile): Promise<void>;
  discard(staged: StagedFile): Promise<void>;
  putBytes(bytes: Uint8Array, limit?: number): Promise<{ sha256: string; size: number }>;
  exists(sha256: string): Promise<boolean>;
  /**
   * The stored bytes (or one range of them), already opened: a file that is not there rejects here, before a
   * caller has sent any status line. Missing bytes reject with a DomainError saying whose problem it is.
   */
  openRead(sha256: string, range?: ByteRange): Promise<Readable>;
  /** A local file holding the bytes, for libraries that want a path (onnxruntime workers). */
  localFile(sha256: string): Promise<string>;
  /**
   * A URL the client can fetch the bytes from directly (a bucket's presigned URL), answered with these headers;
   * null when the store serves bytes only through the portal (the local directory, or presigning not enabled).
   */
  directUrl?(sha256: string, response: { contentType: string; disposition: string }): Promise<string | null>;
  /** Re-hashes the stored bytes: "ok", "mismatch" (bytes changed) or "missing". */
  verify(sha256: string): Promise<Integrity>;
}

export function assertDigest(sha256: string): void {
  if (!HEX64.test(sha256)) throw new Invalid("Not a sha256 digest");
}

/** `sha256/<ab>/<hash>`: the relative name of a digest's bytes in either store. */
export function digestKey(sha256: string): string {
  assertDigest(sha256);
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** Streams `source` into a new file under `dir` with its sha256 computed on the way; nothing is left on failure. */
export async function stageToFile(dir: string, source: AsyncIterable<Uint8Array>, limit: number): Promise<StagedFile> {
  await fsp.mkdir(dir, { recursive: true });
  const tmpPath = path.join(dir, randomUUID());
  const hash = createHash("sha256");
  let size = 0;
  // Open before streaming: a write stream opens its file asynchronously, so a refusal in the first
  // chunk could otherwise race the cleanup below and leave a temp file behind.
  const handle = await fsp.open(tmpPath, "wx");
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          size += chunk.byteLength;
          if (size > limit) throw new TooLarge(`The file is larger than the limit of ${limit} bytes`);
          hash.update(chunk);
          yield chunk;
        }
      },
      handle.createWriteStream(),
    );
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fsp.rm(tmpPath, { force: true });
    throw e;
  }
  return { tmpPath, sha256: hash.digest("hex"), size };
}

/** A stored file's whole content in memory: for models and frames that are decoded at once anyway. */
export async function storedBytes(store: ArtifactStore, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await store.openRead(sha256)) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** The sha256 of everything `source` yields. */
export async function hashOf(source: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of source) hash.update(chunk);
  return hash.digest("hex");
}
