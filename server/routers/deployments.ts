// Deployments for the browser: list, detail with gates, on-call view; the deploy buttons (production ones need an admin, checked in the service).
import { oncallModels, oncallView } from "@/server/deployments/oncall";
import { runAnalysis } from "@/server/deployments/rollout";
import {
  ZApprove,
  ZCreateDeployment,
  ZCreateTarget,
  ZDeploymentQuery,
  ZOncallQuery,
  ZPromote,
  ZRollback,
  ZRunAnalysis,
  ZStartCanary,
  ZStep,
  ZWithdrawApproval,
} from "@/server/deployments/schemas";
import { createDeployment, createTarget, listTargets } from "@/server/deployments/targets";
import { approveVersion, withdrawApproval, getDeployment, listDeployments, promote, rollback, startCanary, stepRollout } from "@/server/deployments/service";
import { adminProcedure, engineerProcedure, router, viewerProcedure } from "@/server/trpc";

export const deploymentsRouter = router({
  list: viewerProcedure.query(({ ctx }) => listDeployments(ctx.db)),
  get: viewerProcedure.input(ZDeploymentQuery).query(({ ctx, input }) => getDeployment(ctx.db, input)),
  oncall: viewerProcedure.input(ZOncallQuery).query(({ ctx, input }) => oncallView(ctx.db, input)),
  oncallModels: viewerProcedure.query(({ ctx }) => oncallModels(ctx.db)),
  promote: engineerProcedure.input(ZPromote).mutation(({ ctx, input }) => promote(ctx.db, ctx.actor, input)),
  startCanary: engineerProcedure.input(ZStartCanary).mutation(({ ctx, input }) => startCanary(ctx.db, ctx.actor, input)),
  advance: engineerProcedure.input(ZStep).mutation(({ ctx, input }) => stepRollout(ctx.db, ctx.actor, "advance", input)),
  pause: engineerProcedure.input(ZStep).mutation(({ ctx, input }) => stepRollout(ctx.db, ctx.actor, "pause", input)),
  resume: engineerProcedure.input(ZStep).mutation(({ ctx, input }) => stepRollout(ctx.db, ctx.actor, "resume", input)),
  abort: engineerProcedure.input(ZStep).mutation(({ ctx, input }) => stepRollout(ctx.db, ctx.actor, "abort", input)),
  rollback: engineerProcedure.input(ZRollback).mutation(({ ctx, input }) => rollback(ctx.db, ctx.actor, input)),
  /** Analyse the current step now; the plan's decision follows (a pass still waits for the bake). */
  runAnalysis: engineerProcedure.input(ZRunAnalysis).mutation(({ ctx, input }) => runAnalysis(ctx.db, ctx.actor, input)),
  targets: viewerProcedure.query(({ ctx }) => listTargets(ctx.db)),
  createTarget: adminProcedure.input(ZCreateTarget).mutation(({ ctx, input }) => createTarget(ctx.db, ctx.actor, input)),
  create: engineerProcedure.input(ZCreateDeployment).mutation(({ ctx, input }) => createDeployment(ctx.db, ctx.actor, input)),
  approve: adminProcedure.input(ZApprove).mutation(({ ctx, input }) => approveVersion(ctx.db, ctx.actor, input)),
  withdrawApproval: adminProcedure.input(ZWithdrawApproval).mutation(({ ctx, input }) => withdrawApproval(ctx.db, ctx.actor, input)),
});
