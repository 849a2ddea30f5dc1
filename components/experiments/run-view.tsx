"use client";
// The run page body: header, metric charts, params, latest metrics, tags, system info, notes and produced versions.
// A RUNNING run refreshes its data and charts by polling, without a reload.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { MarkdownText } from "@/components/registry/markdown";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { absoluteTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { formatValue, formatX } from "./chart-data";
import { ChartControls, MetricCard, useChartOptions } from "./metric-panel";
import { RegisterVersion } from "./register-version";
import { RunArtifacts } from "./run-artifacts";
import { RunStatusBadge } from "./status-badge";
import type { RunDetails } from "./types";
import { runColor } from "./view-state";
import { FormActions } from "@/components/ui/dialog";

const NOTE_TAG = "mlflow.note.content";
const POLL_MS = 5000;

function KeyValues({ rows, empty, label }: { rows: { key: string; value: React.ReactNode }[]; empty: string; label: string }) {
  if (!rows.length) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <table className="w-full text-sm" aria-label={label}>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className="border-t border-zinc-100 first:border-0 dark:border-zinc-800">
            <th scope="row" className="w-1/2 py-1 pr-3 text-left align-top font-mono text-xs font-normal break-all text-zinc-600 dark:text-zinc-400">
              {r.key}
            </th>
            <td className="py-1 font-mono text-xs break-all">{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RunView({ initial, canEdit }: { initial: RunDetails; canEdit: boolean }) {
  const trpc = useTRPC();
  const runId = initial.info.runId;
  const q = useQuery(
    trpc.experiments.getRun.queryOptions(
      { runId },
      { initialData: initial, refetchInterval: (query) => (query.state.data?.info.status === "RUNNING" ? POLL_MS : false) },
    ),
  );
  const run = q.data;
  const [options, setOptions] = useChartOptions();
  const live = run.info.status === "RUNNING";
  const color = runColor(runId);
  const tags = run.data.tags.filter((t) => !t.key.startsWith("mlflow."));
  const systemTags = run.data.tags.filter((t) => t.key.startsWith("mlflow.") && t.key !== NOTE_TAG);
  const note = run.data.tags.find((t) => t.key === NOTE_TAG)?.value ?? "";
  // A live run's "so far" is measured at the last refresh, which keeps rendering pure.
  const end = run.info.endTime ?? (live ? q.dataUpdatedAt : null);
  const duration = end !== null ? end - run.info.startTime : null;
  const metricKeys = run.data.metrics.map((m) => m.key);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="flex items-center gap-2 text-xl font-semibold tracking-tight">
            <span aria-hidden className="size-3 rounded-full" style={{ background: color }} />
            {run.info.runName || runId}
            <RunStatusBadge status={run.info.status} />
            {run.info.lifecycleStage === "deleted" ? <Badge tone="amber">deleted</Badge> : null}
          </h1>
          <p className="mt-1 text-sm text-muted">
            Started <Time value={new Date(run.info.startTime)} />
            {duration !== null ? ` · ran ${formatX(duration, "relative")}${live ? " so far" : ""}` : ""}
            {run.info.userId ? ` · by ${run.info.userId}` : ""}
            {live ? <span className="ml-2 text-blue-700 dark:text-blue-300">· live, refreshing every {POLL_MS / 1000}s</span> : null}
          </p>
        </div>
        {canEdit ? <RegisterVersion runId={runId} runName={run.info.runName} metrics={run.data.metrics} /> : null}
      </div>

      {run.producedVersions.length ? (
        <Card>
          <h2 className="mb-2 text-sm font-semibold">Registered versions from this run</h2>
          <ul className="flex flex-wrap gap-2 text-sm">
            {run.producedVersions.map((v) => (
              <li key={`${v.model}-${v.version}`}>
                <Link href={`/models/${v.model}/versions/${v.version}`} className="text-link hover:underline">
                  {v.modelName} v{v.version}
                </Link>{" "}
                <Badge>{v.status}</Badge>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <section aria-labelledby="charts-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="charts-heading" className="text-base font-semibold">
            Metrics
          </h2>
          <ChartControls options={options} set={setOptions} />
        </div>
        {metricKeys.length ? (
          <div className="grid gap-3 md:grid-cols-2">
            {metricKeys.map((k) => (
              <MetricCard key={k} runId={runId} runName={run.info.runName} color={color} metricKey={k} options={options} live={live} />
            ))}
          </div>
        ) : (
          <p className="text-sm text-muted">This run has logged no metrics yet.</p>
        )}
      </section>

      <RunArtifacts runId={runId} canEdit={canEdit} />

      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-2 text-sm font-semibold">Parameters ({run.data.params.length})</h2>
          <KeyValues label="Parameters" rows={run.data.params} empty="No parameters logged." />
        </Card>
        <Card>
          <h2 className="mb-2 text-sm font-semibold">Latest metrics ({run.data.metrics.length})</h2>
          <KeyValues
            label="Latest metrics"
            rows={run.data.metrics.map((m) => ({
              key: m.key,
              value: <span title={`step ${m.step}, ${absoluteTime(m.timestamp)}`}>{formatValue(m.value)}</span>,
            }))}
            empty="No metrics logged."
          />
        </Card>
        <Card>
          <h2 className="mb-2 text-sm font-semibold">Tags ({tags.length})</h2>
          <KeyValues label="Tags" rows={tags} empty="No tags." />
        </Card>
        <Card>
          <h2 className="mb-2 text-sm font-semibold">System info</h2>
          <KeyValues
            label="System info"
            rows={[
              { key: "run_id", value: runId },
              {
                key: "experiment",
                value: (
                  <Link className="text-link hover:underline" href={`/experiments/${run.experiment.id}`}>
                    {run.experiment.name}
                  </Link>
                ),
              },
              { key: "artifact_uri", value: run.info.artifactUri || "—" },
              { key: "user_id", value: run.info.userId || "—" },
              { key: "start_time", value: absoluteTime(run.info.startTime) },
              { key: "end_time", value: run.info.endTime ? absoluteTime(run.info.endTime) : "—" },
              ...systemTags,
            ]}
            empty=""
          />
        </Card>
      </div>
      <Notes runId={runId} note={note} canEdit={canEdit} />
    </div>
  );
}

function Notes({ runId, note, canEdit }: { runId: string; note: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation(
    trpc.experiments.setRunTag.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await qc.invalidateQueries({ queryKey: trpc.experiments.getRun.queryKey({ runId }) });
      },
    }),
  );
  return (
    <Card>
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-sm font-semibold">Notes</h2>
        {canEdit && draft === null ? (
          <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setDraft(note)}>
            Edit notes
          </Button>
        ) : null}
      </div>
      {draft !== null ? (
        <div className="space-y-2">
          <textarea
            aria-label="Notes (Markdown)"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            rows={6}
            maxLength={8000}
            className="w-full rounded-md border border-zinc-300 bg-white p-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <MutationError error={save.error} />
          <FormActions onCancel={() => setDraft(null)}>
            <Button disabled={save.isPending} onClick={() => save.mutate({ runId, key: NOTE_TAG, value: draft })}>
              {save.isPending ? "Saving…" : "Save notes"}
            </Button>
          </FormActions>
        </div>
      ) : note ? (
        <MarkdownText>{note}</MarkdownText>
      ) : (
        <p className="text-sm text-muted">No notes. MLflow clients write them to the {NOTE_TAG} tag.</p>
      )}
    </Card>
  );
}
