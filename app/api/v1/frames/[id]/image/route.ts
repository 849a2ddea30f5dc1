import { Readable } from "node:stream";
import { artifactStore } from "@/server/artifacts";
import { Invalid } from "@/server/errors";
import { frameImage } from "@/server/frames/service";
import { THUMBNAIL_WIDTH, thumbnail } from "@/server/frames/thumbnails";
import { rest } from "@/server/http/rest";

// The bytes under an id never change (edits touch metadata only), so browsers may cache them for good. CORP lets the
// cross-origin-isolated playground pages load them. `?size=thumb` answers a small WebP for grids.
export const GET = rest({ route: "/api/v1/frames/[id]/image", scope: "models:read" }, async ({ db, params, req }) => {
  const image = await frameImage(db, params.id);
  const size = new URL(req.url).searchParams.get("size");
  if (size !== null && size !== "thumb") throw new Invalid('size must be "thumb" or left out (the full image)');
  const thumb = size === "thumb";
  const etag = thumb ? `"${image.sha256}-w${THUMBNAIL_WIDTH}"` : `"${image.sha256}"`;
  const ext = thumb || image.mediaType !== "image/png" ? "webp" : "png";
  const headers = {
    etag,
    "cache-control": "private, max-age=31536000, immutable",
    "content-type": thumb ? "image/webp" : image.mediaType,
    "content-disposition": `inline; filename="frame-${params.id}${thumb ? "-thumb" : ""}.${ext}"`,
    "cross-origin-resource-policy": "same-origin",
    "x-content-sha256": image.sha256,
  };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  if (thumb) {
    const bytes = await thumbnail(image.sha256);
    return new Response(Buffer.from(bytes), { headers: { ...headers, "content-length": String(bytes.byteLength) } });
  }
  const body = Readable.toWeb(artifactStore.openRead(image.sha256)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { ...headers, "content-length": String(image.sizeBytes) } });
});
