import { listCatalog } from "@/server/catalog/service";
import { rest } from "@/server/http/rest";

// The catalog with model scorecards; the same filters as /catalog (kind, owner, lifecycle, failing).
export const GET = rest({ route: "/api/v1/catalog", scope: "models:read" }, ({ db, req }) =>
  listCatalog(db, Object.fromEntries(new URL(req.url).searchParams)),
);
