import { recordDeviceReport } from "@/server/deployments/reports";
import { ZDeviceReport } from "@/server/deployments/schemas";
import { rest } from "@/server/http/rest";

// Devices (with their own credential) say which version they run and what failed; tools need devices:write
// (checked in the service, since a device credential needs no such scope). A replayed report id answers 200 with replayed: true.
export const POST = rest({ route: "/api/v1/devices/[id]/reports", scope: "deploy:read", body: ZDeviceReport }, async ({ db, actor, params, body }) => {
  const result = await recordDeviceReport(db, actor, params.id, body);
  return Response.json(result, { status: result.replayed ? 200 : 201 });
});
