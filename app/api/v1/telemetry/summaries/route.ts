import { rest } from "@/server/http/rest";
import { ZIngest } from "@/server/telemetry/schemas";
import { ingestSummaries } from "@/server/telemetry/service";

export const POST = rest({ route: "/api/v1/telemetry/summaries", scope: "telemetry:write", body: ZIngest }, async ({ db, actor, body }) => {
  const result = await ingestSummaries(db, actor, body);
  // 201 when something new was stored; 200 for a pure retry.
  return Response.json(result, { status: result.accepted > 0 ? 201 : 200 });
});
