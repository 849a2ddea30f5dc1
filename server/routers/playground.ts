// Playground data for the browser: runnable versions, one version's playground, frames.
import { z } from "zod";
import { playgroundCatalogue, playgroundFor } from "@/server/playground/service";
import { ZSlug } from "@/server/registry/schemas";
import { router, viewerProcedure } from "@/server/trpc";

export const playgroundRouter = router({
  catalogue: viewerProcedure.query(({ ctx }) => playgroundCatalogue(ctx.db)),
  forVersion: viewerProcedure.input(z.strictObject({ slug: ZSlug, version: z.number().int().positive() })).query(async ({ ctx, input }) => {
    const p = await playgroundFor(ctx.db, input.slug, input.version);
    return {
      model: p.model,
      reason: p.reason,
      champion: p.champion,
      championRole: p.championRole,
      pipeline: p.pipeline,
      frames: p.frames,
      cropsOnly: p.cropsOnly,
      name: p.view.model.name,
    };
  }),
});
