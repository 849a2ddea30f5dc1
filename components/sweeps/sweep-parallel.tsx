"use client";
// A sweep's parallel coordinates: one axis per parameter (most important first), the objective last; lines coloured
// by rank (warm = better). Lines arrive thinned on the server, so a 2,000-trial sweep draws at most 600.
import { axisLabel, ParallelCoordinates } from "@/components/charts/parallel-coordinates";
import { formatValue, valueColor } from "@/components/experiments/chart-data";
import type { SweepView } from "@/server/sweeps/service";

type Parallel = NonNullable<SweepView["parallel"]>;

export function SweepParallel({ data, objective, direction }: { data: Parallel; objective: string; direction: "min" | "max" }) {
  const { axes, lines, omitted } = data;
  const title = `Parallel coordinates of ${lines.length} trials over ${axes
    .slice(0, -1)
    .map((a) => a.label)
    .join(", ")} to ${objective}; warmer lines are better (${direction === "max" ? "higher" : "lower"} ${objective}).`;
  return (
    <ParallelCoordinates
      axes={axes.map((a) => ({ key: a.key, label: axisLabel(a.label, 20) + (a.kind === "log" ? " (log)" : ""), ticks: a.ticks }))}
      lines={lines.map((l) => ({
        id: l.runId,
        positions: l.positions,
        color: valueColor(l.t),
        tooltip: `${l.runName}: ${objective} = ${formatValue(l.value)}`,
      }))}
      title={title}
      height={340}
      maxTicks={10}
      scroll
      testId="sweep-parallel"
      caption={(h) =>
        h
          ? h.tooltip
          : `${lines.length} trials drawn${omitted ? ` (the best 100 and an even sample of the rest; ${omitted} more not drawn)` : ""}. Warm lines are better. The top trials table below has the same values as text.`
      }
    />
  );
}
