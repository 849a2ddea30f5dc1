// Downloads one run artifact (the run page's links; tokens with runs:read work too). Always an attachment.
import { fileResponse } from "@/server/mlflow/extra";
import { runArtifactFile } from "@/server/experiments/artifacts";
import { getRun } from "@/server/experiments/service";
import { rest } from "@/server/http/rest";

export const GET = rest({ route: "/api/v1/runs/[runId]/artifacts/[...path]", scope: "runs:read" }, async ({ db, params, req }) => {
  const run = await getRun(db, params.runId);
  return fileResponse(await runArtifactFile(db, run.info, params.path), { req });
});
