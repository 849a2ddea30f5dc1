// S3_PRESIGNED_DOWNLOADS against a real S3-compatible server (s3rver): an API client's download is a redirect to a
// presigned URL of the bucket that serves the same bytes, type and file name (ranges too); a 304 stays a 304.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OCR_FILES, ocrAsset } from "@/server/registry/ocr-assets";
import type { TestEnv } from "@/server/test-utils";
import { startTestS3, type TestS3 } from "./test-s3";

let s3: TestS3;
let t: TestEnv;
let token: string;
// Imported after the environment is set: server/env.ts reads it once, at import.
let versionsRoute: typeof import("@/app/api/v1/models/[slug]/versions/route");
let artifactRoute: typeof import("@/app/api/v1/models/[slug]/versions/[n]/artifact/route");

const CLS = fs.readFileSync(ocrAsset(OCR_FILES.classifier));
const sha = createHash("sha256").update(CLS).digest("hex");
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const auth = (headers: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...headers });
const url = "http://portal.test/api/v1/models/presigned-cls/versions/1/artifact";

beforeAll(async () => {
  s3 = await startTestS3("presign-bucket", "");
  Object.assign(process.env, {
    ARTIFACT_STORE_URL: "s3://presign-bucket/portal",
    S3_ENDPOINT: s3.config.endpoint,
    S3_FORCE_PATH_STYLE: "1",
    S3_PRESIGNED_DOWNLOADS: "1",
    S3_PRESIGN_SECONDS: "120",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
  });
  versionsRoute = await import("@/app/api/v1/models/[slug]/versions/route");
  artifactRoute = await import("@/app/api/v1/models/[slug]/versions/[n]/artifact/route");
  const { setupTestEnv } = await import("@/server/test-utils");
  const { provideDatabase } = await import("@/server/db");
  const { createModel } = await import("@/server/registry/service");
  const { createToken } = await import("@/server/tokens/service");
  t = await setupTestEnv();
  provideDatabase(t);
  await createModel(t.db, t.actors.engineer, { slug: "presigned-cls", name: "Classifier", team: "perception", task: "classification" });
  token = (await createToken(t.db, t.actors.engineer, { name: "ci", scopes: ["models:read", "models:write"] })).token;
  const form = new FormData();
  form.append("metadata", JSON.stringify({ description: "served from the bucket" }));
  form.append("file", new Blob([new Uint8Array(CLS)]), "cls.onnx");
  const up = await versionsRoute.POST(
    new Request("http://portal.test/api/v1/models/presigned-cls/versions", { method: "POST", body: form, headers: auth() }),
    ctx({ slug: "presigned-cls" }),
  );
  expect(up.status).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

describe("presigned downloads", () => {
  it("redirects an API client to a presigned URL of the bucket that serves the same bytes, type and file name", async () => {
    const res = await artifactRoute.GET(new Request(url, { headers: auth() }), ctx({ slug: "presigned-cls", n: "1" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("etag")).toBe(`"${sha}"`);
    const location = res.headers.get("location")!;
    expect(location.startsWith(`${s3.config.endpoint}/presign-bucket/portal/sha256/${sha.slice(0, 2)}/${sha}?`)).toBe(true);
    expect(location).toMatch(/X-Amz-Expires=120/);

    // Straight from the bucket, with no portal credential: the signature is the permission.
    const direct = await fetch(location);
    expect(direct.status).toBe(200);
    expect(Buffer.from(await direct.arrayBuffer()).equals(CLS)).toBe(true);
    expect(direct.headers.get("content-disposition")).toMatch(/cls\.onnx|presigned-cls/);

    const part = await fetch(location, { headers: { range: "bytes=16-1039" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(CLS.subarray(16, 1040))).toBe(true);
  });

  it("still answers 304 to a client that holds the bytes, without a redirect", async () => {
    const res = await artifactRoute.GET(new Request(url, { headers: auth({ "if-none-match": `"${sha}"` }) }), ctx({ slug: "presigned-cls", n: "1" }));
    expect(res.status).toBe(304);
    expect(res.headers.get("location")).toBeNull();
  });
});
