// Home: counts per area and recent activity.
import { platformOverview } from "@/server/home/service";
import { router, viewerProcedure } from "@/server/trpc";

export const homeRouter = router({
  overview: viewerProcedure.query(({ ctx }) => platformOverview(ctx.db, ctx.actor)),
});
