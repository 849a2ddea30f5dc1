// Safety review for the browser: overview, release review, sign-offs, reviewer permissions.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";
import { evaluationFromBatch } from "@/server/safety/batch";
import { ZBatchEvaluation, ZGrantPermission, ZReviewQuery, ZSignOff, ZWithdrawSignOff } from "@/server/safety/schemas";
import {
  grantPermission,
  hasPermission,
  latestSignOff,
  listSignOffs,
  releaseReview,
  revokePermission,
  SAFETY_REVIEWER,
  safetyOverview,
  signOff,
  usersWithPermission,
  withdrawSignOff,
} from "@/server/safety/service";
import { adminProcedure, engineerProcedure, router, viewerProcedure } from "@/server/trpc";

const ZVersionRef = z.strictObject({ slug: ZSlug, version: z.number().int().positive() });

export const safetyRouter = router({
  overview: viewerProcedure.query(({ ctx }) => safetyOverview(ctx.db)),
  review: viewerProcedure.input(ZReviewQuery).query(({ ctx, input }) => releaseReview(ctx.db, input)),
  signOffs: viewerProcedure.input(ZVersionRef).query(({ ctx, input }) => listSignOffs(ctx.db, input.slug, input.version)),
  latestSignOff: viewerProcedure.input(ZVersionRef).query(({ ctx, input }) => latestSignOff(ctx.db, input.slug, input.version)),
  /** Any signed-in user may call it; the service refuses those without the safety-reviewer permission. */
  signOff: viewerProcedure.input(ZSignOff).mutation(({ ctx, input }) => signOff(ctx.db, ctx.actor, input)),
  withdrawSignOff: viewerProcedure.input(ZWithdrawSignOff).mutation(({ ctx, input }) => withdrawSignOff(ctx.db, ctx.actor, input)),
  myPermissions: viewerProcedure.query(async ({ ctx }) => ({ safetyReviewer: await hasPermission(ctx.db, ctx.actor.userId, SAFETY_REVIEWER) })),
  /** A playground batch run as an evaluation: per-frame outputs in, counts computed on the server. */
  saveBatch: engineerProcedure.input(ZBatchEvaluation).mutation(({ ctx, input }) => evaluationFromBatch(ctx.db, ctx.actor, input)),
  reviewers: adminProcedure.query(({ ctx }) => usersWithPermission(ctx.db, SAFETY_REVIEWER)),
  grant: adminProcedure.input(ZGrantPermission).mutation(({ ctx, input }) => grantPermission(ctx.db, ctx.actor, input)),
  revoke: adminProcedure.input(ZGrantPermission).mutation(({ ctx, input }) => revokePermission(ctx.db, ctx.actor, input)),
});
