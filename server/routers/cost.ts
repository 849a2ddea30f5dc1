// Cost for the browser: overview, model cost, CSV preview/import (small files; large ones via REST), budgets.
import { ZCostQuery, ZCsvText, ZModelCostQuery, ZSetBudget } from "@/server/cost/schemas";
import { costOverview, importCostCsv, modelCost, previewCostCsv, setBudget } from "@/server/cost/service";
import { engineerProcedure, router, viewerProcedure } from "@/server/trpc";

export const costRouter = router({
  overview: viewerProcedure.input(ZCostQuery).query(({ ctx, input }) => costOverview(ctx.db, input)),
  model: viewerProcedure.input(ZModelCostQuery).query(({ ctx, input }) => modelCost(ctx.db, input)),
  previewCsv: engineerProcedure.input(ZCsvText).mutation(({ ctx, input }) => previewCostCsv(ctx.db, input.text)),
  importCsv: engineerProcedure.input(ZCsvText).mutation(({ ctx, input }) => importCostCsv(ctx.db, ctx.actor, input.text, input.fileName)),
  setBudget: engineerProcedure.input(ZSetBudget).mutation(({ ctx, input }) => setBudget(ctx.db, ctx.actor, input)),
});
