import { rest } from "@/server/http/rest";
import { mitigateIncidentForApi } from "@/server/incidents/api";
import { ZApiMitigation } from "@/server/incidents/rest-schemas";

// The incident page's "Roll back" / "Pause rollout" for machines: the same service call, rule and audit.
export const POST = rest(
  { route: "/api/v1/incidents/[id]/mitigations", scope: "incidents:write", body: ZApiMitigation },
  async ({ db, actor, params, body, req }) => {
    const result = await mitigateIncidentForApi(db, actor, params.id, body, req.headers.get("idempotency-key"));
    // A retry with the same key answers the first result, and creates nothing.
    return Response.json(result, { status: result.replayed ? 200 : 201 });
  },
);
