// The lineage REST operations in the OpenAPI document.
import { z } from "zod";
import { registerOperations } from "@/server/http/openapi";
import { FOCUS_KINDS, MAX_DEPTH } from "./schemas";

const entity = z.string().describe(`<kind>:<id>, kind one of ${FOCUS_KINDS.join(", ")}; a version may be <model slug>/<number>, a target its slug`);

registerOperations([
  {
    method: "get",
    path: "/api/v1/lineage",
    summary: `The lineage graph around an entity ({nodes, edges}, upstream to downstream), depth 1 to ${MAX_DEPTH} hops; large neighbourhoods collapse into counted nodes`,
    query: z.object({ entity, depth: z.number().int().min(1).max(MAX_DEPTH).optional() }),
    scope: "models:read",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/lineage/impact",
    summary: "What is downstream of an entity: versions, deployments, targets, device cohorts with device counts, incidents",
    query: z.object({ entity }),
    scope: "models:read",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/lineage/openlineage",
    summary: "A run's input datasets and registered versions as an OpenLineage RunEvent (spec 2-0-2)",
    query: z.object({ run: z.string().describe("MLflow run id (32 hex characters)") }),
    scope: "runs:read",
    success: 200,
  },
]);
