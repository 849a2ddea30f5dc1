// Content-addressed artifact store on the filesystem: bytes are streamed to a temp file while hashed,
// then moved to <root>/sha256/<ab>/<hash>; the same bytes are stored once. Names from users never
// reach the filesystem: only hex digests do.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Invalid, TooLarge } from "@/server/errors";

const HEX64 = /^[0-9a-f]{64}$/;

export type StagedFile = { tmpPath: string; sha256: string; size: number };

export class ArtifactStore {
  constructor(readonly root: string) {}

  pathFor(sha256: string): string {
    if (!HEX64.test(sha256)) throw new Invalid("Not a sha256 digest");
    return path.join(this.root, "sha256", sha256.slice(0, 2), sha256);
  }

  /** Streams `source` to a temp file, hashing as it goes; refuses more than `limit` bytes. */
  async stage(source: AsyncIterable<Uint8Array>, limit: number): Promise<StagedFile> {
    const tmpDir = path.join(this.root, "tmp");
    await fsp.mkdir(tmpDir, { recursive: true });
    const tmpPath = path.join(tmpDir, randomUUID());
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

  /** Moves a staged file into place; if the same bytes are already stored, the copy is dropped. */
  async commit(staged: StagedFile): Promise<string> {
    const dest = this.pathFor(staged.sha256);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    if (fs.existsSync(dest)) {
      await fsp.rm(staged.tmpPath, { force: true });
    } else {
      await fsp.rename(staged.tmpPath, dest);
      await fsp.chmod(dest, 0o444);
    }
    return dest;
  }

  async discard(staged: StagedFile): Promise<void> {
    await fsp.rm(staged.tmpPath, { force: true });
  }

  async putBytes(bytes: Uint8Array, limit = Number.MAX_SAFE_INTEGER): Promise<{ sha256: string; size: number }> {
    const staged = await this.stage(Readable.from([bytes]), limit);
    await this.commit(staged);
    return { sha256: staged.sha256, size: staged.size };
  }

  exists(sha256: string): boolean {
    return fs.existsSync(this.pathFor(sha256));
  }

  openRead(sha256: string): fs.ReadStream {
    return fs.createReadStream(this.pathFor(sha256));
  }

  /** Re-hashes the stored bytes: "ok", "mismatch" (bytes changed) or "missing". */
  async verify(sha256: string): Promise<"ok" | "mismatch" | "missing"> {
    const file = this.pathFor(sha256);
    if (!fs.existsSync(file)) return "missing";
    const hash = createHash("sha256");
    await pipeline(fs.createReadStream(file), hash);
    return hash.digest("hex") === sha256 ? "ok" : "mismatch";
  }
}
