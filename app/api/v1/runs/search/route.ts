import { rest } from "@/server/http/rest";
import { ZSearchRuns } from "@/server/experiments/schemas";
import { searchRuns } from "@/server/experiments/service";

export const POST = rest({ route: "/api/v1/runs/search", scope: "runs:read", body: ZSearchRuns }, ({ db, body, req }) =>
  searchRuns(db, body, { signal: req.signal }),
);
