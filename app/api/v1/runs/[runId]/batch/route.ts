import { env } from "@/server/env";
import { ZLogBatch } from "@/server/experiments/schemas";
import { logBatch } from "@/server/experiments/service";
import { readJson } from "@/server/http/body";
import { rest } from "@/server/http/rest";

// Metrics (append-only), params (immutable) and tags in one transaction, with MLflow's batch limits.
export const POST = rest({ route: "/api/v1/runs/[runId]/batch", scope: "runs:write" }, async ({ db, actor, params, req }) => {
  const body = await readJson(req, env.MAX_BODY_BYTES);
  await logBatch(db, actor, ZLogBatch.parse({ ...(body && typeof body === "object" ? body : {}), runId: params.runId }));
  return {};
});
