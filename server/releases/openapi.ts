// The release readiness REST operation in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZReadinessFormat } from "./schemas";

registerOperations([
  {
    method: "get",
    path: "/api/v1/releases",
    summary:
      "Release readiness: one row per candidate version across models (a version in a canary, newer than production, or a model's newest when it has no production alias) with its verdict, safety sign-off, promotion gates, regressed slices, field against lab, cost per 1,000 inferences against production, open incidents and device-reported rollout. format=csv gives a spreadsheet, format=markdown a release note",
    scope: "models:read",
    query: ZReadinessFormat,
    success: 200,
  },
]);
