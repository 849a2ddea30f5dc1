// The signed-in user's own browser sessions: list, end one, end all ("sign out everywhere").
import { ZEndSession } from "@/server/auth/schemas";
import { endAllMySessions, endMySession, listMySessions } from "@/server/auth/sessions";
import { router, viewerProcedure } from "@/server/trpc";

export const sessionsRouter = router({
  mine: viewerProcedure.query(({ ctx }) => listMySessions(ctx.db, ctx.actor)),
  end: viewerProcedure.input(ZEndSession).mutation(({ ctx, input }) => endMySession(ctx.db, ctx.actor, input)),
  endAll: viewerProcedure.mutation(({ ctx }) => endAllMySessions(ctx.db, ctx.actor)),
});
