import { ZUpdateFrame } from "@/server/frames/schemas";
import { deleteFrame, getFrame, updateFrame } from "@/server/frames/service";
import { rest } from "@/server/http/rest";

export const GET = rest({ route: "/api/v1/frames/[id]", scope: "models:read" }, ({ db, params }) => getFrame(db, params.id));

export const PATCH = rest({ route: "/api/v1/frames/[id]", scope: "frames:write", body: ZUpdateFrame }, ({ db, actor, params, body }) =>
  updateFrame(db, actor, params.id, body),
);

export const DELETE = rest({ route: "/api/v1/frames/[id]", scope: "frames:write" }, ({ db, actor, params }) => deleteFrame(db, actor, params.id));
