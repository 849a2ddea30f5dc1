import { ZCreateTarget } from "@/server/deployments/schemas";
import { createTarget } from "@/server/deployments/targets";
import { rest } from "@/server/http/rest";

// Admins add deployment targets (cloud services, batch jobs, edge fleets).
export const POST = rest({ route: "/api/v1/targets", scope: "deploy:write", role: "admin", body: ZCreateTarget, status: 201 }, ({ db, actor, body }) =>
  createTarget(db, actor, body),
);
