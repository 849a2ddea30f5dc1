import { artifactStore } from "@/server/artifacts";
import { env } from "@/server/env";
import { Invalid } from "@/server/errors";
import { readJson } from "@/server/http/body";
import { parseUpload } from "@/server/http/multipart";
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
    const v = await registerVersion(db, artifactStore, actor, params.slug, (await readJson(req, env.MAX_BODY_BYTES)));
    return Response.json(versionResource(v), { status: 201 });
  }
  const upload = await parseUpload(req, artifactStore, env.MAX_ARTIFACT_BYTES);
  let metadata: unknown = {};
  try {
    metadata = upload.fields.metadata ? JSON.parse(upload.fields.metadata) : {};
  } catch (e) {
    if (upload.file) await artifactStore.discard(upload.file.staged);
    throw new Invalid(`The metadata part is not valid JSON: ${(e as Error).message}`);
  }
  if (!upload.file) throw new Invalid("No `file` part: attach the ONNX file as multipart field `file`");
  const v = await registerVersion(db, artifactStore, actor, params.slug, metadata, { staged: upload.file.staged, fileName: upload.file.fileName, mediaType: upload.file.mimeType });
  return Response.json(versionResource(v), { status: 201 });
});
