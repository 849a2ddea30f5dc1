import { ZCreateDeployment } from "@/server/deployments/schemas";
import { listDeployments } from "@/server/deployments/service";
import { createDeployment } from "@/server/deployments/targets";
import { rest } from "@/server/http/rest";

export const GET = rest({ route: "/api/v1/deployments", scope: "deploy:read" }, async ({ db }) => ({ deployments: await listDeployments(db) }));

// A model version on a target for the first time; production targets need an admin.
export const POST = rest({ route: "/api/v1/deployments", scope: "deploy:write", body: ZCreateDeployment, status: 201 }, ({ db, actor, body }) =>
  createDeployment(db, actor, body),
);
