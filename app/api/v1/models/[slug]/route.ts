import { rest } from "@/server/http/rest";
import { ZUpdateModel } from "@/server/registry/schemas";
import { getModel, updateModel } from "@/server/registry/service";

export const GET = rest({ route: "/api/v1/models/[slug]", scope: "models:read" }, ({ db, params }) => getModel(db, params.slug));

export const PATCH = rest({ route: "/api/v1/models/[slug]", scope: "models:write", body: ZUpdateModel }, ({ db, actor, params, body }) =>
  updateModel(db, actor, params.slug, body),
);
