// Content-addressed artifact store on this replica's filesystem: bytes are streamed to a temp file while hashed,
// then moved to <root>/sha256/<ab>/<hash>; the same bytes are stored once. The default, for embedded mode.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { Unavailable } from "@/server/errors";
import { type ArtifactStore, type ByteRange, digestKey, hashOf, type Integrity, type StagedFile, stageToFile } from "./store";

export class LocalArtifactStore implements ArtifactStore {
  readonly kind = "local" as const;
  readonly shared = false;

  constructor(readonly root: string) {}

  pathFor(sha256: string): string {
    return path.join(this.root, ...digestKey(sha256).split("/"));
  }

  stage(source: AsyncIterable<Uint8Array>, limit: number): Promise<StagedFile> {
    return stageToFile(path.join(this.root, "tmp"), source, limit);
  }

  /** Moves a staged file into place; if the same bytes are already stored, the copy is dropped. */
  async commit(staged: StagedFile): Promise<void> {
    const dest = this.pathFor(staged.sha256);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    if (fs.existsSync(dest)) {
      await fsp.rm(staged.tmpPath, { force: true });
    } else {
      await fsp.rename(staged.tmpPath, dest);
      await fsp.chmod(dest, 0o444);
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
    return fs.existsSync(this.pathFor(sha256));
  }

  async openRead(sha256: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathFor(sha256);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      // The database says the bytes exist; this replica's directory does not have them.
      throw new Unavailable(
        "This replica cannot read the stored file from its artifact directory; every replica must use the same artifact store (ARTIFACT_STORE_URL)",
      );
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async localFile(sha256: string): Promise<string> {
    return this.pathFor(sha256);
  }

  async verify(sha256: string): Promise<Integrity> {
    const file = this.pathFor(sha256);
    if (!fs.existsSync(file)) return "missing";
    return (await hashOf(fs.createReadStream(file))) === sha256 ? "ok" : "mismatch";
  }
}
