import { env } from "@/server/env";
import { ZUpdateRun } from "@/server/experiments/schemas";
import { getRun, updateRun } from "@/server/experiments/service";
import { readJson } from "@/server/http/body";
import { rest } from "@/server/http/rest";

export const GET = rest({ route: "/api/v1/runs/[runId]", scope: "runs:read" }, ({ db, params }) => getRun(db, params.runId));

// Status, end time, name.
export const PATCH = rest({ route: "/api/v1/runs/[runId]", scope: "runs:write" }, async ({ db, actor, params, req }) => {
  const body = await readJson(req, env.MAX_BODY_BYTES);
  return updateRun(db, actor, ZUpdateRun.parse({ ...(body && typeof body === "object" ? body : {}), runId: params.runId }));
});
