// Alert routing for the browser: admins manage webhook targets and the allow-list; everyone sees what an alert caused; engineers edit automated responses.
import { adminProcedure, engineerProcedure, router, viewerProcedure } from "@/server/trpc";
import { deleteResponseRule, listResponseRules, setResponseRule } from "@/server/webhooks/responses";
import {
  ZAlertIds,
  ZAllowEntry,
  ZCreateTarget,
  ZDeliveryLog,
  ZModelRules,
  ZRuleId,
  ZSetResponseRule,
  ZTargetId,
  ZUpdateTarget,
} from "@/server/webhooks/schemas";
import {
  addAllowEntry,
  alertRouting,
  createTarget,
  deleteTarget,
  deliveryLog,
  listAllowlist,
  listTargets,
  removeAllowEntry,
  rotateSecret,
  sendTest,
  updateTarget,
} from "@/server/webhooks/service";

export const webhooksRouter = router({
  targets: adminProcedure.query(({ ctx }) => listTargets(ctx.db)),
  create: adminProcedure.input(ZCreateTarget).mutation(({ ctx, input }) => createTarget(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(ZUpdateTarget).mutation(({ ctx, input }) => updateTarget(ctx.db, ctx.actor, input)),
  remove: adminProcedure.input(ZTargetId).mutation(({ ctx, input }) => deleteTarget(ctx.db, ctx.actor, input)),
  rotateSecret: adminProcedure.input(ZTargetId).mutation(({ ctx, input }) => rotateSecret(ctx.db, ctx.actor, input)),
  sendTest: adminProcedure.input(ZTargetId).mutation(({ ctx, input }) => sendTest(ctx.db, ctx.actor, input)),
  allowlist: adminProcedure.query(({ ctx }) => listAllowlist(ctx.db)),
  allow: adminProcedure.input(ZAllowEntry).mutation(({ ctx, input }) => addAllowEntry(ctx.db, ctx.actor, input)),
  disallow: adminProcedure.input(ZTargetId).mutation(({ ctx, input }) => removeAllowEntry(ctx.db, ctx.actor, input)),
  deliveries: adminProcedure.input(ZDeliveryLog.partial()).query(({ ctx, input }) => deliveryLog(ctx.db, input)),
  alertRouting: viewerProcedure.input(ZAlertIds).query(({ ctx, input }) => alertRouting(ctx.db, input.alertIds)),
  responseRules: viewerProcedure.input(ZModelRules).query(({ ctx, input }) => listResponseRules(ctx.db, input)),
  setResponseRule: engineerProcedure.input(ZSetResponseRule).mutation(({ ctx, input }) => setResponseRule(ctx.db, ctx.actor, input)),
  deleteResponseRule: engineerProcedure.input(ZRuleId).mutation(({ ctx, input }) => deleteResponseRule(ctx.db, ctx.actor, input)),
});
