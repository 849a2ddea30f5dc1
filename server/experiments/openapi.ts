// The experiments REST operations (for jobs that do not use the MLflow client) in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZCreateExperiment, ZCreateRun, ZLogBatch, ZSearchRuns, ZUpdateRun } from "./schemas";

registerOperations([
  { method: "get", path: "/api/v1/experiments", summary: "List experiments (q, includeArchived=1)", scope: "runs:read", success: 200 },
  { method: "post", path: "/api/v1/experiments", summary: "Create an experiment", scope: "runs:write", body: ZCreateExperiment, success: 201 },
  { method: "post", path: "/api/v1/runs", summary: 'Create a run (experimentId defaults to "0")', scope: "runs:write", body: ZCreateRun, success: 201 },
  { method: "post", path: "/api/v1/runs/search", summary: "Search runs with MLflow's filter syntax", scope: "runs:read", body: ZSearchRuns, success: 200 },
  { method: "get", path: "/api/v1/runs/{runId}", summary: "A run with its params, latest metrics and tags", scope: "runs:read", success: 200 },
  {
    method: "patch",
    path: "/api/v1/runs/{runId}",
    summary: "Update status, end time or name (runId comes from the path)",
    scope: "runs:write",
    body: ZUpdateRun,
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/runs/{runId}/batch",
    summary: "Log metrics, params and tags (runId comes from the path; MLflow's limits)",
    scope: "runs:write",
    body: ZLogBatch,
    success: 200,
  },
  { method: "get", path: "/api/v1/runs/{runId}/metrics/{key}", summary: "A metric's history, paged with pageToken", scope: "runs:read", success: 200 },
]);
