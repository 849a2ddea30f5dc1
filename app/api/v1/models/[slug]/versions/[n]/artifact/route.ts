import { Readable } from "node:stream";
import { artifactStore } from "@/server/artifacts";
import { rest } from "@/server/http/rest";
import { assertDownloadable, getVersion } from "@/server/registry/service";

// Streams the bytes; ETag is the sha256, so caches and devices revalidate for free.
export const GET = rest({ route: "/api/v1/models/[slug]/versions/[n]/artifact", scope: "models:read" }, async ({ db, params, req }) => {
  const v = await getVersion(db, params.slug, Number(params.n));
  const artifact = assertDownloadable(v);
  const etag = `"${artifact.sha256}"`;
  const headers = {
    etag,
    "cache-control": "private, max-age=31536000, immutable",
    "content-type": "application/octet-stream",
    "content-disposition": `attachment; filename="${v.version.fileName ?? `${v.model.slug}-v${v.version.number}.onnx`}"`,
    "x-content-sha256": artifact.sha256,
    "cross-origin-resource-policy": "same-origin",
  };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  const body = Readable.toWeb(artifactStore.openRead(artifact.sha256)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { ...headers, "content-length": String(artifact.sizeBytes) } });
});
