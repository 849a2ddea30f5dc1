// The cost area's REST operations in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZIngestCosts } from "./schemas";

registerOperations([
  {
    method: "post",
    path: "/api/v1/costs",
    summary: "Ingest daily cost records (amounts as decimal strings, stored as integer micro-dollars); idempotent on rowKey; all or nothing",
    scope: "cost:write",
    body: ZIngestCosts,
    success: 201,
  },
  {
    method: "post",
    path: "/api/v1/costs/csv",
    summary:
      "Import a FinOps FOCUS CSV (body: text/csv; columns BilledCost, EffectiveCost, ChargePeriodStart, ChargePeriodEnd, ServiceName, ResourceId, Tags, optional BillingCurrency, ChargeCategory; Tags JSON with model, version, environment, resource_kind). ?dryRun=1 previews. Any bad row refuses the file, naming line and column. Limit 10 MiB / 100,000 rows.",
    scope: "cost:write",
    success: 201,
  },
  {
    method: "get",
    path: "/api/v1/costs/export",
    summary:
      "Any cost table as CSV (exact decimal dollars) for ?month=YYYY-MM and the page filters (&model=, &environment=, &kind=): ?table=models (default; spend, inferences, cost per 1,000 inferences), budgets, versions (cost per 1k against recall), daily (per resource kind); with &slug=<model>: breakdown, model-versions (with devices and cost per device-month), ota (rollout bandwidth estimate)",
    scope: "models:read",
    success: 200,
  },
]);
