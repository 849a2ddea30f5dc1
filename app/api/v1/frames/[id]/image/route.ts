import { Invalid } from "@/server/errors";
import { frameImage } from "@/server/frames/service";
import { THUMBNAIL_WIDTH, thumbnail } from "@/server/frames/thumbnails";
import { immutableResponse, storedBytes } from "@/server/http/immutable";
import { rest } from "@/server/http/rest";

// The bytes under an id never change (edits touch metadata only), so browsers may cache them for good.
// `?size=thumb` answers a small WebP for grids.
export const GET = rest({ route: "/api/v1/frames/[id]/image", scope: "models:read" }, async ({ db, params, req }) => {
  const image = await frameImage(db, params.id);
  const size = new URL(req.url).searchParams.get("size");
  if (size !== null && size !== "thumb") throw new Invalid('size must be "thumb" or left out (the full image)');
  const thumb = size === "thumb";
  const ext = thumb || image.mediaType !== "image/png" ? "webp" : "png";
  const meta = {
    etag: thumb ? `"${image.sha256}-w${THUMBNAIL_WIDTH}"` : `"${image.sha256}"`,
    sha256: image.sha256,
    contentType: thumb ? "image/webp" : image.mediaType,
    disposition: `inline; filename="frame-${params.id}${thumb ? "-thumb" : ""}.${ext}"`,
  };
  return immutableResponse(req, meta, async () => {
    if (!thumb) return storedBytes(image.sha256, image.sizeBytes);
    const bytes = await thumbnail(image.sha256);
    return { bytes: Buffer.from(bytes), length: bytes.byteLength };
  });
});
