// Admin area: users, sign-in locks, everyone's tokens, audit log.
import { z } from "zod";
import { listAudit, ZListAudit } from "@/server/audit/service";
import { ZChangeRole, ZCreateUser, ZSetActive, ZUnlockSignIn } from "@/server/auth/schemas";
import { listThrottles, unlockSignIn } from "@/server/auth/throttle";
import { changeRole, createUser, listUsers, setUserActive } from "@/server/auth/users";
import { listTokens, revokeToken } from "@/server/tokens/service";
import { ZRevokeToken } from "@/server/tokens/schemas";
import { adminProcedure, router } from "@/server/trpc";

export const adminRouter = router({
  users: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  createUser: adminProcedure.input(ZCreateUser).mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input)),
  changeRole: adminProcedure.input(ZChangeRole).mutation(({ ctx, input }) => changeRole(ctx.db, ctx.actor, input)),
  setActive: adminProcedure.input(ZSetActive).mutation(({ ctx, input }) => setUserActive(ctx.db, ctx.actor, input)),
  signInThrottles: adminProcedure.query(({ ctx }) => listThrottles(ctx.db)),
  unlockSignIn: adminProcedure.input(ZUnlockSignIn).mutation(({ ctx, input }) => unlockSignIn(ctx.db, ctx.actor, input)),
  tokens: adminProcedure.query(({ ctx }) => listTokens(ctx.db, ctx.actor, { all: true })),
  revokeToken: adminProcedure.input(ZRevokeToken).mutation(({ ctx, input }) => revokeToken(ctx.db, ctx.actor, input)),
  audit: adminProcedure
    .input(ZListAudit.partial().extend({ limit: z.number().int().min(1).max(200).optional() }))
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});
