// The incidents REST operations in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZApiDeclareIncident, ZApiListIncidents, ZApiMitigation, ZApiPatchIncident } from "./rest-schemas";

registerOperations([
  {
    method: "get",
    path: "/api/v1/incidents",
    summary:
      'Incidents as `{"items": [...]}`, open ones first, then by severity and newest; filters `status` (open, the default; a status; or all), `severity`, `model`.',
    scope: "incidents:read",
    query: ZApiListIncidents,
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/incidents",
    summary: "Declare an incident: `severity` sev1 to sev4 (any case), optional `model` slug; the caller takes command and the people on call are notified.",
    scope: "incidents:write",
    body: ZApiDeclareIncident,
    success: 201,
  },
  {
    method: "get",
    path: "/api/v1/incidents/{id}",
    summary: "One incident with its times to acknowledge and to mitigate",
    scope: "incidents:read",
    success: 200,
  },
  {
    method: "patch",
    path: "/api/v1/incidents/{id}",
    summary:
      "Change status, severity and commander (email or user id), or add a note to the timeline; all in one transaction. A status the lifecycle does not allow is 412 with the reason.",
    scope: "incidents:write",
    body: ZApiPatchIncident,
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/incidents/{id}/mitigations",
    summary:
      "Roll back or pause one of the incident's deployments, with a reason: the same service call as the incident page's button, so the same rule decides (403 or 412 with the reason when it says no). `version` defaults to the version the deployment rolls back to and `revision` to the current one; an `idempotencyKey` (or Idempotency-Key header) makes a retry answer the first result (200).",
    scope: "incidents:write",
    body: ZApiMitigation,
    success: 201,
  },
]);
