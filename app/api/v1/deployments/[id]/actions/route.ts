import { ZDeploymentAction } from "@/server/deployments/schemas";
import { promote, rollback, startCanary, stepRollout } from "@/server/deployments/service";
import { rest } from "@/server/http/rest";

// Machines (CI, pipelines) press the same buttons as people, with a deploy:write token.
export const POST = rest(
  { route: "/api/v1/deployments/[id]/actions", scope: "deploy:write", ids: { id: "Deployment" }, body: ZDeploymentAction },
  ({ db, actor, params, body }) => {
    const { action, ...fields } = body;
    const input = { ...fields, deploymentId: params.id };
    if (action === "promote") return promote(db, actor, input);
    if (action === "canary.start") return startCanary(db, actor, input);
    if (action === "rollback") return rollback(db, actor, input);
    return stepRollout(db, actor, action, input);
  },
);
