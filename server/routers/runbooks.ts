// Runbooks for the browser: list, a version with its history, diffs; engineers save new versions.
import { ZRunbookDiff, ZRunbookQuery, ZSaveRunbook } from "@/server/runbooks/schemas";
import { diffRunbook, getRunbook, listRunbooks, saveRunbook } from "@/server/runbooks/service";
import { engineerProcedure, router, viewerProcedure } from "@/server/trpc";

export const runbooksRouter = router({
  list: viewerProcedure.query(({ ctx }) => listRunbooks(ctx.db)),
  get: viewerProcedure.input(ZRunbookQuery).query(({ ctx, input }) => getRunbook(ctx.db, input)),
  diff: viewerProcedure.input(ZRunbookDiff).query(({ ctx, input }) => diffRunbook(ctx.db, input)),
  save: engineerProcedure.input(ZSaveRunbook).mutation(({ ctx, input }) => saveRunbook(ctx.db, ctx.actor, input)),
});
