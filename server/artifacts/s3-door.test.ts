// The registry's REST door with ARTIFACT_STORE_URL pointing at a real S3-compatible server (s3rver): an upload
// lands in the bucket (not on this replica's disk) and downloads back byte-identical, in full and by range.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OCR_FILES, ocrAsset } from "@/server/registry/ocr-assets";
import type { TestEnv } from "@/server/test-utils";
import { startTestS3, type TestS3 } from "./test-s3";

let s3: TestS3;
let t: TestEnv;
let token: string;
// Imported after the environment names the bucket: server/env.ts reads it once, at import.
let versionsRoute: typeof import("@/app/api/v1/models/[slug]/versions/route");
let artifactRoute: typeof import("@/app/api/v1/models/[slug]/versions/[n]/artifact/route");
let framesRoute: typeof import("@/app/api/v1/frames/route");
let frameImageRoute: typeof import("@/app/api/v1/frames/[id]/image/route");
let artifacts: typeof import("@/server/artifacts");
let env: typeof import("@/server/env");

const CLS = fs.readFileSync(ocrAsset(OCR_FILES.classifier));
const sha = createHash("sha256").update(CLS).digest("hex");

const savedDataDir = process.env.DATA_DIR;

beforeAll(async () => {
  s3 = await startTestS3("door-bucket", "");
  Object.assign(process.env, {
    // A data directory of its own: the run's shared one may already hold this model's bytes from another file's upload,
    // and the test checks that nothing lands on this replica's disk.
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-s3-door-")),
    ARTIFACT_STORE_URL: "s3://door-bucket/portal-a",
    S3_ENDPOINT: s3.config.endpoint,
    S3_FORCE_PATH_STYLE: "1",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
  });
  env = await import("@/server/env");
  artifacts = await import("@/server/artifacts");
  versionsRoute = await import("@/app/api/v1/models/[slug]/versions/route");
  artifactRoute = await import("@/app/api/v1/models/[slug]/versions/[n]/artifact/route");
  framesRoute = await import("@/app/api/v1/frames/route");
  frameImageRoute = await import("@/app/api/v1/frames/[id]/image/route");
  const { setupTestEnv } = await import("@/server/test-utils");
  const { provideDatabase } = await import("@/server/db");
  const { createModel } = await import("@/server/registry/service");
  const { createToken } = await import("@/server/tokens/service");
  t = await setupTestEnv();
  provideDatabase(t);
  await createModel(t.db, t.actors.engineer, { slug: "s3-cls", name: "Classifier", team: "perception", task: "classification" });
  token = (await createToken(t.db, t.actors.engineer, { name: "ci", scopes: ["models:read", "models:write", "frames:write"] })).token;
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
  fs.rmSync(process.env.DATA_DIR!, { recursive: true, force: true });
  process.env.DATA_DIR = savedDataDir;
});

const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const auth = (headers: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...headers });

describe("registry REST on an S3-compatible artifact store", () => {
  it("uploads a model version into the bucket and downloads it back byte-identical", async () => {
    expect(artifacts.artifactStore.kind).toBe("s3");
    const form = new FormData();
    form.append("metadata", JSON.stringify({ description: "in the bucket" }));
    form.append("file", new Blob([new Uint8Array(CLS)]), "cls.onnx");
    const up = await versionsRoute.POST(
      new Request("http://portal.test/api/v1/models/s3-cls/versions", { method: "POST", body: form, headers: auth() }),
      ctx({ slug: "s3-cls" }),
    );
    expect(up.status).toBe(201);
    expect(await up.json()).toMatchObject({ version: 1, sha256: sha });

    // In the bucket under the configured prefix, and not in this replica's artifact directory.
    const raw = new S3Client({ region: "us-east-1", endpoint: s3.config.endpoint, forcePathStyle: true, credentials: s3.config.credentials });
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: "door-bucket" }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([`portal-a/sha256/${sha.slice(0, 2)}/${sha}`]);
    expect(fs.existsSync(path.join(env.artifactDir, "sha256", sha.slice(0, 2), sha))).toBe(false);

    const url = "http://portal.test/api/v1/models/s3-cls/versions/1/artifact";
    const dl = await artifactRoute.GET(new Request(url, { headers: auth() }), ctx({ slug: "s3-cls", n: "1" }));
    expect(dl.status).toBe(200);
    expect(dl.headers.get("etag")).toBe(`"${sha}"`);
    expect(Buffer.from(await dl.arrayBuffer()).equals(CLS)).toBe(true);

    const part = await artifactRoute.GET(new Request(url, { headers: auth({ range: "bytes=16-1039" }) }), ctx({ slug: "s3-cls", n: "1" }));
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 16-1039/${CLS.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(CLS.subarray(16, 1040))).toBe(true);
  });

  it("stores an uploaded frame in the bucket and serves it and its thumbnail from there", async () => {
    const png = await sharp({ create: { width: 960, height: 540, channels: 3, background: "#3366cc" } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append("metadata", JSON.stringify({ tags: ["s3"] }));
    form.append("file", new Blob([new Uint8Array(png)]), "frame.png");
    const up = await framesRoute.POST(new Request("http://portal.test/api/v1/frames", { method: "POST", body: form, headers: auth() }), ctx({}));
    expect(up.status).toBe(201);
    const frame = (await up.json()) as { id: string; sha256: string; sizeBytes: number };
    expect(fs.existsSync(path.join(env.artifactDir, "sha256", frame.sha256.slice(0, 2), frame.sha256))).toBe(false);

    const image = `http://portal.test/api/v1/frames/${frame.id}/image`;
    const full = await frameImageRoute.GET(new Request(image, { headers: auth() }), ctx({ id: frame.id }));
    expect(full.status).toBe(200);
    expect(
      createHash("sha256")
        .update(Buffer.from(await full.arrayBuffer()))
        .digest("hex"),
    ).toBe(frame.sha256);
    const thumb = await frameImageRoute.GET(new Request(`${image}?size=thumb`, { headers: auth() }), ctx({ id: frame.id }));
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect(await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).toMatchObject({ format: "webp", width: 480, height: 270 });
    const head = await frameImageRoute.GET(new Request(image, { headers: auth({ range: "bytes=0-11" }) }), ctx({ id: frame.id }));
    expect(head.status).toBe(206);
    expect(head.headers.get("content-range")).toBe(`bytes 0-11/${frame.sizeBytes}`);
  });

  it("a file gone from the shared bucket is missing for every replica: recorded, and downloads refused", async () => {
    const { verifyAllArtifacts, getVersion } = await import("@/server/registry/service");
    const raw = new S3Client({ region: "us-east-1", endpoint: s3.config.endpoint, forcePathStyle: true, credentials: s3.config.credentials });
    await raw.send(new DeleteObjectCommand({ Bucket: "door-bucket", Key: `portal-a/sha256/${sha.slice(0, 2)}/${sha}` }));
    expect(await verifyAllArtifacts(t.db, artifacts.artifactStore)).toMatchObject({ missing: 1, unseen: 0 });
    expect((await getVersion(t.db, "s3-cls", 1)).artifact?.integrity).toBe("missing");
    const dl = await artifactRoute.GET(
      new Request("http://portal.test/api/v1/models/s3-cls/versions/1/artifact", { headers: auth() }),
      ctx({ slug: "s3-cls", n: "1" }),
    );
    expect(dl.status).toBe(412);
  });
});
