import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { ArtifactStore } from "./store";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-store-"));
const store = new ArtifactStore(root);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("artifact store", () => {
  it("stores streamed bytes by their sha256, once", async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    const chunks = Array.from({ length: 12 }, (_, i) => bytes.subarray(i * 262144, (i + 1) * 262144));
    const a = await store.stage(Readable.from(chunks), bytes.length);
    expect(a).toMatchObject({ sha256: sha(bytes), size: bytes.length });
    const dest = await store.commit(a);
    expect(dest).toBe(path.join(root, "sha256", a.sha256.slice(0, 2), a.sha256));
    const again = await store.putBytes(bytes);
    expect(again.sha256).toBe(a.sha256);
    expect(fs.readdirSync(path.join(root, "tmp"))).toEqual([]);
    expect(await store.verify(a.sha256)).toBe("ok");
  });

  it("refuses more than the limit and leaves nothing behind", async () => {
    await expect(store.stage(Readable.from([new Uint8Array(10), new Uint8Array(10)]), 15)).rejects.toMatchObject({ code: "TOO_LARGE" });
    expect(fs.readdirSync(path.join(root, "tmp"))).toEqual([]);
  });

  it("detects changed and missing bytes, and refuses non-digest paths", async () => {
    const { sha256 } = await store.putBytes(new TextEncoder().encode("weights v1"));
    const file = store.pathFor(sha256);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, "weights v2");
    expect(await store.verify(sha256)).toBe("mismatch");
    expect(await store.verify("0".repeat(64))).toBe("missing");
    expect(() => store.pathFor("../../etc/passwd")).toThrow(/sha256/);
  });
});
