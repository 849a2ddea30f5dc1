import { getDeployment } from "@/server/deployments/service";
import { rest } from "@/server/http/rest";

export const GET = rest({ route: "/api/v1/deployments/[id]", scope: "deploy:read", ids: { id: "Deployment" } }, ({ db, params, req }) => {
  const v = new URL(req.url).searchParams.get("version");
  return getDeployment(db, { id: params.id, version: v && /^\d{1,9}$/.test(v) ? Number(v) : undefined });
});
