import { runAnalysis } from "@/server/deployments/rollout";
import { rest } from "@/server/http/rest";

// "Run analysis now" for pipelines: analyses the current rollout step and applies the plan's decision.
export const POST = rest(
  { route: "/api/v1/deployments/[id]/analyses", scope: "deploy:write", ids: { id: "Deployment" }, status: 201 },
  async ({ db, actor, params }) => {
    return runAnalysis(db, actor, { deploymentId: params.id });
  },
);
