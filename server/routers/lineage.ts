// Lineage for the browser: the graph around an entity and what is downstream of it.
import { getImpact, getLineage } from "@/server/lineage/service";
import { ZImpactRequest, ZLineageRequest } from "@/server/lineage/schemas";
import { router, viewerProcedure } from "@/server/trpc";

export const lineageRouter = router({
  graph: viewerProcedure.input(ZLineageRequest).query(({ ctx, input }) => getLineage(ctx.db, input)),
  impact: viewerProcedure.input(ZImpactRequest).query(({ ctx, input }) => getImpact(ctx.db, input)),
});
