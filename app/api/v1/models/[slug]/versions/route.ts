import { artifactStore } from "@/server/artifacts";
import { env } from "@/server/env";
import { readJson } from "@/server/http/body";
import { parseUploadWithMetadata } from "@/server/http/multipart";
import { rest } from "@/server/http/rest";
import { getModel, registerVersion, versionResource } from "@/server/registry/service";

export const GET = rest({ route: "/api/v1/models/[slug]/versions", scope: "models:read" }, async ({ db, params }) => {
  const { versions, aliases } = await getModel(db, params.slug);
  return { items: versions, aliases };
});

// multipart: `file` (ONNX bytes) + `metadata` (JSON); or a JSON body with `artifactUri` for an external artifact.
export const POST = rest({ route: "/api/v1/models/[slug]/versions", scope: "models:write", status: 201 }, async ({ db, actor, params, req }) => {
  const type = req.headers.get("content-type") ?? "";
  if (type.startsWith("application/json")) {
    const v = await registerVersion(db, artifactStore, actor, params.slug, await readJson(req, env.MAX_BODY_BYTES));
    return Response.json(versionResource(v), { status: 201 });
  }
  const { file, metadata } = await parseUploadWithMetadata(req, artifactStore, env.MAX_ARTIFACT_BYTES, "the ONNX file");
  const v = await registerVersion(db, artifactStore, actor, params.slug, metadata, { staged: file.staged, fileName: file.fileName, mediaType: file.mimeType });
  return Response.json(versionResource(v), { status: 201 });
});
