// The catalog REST operations in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZCatalogExport, ZCatalogFields, ZCatalogImport, ZCatalogList } from "./schemas";

registerOperations([
  {
    method: "get",
    path: "/api/v1/catalog",
    summary: "Catalog entries (models, serving targets, fleets, datasets, runbooks) with owners and model scorecards",
    query: ZCatalogList,
    scope: "models:read",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/catalog/{kind}/{name}",
    summary: "One catalog entry, with its scorecard when it is a model",
    scope: "models:read",
    success: 200,
  },
  {
    method: "put",
    path: "/api/v1/catalog/{kind}/{name}",
    summary: "Set an entry's owner team, on-call rotation, links, lifecycle and dependencies (members of the owning team, or admins)",
    body: ZCatalogFields,
    scope: "models:write",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/catalog/backstage",
    summary: "The catalog as Backstage catalog-info.yaml (application/yaml), one document per entity",
    query: ZCatalogExport,
    scope: "models:read",
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/catalog/backstage",
    summary: "Import a catalog-info.yaml in one transaction; unknown owner teams are refused; reports what changed",
    body: ZCatalogImport,
    scope: "models:write",
    success: 200,
  },
]);
