import { rest } from "@/server/http/rest";
import { getImpact } from "@/server/lineage/service";

// What sits downstream of an entity: versions, deployments, targets, device cohorts, incidents.
export const GET = rest({ route: "/api/v1/lineage/impact", scope: "models:read" }, ({ db, req }) =>
  getImpact(db, Object.fromEntries(new URL(req.url).searchParams)),
);
