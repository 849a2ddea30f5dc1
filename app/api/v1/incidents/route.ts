import { rest } from "@/server/http/rest";
import { declareIncidentForApi, listIncidentsForApi } from "@/server/incidents/api";
import { ZApiDeclareIncident } from "@/server/incidents/rest-schemas";

export const GET = rest({ route: "/api/v1/incidents", scope: "incidents:read" }, ({ db, req }) =>
  listIncidentsForApi(db, Object.fromEntries(new URL(req.url).searchParams)),
);

export const POST = rest({ route: "/api/v1/incidents", scope: "incidents:write", body: ZApiDeclareIncident, status: 201 }, ({ db, actor, body }) =>
  declareIncidentForApi(db, actor, body),
);
