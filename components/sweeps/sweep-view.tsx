"use client";
// The sweep page's body: objective and direction kept in the URL (shareable), the best-so-far curve, parameter
// importance, parallel coordinates and the top trials. The server renders the first view; changes refetch here.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { formatValue } from "@/components/experiments/chart-data";
import { RunStatusBadge } from "@/components/experiments/status-badge";
import { Card, EmptyState } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc";
import type { SweepView as TSweep } from "@/server/sweeps/service";
import { BestSoFarChart } from "./best-so-far-chart";
import { ImportanceList } from "./importance-list";
import { SweepParallel } from "./sweep-parallel";

type Props = { experimentId: string; sweepId: string; initial: TSweep; initialQuery: { objective?: string; direction?: "min" | "max" } };

const asDirection = (v: string | null) => (v === "min" || v === "max" ? v : undefined);

export function SweepView({ experimentId, sweepId, initial, initialQuery }: Props) {
  const trpc = useTRPC();
  const sp = useSearchParams();
  const pathname = usePathname();
  const objective = sp.get("objective") || undefined;
  const direction = asDirection(sp.get("direction"));
  const isInitial = objective === initialQuery.objective && direction === initialQuery.direction;
  const q = useQuery(
    trpc.sweeps.get.queryOptions(
      { experimentId, sweepId, objective, direction },
      { initialData: isInitial ? initial : undefined, placeholderData: (prev) => prev, staleTime: 30_000 },
    ),
  );
  // Several params in one history entry; Next syncs replaceState into useSearchParams without a server round trip.
  const setParams = useCallback(
    (patch: Record<string, string | null>) => {
      const next = new URLSearchParams(sp.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      const s = next.toString();
      window.history.replaceState(null, "", s ? `${pathname}?${s}` : pathname);
    },
    [sp, pathname],
  );

  const s = q.data ?? initial;
  const updating = q.isFetching && q.isPlaceholderData;
  if (s.trialCount === 0) {
    return (
      <EmptyState title="No trials in this sweep yet">
        Trials appear here once runs are logged with the tag <code className="font-mono text-xs">mlflow.parentRunId={s.sweep.parent?.runId ?? sweepId}</code>,
        as Ray Tune&apos;s MLflow callback and Optuna&apos;s MLflow integration do for each trial.
      </EmptyState>
    );
  }
  const obj = s.objective;
  return (
    <div className="space-y-4">
      <Card className="flex flex-wrap items-end gap-3">
        <div className="w-full sm:w-64">
          <Field label="Objective" htmlFor="sweep-objective">
            {/* Choosing another metric drops the direction, so the new metric opens on its usual one. */}
            <Select id="sweep-objective" value={obj?.key ?? ""} onChange={(e) => setParams({ objective: e.target.value, direction: null })}>
              {s.metricKeys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className="w-full sm:w-48">
          <Field label="Direction" htmlFor="sweep-direction">
            <Select
              id="sweep-direction"
              value={obj?.direction ?? "max"}
              onChange={(e) => setParams({ objective: obj?.key ?? null, direction: e.target.value })}
            >
              <option value="max">Maximise</option>
              <option value="min">Minimise</option>
            </Select>
          </Field>
        </div>
        <p className="text-sm text-muted" role="status" aria-live="polite">
          {updating
            ? "Updating…"
            : obj
              ? `${s.withObjective} of ${s.trialCount} trials have a ${obj.key}${obj.source === "sweep" ? "; the sweep declares this objective" : ""}.`
              : null}
        </p>
        {s.objectiveMissing ? (
          <p className="w-full text-sm text-amber-800 dark:text-amber-300">
            No trial logged “{s.objectiveMissing}”; showing {obj?.key}. Pick another objective above.
          </p>
        ) : null}
        {s.truncated ? (
          <p className="w-full text-sm text-amber-800 dark:text-amber-300">
            This sweep has more trials than the page reads; the first {s.trialCount} by start time are shown.
          </p>
        ) : null}
      </Card>

      {!obj || !s.withObjective ? (
        <EmptyState title="No trial has logged a metric yet">
          Trials that report a metric (Ray Tune&apos;s tune.report, or mlflow.log_metric) show up here.
        </EmptyState>
      ) : (
        <>
          <div className="grid gap-4 lg:grid-cols-2">
            <Card>
              <h2 className="mb-2 font-semibold">Best so far</h2>
              <BestSoFarChart curve={s.curve} objective={obj.key} direction={obj.direction} />
              {s.best ? (
                <p className="mt-1 text-sm">
                  Best: <strong className="tabular-nums">{formatValue(s.best.value)}</strong> in{" "}
                  <Link className="text-link underline" href={`/experiments/${s.sweep.experiment.id}/runs/${s.best.runId}`}>
                    {s.best.runName || s.best.runId}
                  </Link>
                </p>
              ) : null}
            </Card>
            <Card>
              <h2 className="mb-2 font-semibold">Parameter importance</h2>
              <ImportanceList importance={s.importance} objective={obj.key} />
            </Card>
          </div>
          {s.parallel ? (
            <Card>
              <h2 className="mb-2 font-semibold">Parallel coordinates</h2>
              <SweepParallel data={s.parallel} objective={obj.key} direction={obj.direction} />
            </Card>
          ) : null}
          <section aria-labelledby="top-trials">
            <h2 id="top-trials" className="mb-2 font-semibold">
              Top {s.top.length} trials by {obj.key} ({obj.direction === "max" ? "highest" : "lowest"} first)
            </h2>
            <Table label="Top trials">
              <thead>
                <tr>
                  <Th>Trial</Th>
                  <Th className="text-right">#</Th>
                  <Th className="text-right">{obj.key}</Th>
                  <Th>Status</Th>
                  {Object.keys(s.top[0]?.params ?? {}).map((k) => (
                    <Th key={k} className="font-mono normal-case">
                      {k}
                    </Th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {s.top.map((t) => (
                  <tr key={t.runId} data-testid="top-trial">
                    <Td>
                      <Link className="text-link underline" href={`/experiments/${s.sweep.experiment.id}/runs/${t.runId}`}>
                        {t.runName || t.runId.slice(0, 8)}
                      </Link>
                    </Td>
                    <Td className="text-right tabular-nums">{t.rank}</Td>
                    <Td className="text-right tabular-nums">
                      <span data-testid="top-trial-value">{formatValue(t.value)}</span>
                    </Td>
                    <Td>
                      <RunStatusBadge status={t.status} />
                    </Td>
                    {Object.entries(t.params).map(([k, v]) => (
                      <Td key={k} className="font-mono text-xs">
                        {v ?? "—"}
                      </Td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </Table>
          </section>
          {Object.keys(s.constantParams).length ? (
            <p className="text-sm text-muted">
              Same in every trial:{" "}
              {Object.entries(s.constantParams)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
