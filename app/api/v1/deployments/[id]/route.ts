import { getDeployment } from "@/server/deployments/service";
import { NotFound } from "@/server/errors";
import { rest } from "@/server/http/rest";

export const GET = rest({ route: "/api/v1/deployments/[id]", scope: "deploy:read" }, ({ db, params, req }) => {
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) throw new NotFound("Deployment");
  const v = new URL(req.url).searchParams.get("version");
  return getDeployment(db, { id: params.id, version: v && /^\d{1,9}$/.test(v) ? Number(v) : undefined });
});
