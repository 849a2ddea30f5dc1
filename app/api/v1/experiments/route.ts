import { rest } from "@/server/http/rest";
import { ZCreateExperiment } from "@/server/experiments/schemas";
import { createExperiment, listExperiments } from "@/server/experiments/service";

// REST for jobs that do not use the MLflow client; the same services as /api/2.0/mlflow and tRPC.
export const GET = rest({ route: "/api/v1/experiments", scope: "runs:read" }, ({ db, req }) => {
  const sp = new URL(req.url).searchParams;
  return listExperiments(db, { q: sp.get("q") ?? undefined, includeArchived: sp.get("includeArchived") === "1" });
});

export const POST = rest({ route: "/api/v1/experiments", scope: "runs:write", body: ZCreateExperiment, status: 201 }, ({ db, actor, body }) =>
  createExperiment(db, actor, body),
);
