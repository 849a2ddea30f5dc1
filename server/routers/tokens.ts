// The signed-in user's own API tokens.
import { createToken, listTokens, revokeToken } from "@/server/tokens/service";
import { ZCreateToken, ZRevokeToken } from "@/server/tokens/schemas";
import { router, viewerProcedure } from "@/server/trpc";

export const tokensRouter = router({
  mine: viewerProcedure.query(({ ctx }) => listTokens(ctx.db, ctx.actor)),
  // The UI is the one door where a person may choose "never expires".
  create: viewerProcedure.input(ZCreateToken).mutation(({ ctx, input }) => createToken(ctx.db, ctx.actor, input, ctx.actor.userId, { allowNoExpiry: true })),
  revoke: viewerProcedure.input(ZRevokeToken).mutation(({ ctx, input }) => revokeToken(ctx.db, ctx.actor, input)),
});
