// Sample frames for the browser. Uploads go through REST (streamed multipart with progress).
import { z } from "zod";
import { ZFrameId, ZListFrames, ZUpdateFrame } from "@/server/frames/schemas";
import { deleteFrame, frameTagCounts, getFrame, listFrames, updateFrame } from "@/server/frames/service";
import { engineerProcedure, router, viewerProcedure } from "@/server/trpc";

const ZFrameRef = z.strictObject({ id: ZFrameId });

export const framesRouter = router({
  list: viewerProcedure.input(ZListFrames.partial()).query(({ ctx, input }) => listFrames(ctx.db, input)),
  tags: viewerProcedure.query(({ ctx }) => frameTagCounts(ctx.db)),
  get: viewerProcedure.input(ZFrameRef).query(({ ctx, input }) => getFrame(ctx.db, input.id)),
  update: engineerProcedure
    .input(ZFrameRef.extend({ patch: ZUpdateFrame }))
    .mutation(({ ctx, input }) => updateFrame(ctx.db, ctx.actor, input.id, input.patch)),
  delete: engineerProcedure.input(ZFrameRef).mutation(({ ctx, input }) => deleteFrame(ctx.db, ctx.actor, input.id)),
});
