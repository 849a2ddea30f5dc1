// Sweeps for the browser: one sweep's page data, an experiment's sweeps, and the sweep a run belongs to.
import { getSweep, listSweeps, sweepForRun } from "@/server/sweeps/service";
import { ZGetSweep, ZListSweeps, ZSweepForRun } from "@/server/sweeps/schemas";
import { router, viewerProcedure } from "@/server/trpc";

export const sweepsRouter = router({
  get: viewerProcedure.input(ZGetSweep).query(({ ctx, input }) => getSweep(ctx.db, input)),
  list: viewerProcedure.input(ZListSweeps).query(({ ctx, input }) => listSweeps(ctx.db, input)),
  forRun: viewerProcedure.input(ZSweepForRun).query(({ ctx, input }) => sweepForRun(ctx.db, input)),
});
