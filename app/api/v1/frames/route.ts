import { artifactStore } from "@/server/artifacts";
import { MAX_FRAME_BYTES } from "@/server/frames/schemas";
import { createFrameFromUpload, listFrames } from "@/server/frames/service";
import { parseUploadWithMetadata } from "@/server/http/multipart";
import { rest } from "@/server/http/rest";

// ?tag=night&tag=rain&match=any&source=upload&q=&page=&pageSize=
export const GET = rest({ route: "/api/v1/frames", scope: "models:read" }, ({ db, req }) => {
  const sp = new URL(req.url).searchParams;
  const get = (k: string) => sp.get(k) || undefined;
  return listFrames(db, {
    tags: sp.getAll("tag").filter(Boolean),
    match: get("match"),
    source: get("source"),
    q: get("q"),
    page: get("page"),
    pageSize: get("pageSize"),
  });
});

// multipart: `file` (the image) + optional `metadata` (JSON: name, tags, groundTruth).
export const POST = rest({ route: "/api/v1/frames", scope: "frames:write", status: 201 }, async ({ db, actor, req }) => {
  const { file, metadata } = await parseUploadWithMetadata(req, artifactStore, MAX_FRAME_BYTES, "the image");
  const frame = await createFrameFromUpload(db, artifactStore, actor, { staged: file.staged, fileName: file.fileName }, metadata);
  return Response.json(frame, { status: 201 });
});
