import { deviceManifest, manifestEtag, notModified } from "@/server/deployments/manifest";
import { publicOrigin } from "@/server/http/request-id";
import { rest } from "@/server/http/rest";

// Devices poll this; an unchanged desired state costs a 304 with no body.
export const GET = rest({ route: "/api/v1/devices/[id]/manifest", scope: "deploy:read" }, async ({ db, actor, params, req }) => {
  const body = await deviceManifest(db, actor, params.id, publicOrigin(req));
  const etag = manifestEtag(body);
  const headers = { etag, "cache-control": "private, no-cache" };
  if (notModified(req.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return Response.json(body, { headers });
});
