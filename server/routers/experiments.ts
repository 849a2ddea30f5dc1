// Experiments for the browser: experiment list, runs table, run page, chart series, column choosers.
import { z } from "zod";
import { metricSeries } from "@/server/experiments/charts";
import {
  ZCreateExperiment,
  ZExperimentId,
  ZKeysQuery,
  ZListExperiments,
  ZMetricSeries,
  ZRegisterArtifact,
  ZRenameExperiment,
  ZRunGroups,
  ZRunId,
  ZRunsTable,
  ZTagInput,
} from "@/server/experiments/schemas";
import {
  createExperiment,
  deleteExperiment,
  deleteRun,
  distinctKeys,
  getExperiment,
  getRun,
  listExperiments,
  renameExperiment,
  restoreExperiment,
  restoreRun,
  runDetails,
  runGroups,
  runsTable,
  setRunTag,
} from "@/server/experiments/service";
import { artifactStore } from "@/server/artifacts";
import { previewRunArtifact, runArtifactTree } from "@/server/experiments/artifacts";
import { runInputs } from "@/server/experiments/datasets";
import { registerRunArtifact } from "@/server/experiments/register-artifact";
import { engineerProcedure, router, viewerProcedure } from "@/server/trpc";

const ZExperimentRef = z.strictObject({ experimentId: ZExperimentId });
const ZRunRef = z.strictObject({ runId: ZRunId });

export const experimentsRouter = router({
  listExperiments: viewerProcedure.input(ZListExperiments).query(({ ctx, input }) => listExperiments(ctx.db, input)),
  experiment: viewerProcedure.input(ZExperimentRef).query(({ ctx, input }) => getExperiment(ctx.db, input.experimentId)),
  createExperiment: engineerProcedure.input(ZCreateExperiment).mutation(({ ctx, input }) => createExperiment(ctx.db, ctx.actor, input)),
  renameExperiment: engineerProcedure.input(ZRenameExperiment).mutation(({ ctx, input }) => renameExperiment(ctx.db, ctx.actor, input)),
  archiveExperiment: engineerProcedure.input(ZExperimentRef).mutation(({ ctx, input }) => deleteExperiment(ctx.db, ctx.actor, input.experimentId)),
  restoreExperiment: engineerProcedure.input(ZExperimentRef).mutation(({ ctx, input }) => restoreExperiment(ctx.db, ctx.actor, input.experimentId)),
  searchRuns: viewerProcedure.input(ZRunsTable).query(({ ctx, input, signal }) => runsTable(ctx.db, input, { signal })),
  runGroups: viewerProcedure.input(ZRunGroups).query(({ ctx, input }) => runGroups(ctx.db, input)),
  getRun: viewerProcedure.input(ZRunRef).query(({ ctx, input }) => runDetails(ctx.db, input.runId)),
  setRunTag: engineerProcedure.input(ZRunRef.extend(ZTagInput.shape)).mutation(({ ctx, input }) => setRunTag(ctx.db, ctx.actor, input)),
  deleteRun: engineerProcedure.input(ZRunRef).mutation(({ ctx, input }) => deleteRun(ctx.db, ctx.actor, input.runId)),
  restoreRun: engineerProcedure.input(ZRunRef).mutation(({ ctx, input }) => restoreRun(ctx.db, ctx.actor, input.runId)),
  metricSeries: viewerProcedure.input(ZMetricSeries).query(({ ctx, input }) => metricSeries(ctx.db, input)),
  metricKeys: viewerProcedure.input(ZKeysQuery).query(({ ctx, input }) => distinctKeys(ctx.db, "metrics", input)),
  paramKeys: viewerProcedure.input(ZKeysQuery).query(({ ctx, input }) => distinctKeys(ctx.db, "params", input)),
  tagKeys: viewerProcedure.input(ZKeysQuery).query(({ ctx, input }) => distinctKeys(ctx.db, "tags", input)),
  /** The run page's artifact tree (files logged through the MLflow artifact proxy) and dataset inputs. */
  runArtifacts: viewerProcedure.input(ZRunRef).query(async ({ ctx, input }) => {
    const run = await getRun(ctx.db, input.runId);
    const [files, inputs] = await Promise.all([runArtifactTree(ctx.db, run.info), runInputs(ctx.db, [input.runId])]);
    return { files, datasets: inputs.get(input.runId) ?? [] };
  }),
  artifactPreview: viewerProcedure
    .input(ZRunRef.extend({ path: z.string().min(1).max(2000) }))
    .query(async ({ ctx, input }) => previewRunArtifact(ctx.db, artifactStore, (await getRun(ctx.db, input.runId)).info, input.path)),
  /** A run's artifact directory or .onnx file as a new model version (the MLflow door's create-model-version service). */
  registerArtifact: engineerProcedure.input(ZRegisterArtifact).mutation(({ ctx, input }) => registerRunArtifact(ctx.db, ctx.actor, input)),
});
