// Monitoring for the browser: overview, model pages, alerts; engineers acknowledge, silence, add monitors and SLOs.
import { acknowledgeAlert, listAlerts, silenceAlert, unsilenceAlert } from "@/server/monitoring/alerts";
import {
  ZAlertId,
  ZCreateMonitor,
  ZCreateSlo,
  ZCreateThresholdRule,
  ZEvaluateModel,
  ZThresholdRuleId,
  ZListAlerts,
  ZModelMonitoring,
  ZOverviewFilters,
  ZSilenceAlert,
} from "@/server/monitoring/schemas";
import { evaluateAllNow, evaluateModelNow } from "@/server/monitoring/evaluate";
import { createMonitor, createSlo } from "@/server/monitoring/monitors";
import { modelMonitoring, monitoringOverview } from "@/server/monitoring/pages";
import { createThresholdRule, disableThresholdRule } from "@/server/monitoring/thresholds";
import { engineerProcedure, router, viewerProcedure } from "@/server/trpc";

export const monitoringRouter = router({
  overview: viewerProcedure.input(ZOverviewFilters.partial()).query(({ ctx, input }) => monitoringOverview(ctx.db, input)),
  model: viewerProcedure.input(ZModelMonitoring).query(({ ctx, input }) => modelMonitoring(ctx.db, input)),
  alerts: viewerProcedure.input(ZListAlerts.partial()).query(({ ctx, input }) => listAlerts(ctx.db, input)),
  acknowledge: engineerProcedure.input(ZAlertId).mutation(({ ctx, input }) => acknowledgeAlert(ctx.db, ctx.actor, input)),
  silence: engineerProcedure.input(ZSilenceAlert).mutation(({ ctx, input }) => silenceAlert(ctx.db, ctx.actor, input)),
  unsilence: engineerProcedure.input(ZAlertId).mutation(({ ctx, input }) => unsilenceAlert(ctx.db, ctx.actor, input)),
  createMonitor: engineerProcedure.input(ZCreateMonitor).mutation(({ ctx, input }) => createMonitor(ctx.db, ctx.actor, input)),
  createSlo: engineerProcedure.input(ZCreateSlo).mutation(({ ctx, input }) => createSlo(ctx.db, ctx.actor, input)),
  evaluateNow: engineerProcedure.mutation(({ ctx }) => evaluateAllNow(ctx.db, ctx.actor)),
  createThresholdRule: engineerProcedure.input(ZCreateThresholdRule).mutation(({ ctx, input }) => createThresholdRule(ctx.db, ctx.actor, input)),
  disableThresholdRule: engineerProcedure.input(ZThresholdRuleId).mutation(({ ctx, input }) => disableThresholdRule(ctx.db, ctx.actor, input)),
  evaluateModel: engineerProcedure.input(ZEvaluateModel).mutation(({ ctx, input }) => evaluateModelNow(ctx.db, ctx.actor, input)),
});
