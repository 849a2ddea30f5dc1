import { getMetricHistory } from "@/server/experiments/service";
import { rest } from "@/server/http/rest";

// One metric's history, paged (pageToken, maxResults up to 25,000).
export const GET = rest({ route: "/api/v1/runs/[runId]/metrics/[key]", scope: "runs:read" }, ({ db, params, req }) => {
  const sp = new URL(req.url).searchParams;
  const max = sp.get("maxResults");
  return getMetricHistory(db, { runId: params.runId, key: params.key, pageToken: sp.get("pageToken") ?? undefined, maxResults: max ? Number(max) : undefined });
});
