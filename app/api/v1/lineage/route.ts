import { rest } from "@/server/http/rest";
import { getLineage } from "@/server/lineage/service";

// The lineage graph around an entity as JSON: the same service as the Lineage view.
export const GET = rest({ route: "/api/v1/lineage", scope: "models:read" }, ({ db, req }) => getLineage(db, Object.fromEntries(new URL(req.url).searchParams)));
