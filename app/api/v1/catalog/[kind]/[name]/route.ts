import { ZCatalogFields } from "@/server/catalog/schemas";
import { getCatalogEntity, updateCatalogEntity } from "@/server/catalog/service";
import { rest } from "@/server/http/rest";

// One catalog entry: owner, rotation, links, lifecycle, dependencies and (for a model) its scorecard.
export const GET = rest({ route: "/api/v1/catalog/[kind]/[name]", scope: "models:read" }, ({ db, params }) =>
  getCatalogEntity(db, { kind: params.kind, name: params.name }),
);

// Sets the whole entry (creating it for a registered entity); the same rule as the page: own teams, or an admin.
export const PUT = rest({ route: "/api/v1/catalog/[kind]/[name]", scope: "models:write", body: ZCatalogFields }, ({ db, actor, params, body }) =>
  updateCatalogEntity(db, actor, { ...body, kind: params.kind, name: params.name }),
);
