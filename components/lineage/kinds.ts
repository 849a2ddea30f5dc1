// How each lineage kind is named and coloured on the graph (colours keep 4.5:1 text contrast in both themes).
import type { NodeKind } from "@/server/lineage/schemas";

export const KIND_NAME: Record<NodeKind, string> = {
  dataset: "Dataset",
  run: "Training run",
  version: "Model version",
  deployment: "Deployment",
  target: "Target",
  cohort: "Device cohort",
  alert: "Alert",
  incident: "Incident",
  group: "Group",
};

/** Fill and stroke classes per kind: light tints with dark text, dark tints with light text. */
export const KIND_STYLE: Record<NodeKind, string> = {
  dataset: "fill-emerald-50 stroke-emerald-600 dark:fill-emerald-950 dark:stroke-emerald-400",
  run: "fill-sky-50 stroke-sky-600 dark:fill-sky-950 dark:stroke-sky-400",
  version: "fill-indigo-50 stroke-indigo-600 dark:fill-indigo-950 dark:stroke-indigo-400",
  deployment: "fill-violet-50 stroke-violet-600 dark:fill-violet-950 dark:stroke-violet-400",
  target: "fill-zinc-50 stroke-zinc-600 dark:fill-zinc-900 dark:stroke-zinc-400",
  cohort: "fill-zinc-50 stroke-zinc-500 dark:fill-zinc-900 dark:stroke-zinc-500",
  alert: "fill-amber-50 stroke-amber-600 dark:fill-amber-950 dark:stroke-amber-400",
  incident: "fill-red-50 stroke-red-600 dark:fill-red-950 dark:stroke-red-400",
  group: "fill-white stroke-zinc-500 dark:fill-zinc-900 dark:stroke-zinc-500",
};
