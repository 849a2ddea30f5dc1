import { runAnalysis } from "@/server/deployments/rollout";
import { NotFound } from "@/server/errors";
import { rest } from "@/server/http/rest";

// "Run analysis now" for pipelines: analyses the current rollout step and applies the plan's decision.
export const POST = rest({ route: "/api/v1/deployments/[id]/analyses", scope: "deploy:write", status: 201 }, async ({ db, actor, params }) => {
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) throw new NotFound("Deployment");
  return runAnalysis(db, actor, { deploymentId: params.id });
});
