// The sample frames' REST operations in the OpenAPI document.
import { z } from "zod";
import { registerOperations } from "@/server/http/openapi";
import { ZFrameMetadata, ZUpdateFrame } from "./schemas";

registerOperations([
  {
    method: "get",
    path: "/api/v1/frames",
    summary: "List frames (tag repeated, match=all|any, source, q, page, pageSize)",
    scope: "models:read",
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/frames",
    summary: "Upload a frame: JPEG, PNG or WebP up to 20 MiB and 8192x8192, decoded and re-encoded (PNG stays PNG, others become WebP), EXIF dropped",
    scope: "frames:write",
    multipart: { file: "The image bytes (type detected from content)", metadata: `Optional JSON: ${JSON.stringify(Object.keys(ZFrameMetadata.shape))}` },
    success: 201,
  },
  { method: "get", path: "/api/v1/frames/{id}", summary: "A frame: size, tags, ground truth, image URL", scope: "models:read", success: 200 },
  {
    method: "patch",
    path: "/api/v1/frames/{id}",
    summary: "Update a frame's name, tags or ground truth",
    scope: "frames:write",
    body: ZUpdateFrame,
    success: 200,
  },
  { method: "delete", path: "/api/v1/frames/{id}", summary: "Remove a frame from the library", scope: "frames:write", success: 200 },
  {
    method: "get",
    path: "/api/v1/frames/{id}/image",
    summary: "The image bytes (ETag = sha256, immutable, same-origin resource policy); size=thumb answers a WebP at most 480 px wide",
    scope: "models:read",
    query: z.object({ size: z.enum(["thumb"]).optional() }),
    success: 200,
  },
]);
