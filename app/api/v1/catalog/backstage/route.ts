import { exportBackstage, importBackstage } from "@/server/catalog/backstage";
import { ZCatalogImport } from "@/server/catalog/schemas";
import { rest } from "@/server/http/rest";

// The catalog (or ?kind=, or ?kind=&name= for one entry) as Backstage catalog-info.yaml, one document per entity.
export const GET = rest({ route: "/api/v1/catalog/backstage", scope: "models:read" }, async ({ db, req }) => {
  const yaml = await exportBackstage(db, Object.fromEntries(new URL(req.url).searchParams));
  return new Response(yaml, { headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": 'inline; filename="catalog-info.yaml"' } });
});

// Applies a catalog-info.yaml ({"yaml": "..."}) in one transaction and reports what changed.
export const POST = rest({ route: "/api/v1/catalog/backstage", scope: "models:write", body: ZCatalogImport }, ({ db, actor, body }) =>
  importBackstage(db, actor, body),
);
