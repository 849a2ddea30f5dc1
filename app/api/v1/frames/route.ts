import { artifactStore } from "@/server/artifacts";
import { Invalid } from "@/server/errors";
import { MAX_FRAME_BYTES } from "@/server/frames/schemas";
import { createFrameFromUpload, listFrames } from "@/server/frames/service";
import { parseUpload } from "@/server/http/multipart";
import { rest } from "@/server/http/rest";

// ?tag=night&tag=rain&match=any&source=upload&q=&page=&pageSize=
export const GET = rest({ route: "/api/v1/frames", scope: "models:read" }, ({ db, req }) => {
  const sp = new URL(req.url).searchParams;
  const get = (k: string) => sp.get(k) || undefined;
  return listFrames(db, { tags: sp.getAll("tag").filter(Boolean), match: get("match"), source: get("source"), q: get("q"), page: get("page"), pageSize: get("pageSize") });
});

// multipart: `file` (the image) + optional `metadata` (JSON: name, tags, groundTruth).
export const POST = rest({ route: "/api/v1/frames", scope: "frames:write", status: 201 }, async ({ db, actor, req }) => {
  const upload = await parseUpload(req, artifactStore, MAX_FRAME_BYTES);
  let metadata: unknown = {};
  try {
    metadata = upload.fields.metadata ? JSON.parse(upload.fields.metadata) : {};
  } catch (e) {
    if (upload.file) await artifactStore.discard(upload.file.staged);
    throw new Invalid(`The metadata part is not valid JSON: ${(e as Error).message}`);
  }
  if (!upload.file) throw new Invalid("No `file` part: attach the image as multipart field `file`");
  const frame = await createFrameFromUpload(db, artifactStore, actor, { staged: upload.file.staged, fileName: upload.file.fileName }, metadata);
  return Response.json(frame, { status: 201 });
});
