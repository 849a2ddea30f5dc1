import { Readable } from "node:stream";
import { artifactStore } from "@/server/artifacts";
import { frameImage } from "@/server/frames/service";
import { rest } from "@/server/http/rest";

// The bytes under an id never change (edits touch metadata only), so browsers may cache them for good. CORP lets the
// cross-origin-isolated playground pages load them.
export const GET = rest({ route: "/api/v1/frames/[id]/image", scope: "models:read" }, async ({ db, params, req }) => {
  const image = await frameImage(db, params.id);
  const etag = `"${image.sha256}"`;
  const ext = image.mediaType === "image/png" ? "png" : "webp";
  const headers = {
    etag,
    "cache-control": "private, max-age=31536000, immutable",
    "content-type": image.mediaType,
    "content-disposition": `inline; filename="frame-${params.id}.${ext}"`,
    "cross-origin-resource-policy": "same-origin",
    "x-content-sha256": image.sha256,
  };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  const body = Readable.toWeb(artifactStore.openRead(image.sha256)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { ...headers, "content-length": String(image.sizeBytes) } });
});
