import { issueDeviceCredential } from "@/server/deployments/device-auth";
import { rest } from "@/server/http/rest";

// An engineer's tool mints a device its own credential (the secret is answered once); the previous one is revoked.
export const POST = rest({ route: "/api/v1/devices/[id]/credentials", scope: "devices:write", status: 201 }, ({ db, actor, params }) =>
  issueDeviceCredential(db, actor, params.id),
);
