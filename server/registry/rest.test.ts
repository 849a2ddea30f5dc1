// The registry's REST door with API tokens, through the real route handlers and a test database:
// scopes, multipart upload of a real ONNX file, refusals that store nothing, aliases, download.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as aliasRoute from "@/app/api/v1/models/[slug]/aliases/[alias]/route";
import * as artifactRoute from "@/app/api/v1/models/[slug]/versions/[n]/artifact/route";
import * as versionsRoute from "@/app/api/v1/models/[slug]/versions/route";
import * as modelsRoute from "@/app/api/v1/models/route";
import { artifactStore } from "@/server/artifacts";
import type { LocalArtifactStore } from "@/server/artifacts/local";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { OCR_FILES, ocrAsset } from "./ocr-assets";

let t: TestEnv;
let writer: string;
let reader: string;
const CLS = fs.readFileSync(ocrAsset(OCR_FILES.classifier));
const sha = createHash("sha256").update(CLS).digest("hex");

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  writer = (await createToken(t.db, t.actors.engineer, { name: "ci", scopes: ["models:read", "models:write"] })).token;
  reader = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["models:read"] })).token;
});
afterAll(async () => {
  await t.close();
});

type Params = Record<string, string>;
const ctx = (params: Params) => ({ params: Promise.resolve(params) });
const req = (method: string, path: string, token: string | null, body?: BodyInit, type?: string) =>
  new Request(`http://portal.test${path}`, {
    method,
    body,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(type ? { "content-type": type } : {}) },
  });
const form = (file: Uint8Array, metadata: object) => {
  const f = new FormData();
  f.append("metadata", JSON.stringify(metadata));
  f.append("file", new Blob([new Uint8Array(file)]), "model.onnx");
  return f;
};

describe("registry REST with tokens", () => {
  it("creates a model, uploads real ONNX, refuses bad files without a trace, resolves aliases and downloads", async () => {
    const created = await modelsRoute.POST(
      req(
        "POST",
        "/api/v1/models",
        writer,
        JSON.stringify({ slug: "rest-cls", name: "Classifier", team: "perception", task: "classification" }),
        "application/json",
      ),
      ctx({}),
    );
    expect(created.status).toBe(201);

    const up = await versionsRoute.POST(
      req("POST", "/api/v1/models/rest-cls/versions", writer, form(CLS, { description: "first" })),
      ctx({ slug: "rest-cls" }),
    );
    expect(up.status).toBe(201);
    const v1 = await up.json();
    expect(v1).toMatchObject({ version: 1, sha256: sha, onnx: { inputs: [{ name: "x" }], opsetImports: [{ domain: "", version: 9 }] } });

    for (const bad of [CLS.subarray(0, 50_000), new TextEncoder().encode("not a model")]) {
      const r = await versionsRoute.POST(req("POST", "/api/v1/models/rest-cls/versions", writer, form(bad, {})), ctx({ slug: "rest-cls" }));
      expect(r.status).toBe(400);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      expect((await r.json()).detail).toMatch(/truncated|not an ONNX model/);
    }
    const list = await (await versionsRoute.GET(req("GET", "/api/v1/models/rest-cls/versions", reader), ctx({ slug: "rest-cls" }))).json();
    expect(list.items).toHaveLength(1);

    const put = await aliasRoute.PUT(
      req("PUT", "/api/v1/models/rest-cls/aliases/production", writer, JSON.stringify({ version: 1 }), "application/json"),
      ctx({ slug: "rest-cls", alias: "production" }),
    );
    expect(put.status).toBe(200);
    const resolved = await (
      await aliasRoute.GET(req("GET", "/api/v1/models/rest-cls/aliases/production", reader), ctx({ slug: "rest-cls", alias: "production" }))
    ).json();
    expect(resolved).toMatchObject({ version: 1, sha256: sha, size: CLS.length, downloadUrl: "http://portal.test/api/v1/models/rest-cls/versions/1/artifact" });
    // A caller's Host or X-Forwarded-Host never becomes the download URL's origin.
    const spoofed = req("GET", "/api/v1/models/rest-cls/aliases/production", reader);
    spoofed.headers.set("x-forwarded-host", "evil.example");
    spoofed.headers.set("x-forwarded-proto", "https");
    spoofed.headers.set("host", "evil.example");
    const viaSpoof = await (await aliasRoute.GET(spoofed, ctx({ slug: "rest-cls", alias: "production" }))).json();
    expect(viaSpoof.downloadUrl).toBe("http://portal.test/api/v1/models/rest-cls/versions/1/artifact");

    const dl = await artifactRoute.GET(req("GET", "/api/v1/models/rest-cls/versions/1/artifact", reader), ctx({ slug: "rest-cls", n: "1" }));
    expect(dl.headers.get("etag")).toBe(`"${sha}"`);
    expect(
      createHash("sha256")
        .update(Buffer.from(await dl.arrayBuffer()))
        .digest("hex"),
    ).toBe(sha);
    const cached = await artifactRoute.GET(
      new Request("http://portal.test/x", { headers: { authorization: `Bearer ${reader}`, "if-none-match": `"${sha}"` } }),
      ctx({ slug: "rest-cls", n: "1" }),
    );
    expect(cached.status).toBe(304);
  });

  it("refuses a read-only token, no token and a bad token, and unknown fields", async () => {
    const denied = await aliasRoute.PUT(
      req("PUT", "/api/v1/models/rest-cls/aliases/staging", reader, JSON.stringify({ version: 1 }), "application/json"),
      ctx({ slug: "rest-cls", alias: "staging" }),
    );
    expect(denied.status).toBe(403);
    expect((await modelsRoute.GET(req("GET", "/api/v1/models", "snt_nope"), ctx({}))).status).toBe(401);
    const unknown = await modelsRoute.POST(
      req("POST", "/api/v1/models", writer, JSON.stringify({ slug: "x-y", name: "x", team: "t", task: "other", owner: "me" }), "application/json"),
      ctx({}),
    );
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).detail).toMatch(/owner/);
    const malformed = await modelsRoute.POST(req("POST", "/api/v1/models", writer, "{bad", "application/json"), ctx({}));
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).detail).toMatch(/Malformed JSON/);
  });
  it("a replica whose own directory lacks the file answers 503 before any byte, not a 200 with an empty body", async () => {
    const file = (artifactStore as LocalArtifactStore).pathFor(sha);
    fs.renameSync(file, `${file}.elsewhere`);
    try {
      const dl = await artifactRoute.GET(req("GET", "/api/v1/models/rest-cls/versions/1/artifact", reader), ctx({ slug: "rest-cls", n: "1" }));
      expect(dl.status).toBe(503);
      expect(dl.headers.get("retry-after")).not.toBeNull();
      expect((await dl.json()).detail).toMatch(/same artifact store/);
    } finally {
      fs.renameSync(`${file}.elsewhere`, file);
    }
    const back = await artifactRoute.GET(req("GET", "/api/v1/models/rest-cls/versions/1/artifact", reader), ctx({ slug: "rest-cls", n: "1" }));
    expect(back.status).toBe(200);
    expect(
      createHash("sha256")
        .update(Buffer.from(await back.arrayBuffer()))
        .digest("hex"),
    ).toBe(sha);
  });
});
