import { listDeployments } from "@/server/deployments/service";
import { rest } from "@/server/http/rest";

export const GET = rest({ route: "/api/v1/deployments", scope: "deploy:read" }, async ({ db }) => ({ deployments: await listDeployments(db) }));
