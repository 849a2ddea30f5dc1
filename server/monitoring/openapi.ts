// The alerts REST operations in the OpenAPI document: machines read alerts; Alertmanager sends them.
import { registerOperations } from "@/server/http/openapi";
import { ZAlertmanagerPayload } from "./alertmanager";
import { ZApiListAlerts } from "./alerts-api";

registerOperations([
  {
    method: "get",
    path: "/api/v1/alerts",
    summary:
      'Alerts as `{"items": [...]}`, most severe first (page, warning, ticket, info), then newest. `state`: pending, firing, resolved, open (pending and firing; the default) or all; `severity`: info, ticket, warning or page; `model`: a model slug. Each item names its incident when one was declared from it.',
    scope: "alerts:read",
    query: ZApiListAlerts,
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/integrations/alertmanager",
    summary:
      "Prometheus Alertmanager webhook receiver (payload version 4). Each alert becomes a Sentinel alert, deduplicated by fingerprint: firing opens or refreshes it, resolved resolves it; routed to webhooks and the app like any alert. A `model` label (slug) attaches it to a model; the `severity` label maps critical/page to page, warning to warning, info to info. Unknown fields are ignored.",
    scope: "alerts:write",
    body: ZAlertmanagerPayload,
    success: 200,
  },
]);
