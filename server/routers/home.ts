// Home: counts per area and recent activity.
import { platformOverview } from "@/server/home/service";
import "@/server/palette-areas";
import { paletteSearch } from "@/server/palette";
import { z } from "zod";
import { router, viewerProcedure } from "@/server/trpc";

export const homeRouter = router({
  overview: viewerProcedure.query(({ ctx }) => platformOverview(ctx.db, ctx.actor)),
  /** The command palette's search for what it cannot list up front (runs by name or id, any incident). */
  search: viewerProcedure.input(z.unknown()).query(({ ctx, input }) => paletteSearch(ctx.db, input)),
});
