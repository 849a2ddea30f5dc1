// Release readiness for the browser: every candidate's row, and one version's row for its page.
import { releaseReadiness } from "@/server/releases/service";
import { ZVersionReadiness } from "@/server/releases/schemas";
import { router, viewerProcedure } from "@/server/trpc";

export const releasesRouter = router({
  list: viewerProcedure.query(({ ctx }) => releaseReadiness(ctx.db)),
  version: viewerProcedure.input(ZVersionReadiness).query(async ({ ctx, input }) => (await releaseReadiness(ctx.db, new Date(), input))[0] ?? null),
});
