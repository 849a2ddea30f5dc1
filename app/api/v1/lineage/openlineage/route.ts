import { rest } from "@/server/http/rest";
import { runOpenLineageEvent } from "@/server/lineage/openlineage";

// A run's datasets and registered versions as an OpenLineage RunEvent.
export const GET = rest({ route: "/api/v1/lineage/openlineage", scope: "runs:read" }, ({ db, req }) =>
  runOpenLineageEvent(db, Object.fromEntries(new URL(req.url).searchParams)),
);
