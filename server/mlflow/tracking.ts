// MLflow's tracking endpoints (experiments, runs, metrics, params, tags): each reads MLflow's
// arguments and calls one experiments service.
import { LIMITS } from "@/server/experiments/schemas";
import {
  createExperiment,
  createRun,
  deleteExperiment,
  deleteRun,
  deleteRunTag,
  getExperiment,
  getExperimentByName,
  getMetricHistory,
  getRunView,
  logBatch,
  logMetric,
  logParam,
  renameExperiment,
  restoreExperiment,
  restoreRun,
  searchExperiments,
  searchRunViews,
  setExperimentTag,
  setRunTag,
  updateRun,
} from "@/server/experiments/service";
import { experimentJson, metricJson, runInfoJson, runJson, runsJson, type Args, type Endpoint, type HandlerArgs } from "./wire";

const runIdOf = (args: Args) => args.required("run_id", "run_uuid");

export const trackingHandlers: Record<string, Endpoint> = {
  "POST experiments/create": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      const e = await createExperiment(db, actor, {
        name: args.required("name"),
        artifactLocation: args.str("artifact_location") || undefined,
        tags: args.keyValues("tags"),
      });
      return { experiment_id: String(e.id) };
    },
  },
  "GET experiments/get": {
    scope: "runs:read",
    handler: async ({ db, args }) => ({ experiment: experimentJson(await getExperiment(db, args.required("experiment_id"))) }),
  },
  "GET experiments/get-by-name": {
    scope: "runs:read",
    handler: async ({ db, args }) => ({ experiment: experimentJson(await getExperimentByName(db, args.required("experiment_name"))) }),
  },
  "POST experiments/search": { scope: "runs:read", handler: (a) => experimentsSearch(a) },
  "GET experiments/search": { scope: "runs:read", handler: (a) => experimentsSearch(a) },
  "POST experiments/update": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await renameExperiment(db, actor, { experimentId: args.required("experiment_id"), newName: args.required("new_name") });
      return {};
    },
  },
  "POST experiments/delete": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await deleteExperiment(db, actor, args.required("experiment_id"));
      return {};
    },
  },
  "POST experiments/restore": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await restoreExperiment(db, actor, args.required("experiment_id"));
      return {};
    },
  },
  "POST experiments/set-experiment-tag": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await setExperimentTag(db, actor, { experimentId: args.required("experiment_id"), key: args.required("key"), value: args.raw("value") as string });
      return {};
    },
  },
  "POST runs/create": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      const run = await createRun(db, actor, {
        experimentId: args.str("experiment_id") || undefined,
        userId: args.str("user_id"),
        runName: args.str("run_name") || undefined,
        startTime: args.int("start_time"),
        tags: args.keyValues("tags"),
      });
      return { run: runJson(run) };
    },
  },
  "GET runs/get": {
    scope: "runs:read",
    handler: async ({ db, args }) => {
      const { run, hasInputs } = await getRunView(db, runIdOf(args));
      return { run: (await runsJson(db, [run], new Set(hasInputs ? [run.info.runId] : [])))[0] };
    },
  },
  "POST runs/update": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      const row = await updateRun(db, actor, {
        runId: runIdOf(args),
        status: args.raw("status") as never,
        endTime: args.int("end_time"),
        runName: args.str("run_name") || undefined,
      });
      return { run_info: runInfoJson(row) };
    },
  },
  "POST runs/delete": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await deleteRun(db, actor, runIdOf(args));
      return {};
    },
  },
  "POST runs/restore": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await restoreRun(db, actor, runIdOf(args));
      return {};
    },
  },
  "POST runs/search": {
    scope: "runs:read",
    handler: async ({ db, args, req }) => {
      const r = await searchRunViews(
        db,
        {
          experimentIds: args.strings("experiment_ids"),
          filter: args.str("filter"),
          runViewType: (args.str("run_view_type") as never) || undefined,
          maxResults: args.int("max_results"),
          orderBy: args.strings("order_by"),
          pageToken: args.str("page_token") || undefined,
        },
        { signal: req.signal },
      );
      return { runs: await runsJson(db, r.runs, r.withInputs), ...(r.nextPageToken ? { next_page_token: r.nextPageToken } : {}) };
    },
  },
  "POST runs/log-metric": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await logMetric(db, actor, {
        runId: runIdOf(args),
        key: args.required("key"),
        value: args.float("value"),
        timestamp: args.int("timestamp"),
        step: args.int("step"),
      });
      return {};
    },
  },
  "POST runs/log-parameter": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await logParam(db, actor, { runId: runIdOf(args), key: args.required("key"), value: args.raw("value") });
      return {};
    },
  },
  "POST runs/set-tag": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await setRunTag(db, actor, { runId: runIdOf(args), key: args.required("key"), value: args.raw("value") });
      return {};
    },
  },
  "POST runs/delete-tag": {
    scope: "runs:write",
    handler: async ({ db, actor, args }) => {
      await deleteRunTag(db, actor, { runId: runIdOf(args), key: args.required("key") });
      return {};
    },
  },
  "POST runs/log-batch": {
    scope: "runs:write",
    bodyLimit: LIMITS.batchBodyBytes,
    handler: async ({ db, actor, args }) => {
      const metrics = args.list("metrics").map((m) => {
        const o = (m ?? {}) as Record<string, unknown>;
        return { key: o.key, value: o.value, timestamp: o.timestamp, step: o.step ?? undefined };
      });
      await logBatch(db, actor, { runId: runIdOf(args), metrics: metrics as never, params: args.keyValues("params"), tags: args.keyValues("tags") });
      return {};
    },
  },
  "GET metrics/get-history": {
    scope: "runs:read",
    handler: async ({ db, args }) => {
      const r = await getMetricHistory(db, {
        runId: runIdOf(args),
        key: args.required("metric_key"),
        maxResults: args.int("max_results"),
        pageToken: args.str("page_token") || undefined,
      });
      return { metrics: r.metrics.map(metricJson), ...(r.nextPageToken ? { next_page_token: r.nextPageToken } : {}) };
    },
  },
};

async function experimentsSearch({ db, args }: HandlerArgs) {
  const viewType = args.str("view_type");
  const r = await searchExperiments(db, {
    viewType: (viewType as never) || undefined,
    maxResults: args.int("max_results"),
    filter: args.str("filter"),
    orderBy: args.strings("order_by"),
    pageToken: args.str("page_token") || undefined,
  });
  return { experiments: r.experiments.map(experimentJson), ...(r.nextPageToken ? { next_page_token: r.nextPageToken } : {}) };
}
