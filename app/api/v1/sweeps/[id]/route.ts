import { rest } from "@/server/http/rest";
import { ZSweepQuery } from "@/server/sweeps/schemas";
import { getSweep } from "@/server/sweeps/service";

// A sweep as JSON for notebooks and CI: the same service as the sweep page.
export const GET = rest({ route: "/api/v1/sweeps/[id]", scope: "runs:read" }, ({ db, req, params }) => {
  const query = ZSweepQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return getSweep(db, { ...query, sweepId: params.id });
});
