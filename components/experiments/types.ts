// Shapes of experiments procedure outputs, for components that receive them as props.
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/routers/_app";

type Experiments = inferRouterOutputs<AppRouter>["experiments"];

export type RunsPage = Experiments["searchRuns"];
export type RunRow = RunsPage["rows"][number];
export type RunDetails = Experiments["getRun"];
export type RunGroup = Experiments["runGroups"][number];
export type MetricSeriesResult = Experiments["metricSeries"];
export type RunStatus = RunRow["status"];
