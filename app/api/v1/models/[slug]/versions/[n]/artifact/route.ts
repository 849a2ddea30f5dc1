import { immutableResponse, storedBytes } from "@/server/http/immutable";
import { rest } from "@/server/http/rest";
import { assertDownloadable, getVersion } from "@/server/registry/service";

// Streams the bytes; ETag is the sha256, so caches and devices revalidate for free.
export const GET = rest({ route: "/api/v1/models/[slug]/versions/[n]/artifact", scope: "models:read" }, async ({ db, params, req }) => {
  const v = await getVersion(db, params.slug, Number(params.n));
  const artifact = assertDownloadable(v);
  const meta = {
    etag: `"${artifact.sha256}"`,
    sha256: artifact.sha256,
    contentType: "application/octet-stream",
    disposition: `attachment; filename="${v.version.fileName ?? `${v.model.slug}-v${v.version.number}.onnx`}"`,
  };
  return immutableResponse(req, meta, () => storedBytes(artifact.sha256, artifact.sizeBytes));
});
