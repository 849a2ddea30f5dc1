import { recordDeviceReport } from "@/server/deployments/reports";
import { ZDeviceReport } from "@/server/deployments/schemas";
import { rest } from "@/server/http/rest";

// Devices (deploy:read tokens bound to them) say which version they run and what failed; a replayed report id answers 200 with replayed: true.
export const POST = rest({ route: "/api/v1/devices/[id]/reports", scope: "deploy:read", body: ZDeviceReport }, async ({ db, actor, params, body }) => {
  const result = await recordDeviceReport(db, actor, params.id, body);
  return Response.json(result, { status: result.replayed ? 200 : 201 });
});
