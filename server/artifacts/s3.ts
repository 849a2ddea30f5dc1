// Artifacts in an S3-compatible bucket (AWS S3, MinIO, R2, Ceph), keyed <prefix>sha256/<ab>/<hash> like the local
// store, so every replica sees the same bytes and the same bytes are stored once.
//
// Uploads are staged to a local temp file while hashed, then sent to their final key; not to a temp object
// copied into place. Why: the services inspect a staged upload before accepting it (the registry parses the
// ONNX file, frames are decoded), so the bytes must be readable here anyway; the key is known before the first
// byte reaches the bucket, so there is no server-side copy (CopyObject stops at 5 GB in one request and writes
// everything twice); a refused upload (too large, not a model) never touches the bucket; and a replica killed
// mid-upload leaves no orphaned temp object behind, only a temp file that dies with its container. Two
// replicas committing the same bytes at once both write identical content to one key, which is harmless.
//
// The SDK is imported on first use, so no S3 client code runs (or loads) when ARTIFACT_STORE_URL is unset.
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import type { S3StoreConfig } from "@/server/env";
import { PreconditionFailed } from "@/server/errors";
import { type ArtifactStore, type ByteRange, digestKey, hashOf, type Integrity, type StagedFile, stageToFile } from "./store";

type Sdk = { client: S3Client; s3: typeof import("@aws-sdk/client-s3"); storage: typeof import("@aws-sdk/lib-storage") };

// Parts of a multipart upload: S3 wants at least 5 MiB per part (but the last); 16 MiB x 4 in flight keeps a
// 1 GiB model at 64 parts and at most 64 MiB of memory per upload.
const PART_BYTES = 16 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === "NotFound" || err?.name === "NoSuchKey" || err?.$metadata?.httpStatusCode === 404;
}

export class S3ArtifactStore implements ArtifactStore {
  readonly kind = "s3" as const;
  readonly shared = true;
  private sdk?: Promise<Sdk>;

  constructor(
    readonly config: S3StoreConfig,
    /** Uploads in flight, before they go to the bucket. */
    readonly stagingDir = path.join(os.tmpdir(), "sentinel-artifact-staging"),
    /** Local copies of weights for onnxruntime, named by (and checked against) their digest, so never stale. */
    readonly cacheDir = path.join(os.tmpdir(), "sentinel-artifact-cache"),
  ) {}

  keyFor(sha256: string): string {
    return `${this.config.prefix}${digestKey(sha256)}`;
  }

  private load(): Promise<Sdk> {
    return (this.sdk ??= (async () => {
      const [s3, storage] = await Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/lib-storage")]);
      const client = new s3.S3Client({
        region: this.config.region,
        endpoint: this.config.endpoint,
        forcePathStyle: this.config.forcePathStyle,
        credentials: this.config.credentials,
        // The SDK's default CRC32 trailers (aws-chunked bodies) are not understood by every S3-compatible store;
        // integrity here is the sha256 the key is named by, re-checked by verify().
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
      return { s3, storage, client };
    })());
  }

  stage(source: AsyncIterable<Uint8Array>, limit: number): Promise<StagedFile> {
    return stageToFile(this.stagingDir, source, limit);
  }

  async commit(staged: StagedFile): Promise<void> {
    try {
      if (await this.exists(staged.sha256)) return;
      const { client, storage } = await this.load();
      // One PutObject below PART_BYTES, a multipart upload above (aborted on failure, so no parts are left billed).
      const upload = new storage.Upload({
        client,
        params: {
          Bucket: this.config.bucket,
          Key: this.keyFor(staged.sha256),
          Body: fs.createReadStream(staged.tmpPath),
          ContentType: "application/octet-stream",
        },
        partSize: PART_BYTES,
        queueSize: PARTS_IN_FLIGHT,
        leavePartsOnError: false,
      });
      await upload.done();
    } finally {
      await fsp.rm(staged.tmpPath, { force: true });
    }
  }

  async discard(staged: StagedFile): Promise<void> {
    await fsp.rm(staged.tmpPath, { force: true });
  }

  async putBytes(bytes: Uint8Array, limit = Number.MAX_SAFE_INTEGER): Promise<{ sha256: string; size: number }> {
    const staged = await this.stage(Readable.from([bytes]), limit);
    await this.commit(staged);
    return { sha256: staged.sha256, size: staged.size };
  }

  async exists(sha256: string): Promise<boolean> {
    const key = this.keyFor(sha256);
    const { client, s3 } = await this.load();
    try {
      await client.send(new s3.HeadObjectCommand({ Bucket: this.config.bucket, Key: key }));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async directUrl(sha256: string, response: { contentType: string; disposition: string }): Promise<string | null> {
    if (!this.config.presignSeconds) return null;
    const { client, s3 } = await this.load();
    const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
    // The bucket answers with the portal's content type and file name, so the client sees the same download.
    const command = new s3.GetObjectCommand({
      Bucket: this.config.bucket,
      Key: this.keyFor(sha256),
      ResponseContentType: response.contentType,
      ResponseContentDisposition: response.disposition,
    });
    return getSignedUrl(client, command, { expiresIn: this.config.presignSeconds });
  }

  async openRead(sha256: string, range?: ByteRange): Promise<Readable> {
    const key = this.keyFor(sha256);
    const { client, s3 } = await this.load();
    try {
      const out = await client.send(
        new s3.GetObjectCommand({ Bucket: this.config.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      const body = out.Body;
      if (body instanceof Readable) return body;
      if (body && "transformToWebStream" in body) return Readable.fromWeb(body.transformToWebStream() as Parameters<typeof Readable.fromWeb>[0]);
      throw new Error(`The object store answered ${key} without a body`);
    } catch (e) {
      // Every replica reads this bucket: the file is gone for everyone, as the integrity check records.
      if (isNotFound(e)) throw new PreconditionFailed(`The stored file is missing from the artifact store (s3://${this.config.bucket}/${key})`);
      throw e;
    }
  }

  async localFile(sha256: string): Promise<string> {
    const file = path.join(this.cacheDir, digestKey(sha256).split("/").pop()!);
    if (fs.existsSync(file)) return file;
    const staged = await stageToFile(path.join(this.cacheDir, "tmp"), await this.openRead(sha256), Number.MAX_SAFE_INTEGER);
    if (staged.sha256 !== sha256) {
      await fsp.rm(staged.tmpPath, { force: true });
      throw new PreconditionFailed("The stored file no longer matches its sha256; it cannot be used");
    }
    await fsp.rename(staged.tmpPath, file);
    return file;
  }

  async verify(sha256: string): Promise<Integrity> {
    let stream: Readable;
    try {
      stream = await this.openRead(sha256);
    } catch (e) {
      if (e instanceof PreconditionFailed) return "missing";
      throw e;
    }
    return (await hashOf(stream)) === sha256 ? "ok" : "mismatch";
  }
}
