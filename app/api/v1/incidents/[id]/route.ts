import { rest } from "@/server/http/rest";
import { incidentForApi, patchIncidentForApi } from "@/server/incidents/api";
import { ZApiPatchIncident } from "@/server/incidents/rest-schemas";

export const GET = rest({ route: "/api/v1/incidents/[id]", scope: "incidents:read" }, ({ db, params }) => incidentForApi(db, params.id));

export const PATCH = rest({ route: "/api/v1/incidents/[id]", scope: "incidents:write", body: ZApiPatchIncident }, ({ db, actor, params, body }) =>
  patchIncidentForApi(db, actor, params.id, body),
);
