// The telemetry REST operations in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZIngest } from "./schemas";

registerOperations([
  {
    method: "post",
    path: "/api/v1/telemetry/summaries",
    summary:
      "Post pre-aggregated inference summaries (one per model, version, target, cohort and window). Idempotent per idempotencyKey; windows later than the lateness limit are refused with 400 TOO_LATE. 201 when stored, 200 when every summary was a retry.",
    scope: "telemetry:write",
    body: ZIngest,
    success: 201,
  },
  {
    method: "get",
    path: "/api/v1/telemetry/buckets",
    summary: "The fixed latency bucket bounds (ms), the lateness limit and the size limits",
    scope: "telemetry:read",
    success: 200,
  },
]);
