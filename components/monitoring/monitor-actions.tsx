"use client";
// Engineers add a drift monitor (feature, method, window, reference range) and evaluate a model now,
// so a new monitor shows its history and verdict at once instead of after the next scheduled tick.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { DRIFT_METHOD_CHOICES } from "@/server/monitoring/schemas";
import { METHOD_LABELS } from "./format";
import { MutationError } from "@/components/ui/mutation-error";

type Reported = { source: "feature" | "prediction"; name: string; kind: "numeric" | "categorical" };
const WINDOWS = [
  { minutes: 30, label: "30 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 180, label: "3 hours" },
  { minutes: 1440, label: "1 day" },
];
const HOUR = 3600_000;

/** `datetime-local` wants local wall-clock time without a zone. */
function localInput(ms: number): string {
  const d = new Date(ms);
  return new Date(ms - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function MonitorActions({ model, version, features }: { model: string; version: number; features: Reported[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [subject, setSubject] = useState(features[0] ? `${features[0].source}:${features[0].name}` : "");
  const [method, setMethod] = useState<(typeof DRIFT_METHOD_CHOICES)[number]>("auto");
  const [windowMinutes, setWindowMinutes] = useState(60);
  const [range, setRange] = useState(() => ({ from: localInput(Date.now() - 7 * 24 * HOUR), to: localInput(Date.now() - 24 * HOUR) }));
  const evaluate = useMutation({ ...trpc.monitoring.evaluateModel.mutationOptions(), onSuccess: () => router.refresh() });
  const create = useMutation({
    ...trpc.monitoring.createMonitor.mutationOptions(),
    onSuccess: () => {
      setOpen(false);
      evaluate.mutate({ model });
    },
  });
  const chosen = features.find((f) => `${f.source}:${f.name}` === subject);
  return (
    <>
      <MutationError error={evaluate.error} />
      <Button
        variant="secondary"
        disabled={evaluate.isPending}
        onClick={() => evaluate.mutate({ model })}
        title="Evaluate this model's monitors over the last day and its SLOs now"
      >
        {evaluate.isPending ? "Evaluating…" : "Evaluate now"}
      </Button>
      <Button
        variant="secondary"
        onClick={() => setOpen(true)}
        disabled={!features.length}
        title={features.length ? undefined : "No telemetry from this version yet: nothing to monitor"}
      >
        Add monitor
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Add a drift monitor to ${model} v${version}`}
        description="Each window of telemetry is compared with a reference taken from a past period of normal traffic. The reference is frozen when the monitor is created."
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (!chosen) return;
            create.mutate({
              model,
              version,
              source: chosen.source,
              name: chosen.name,
              method,
              windowMinutes,
              referenceFrom: new Date(range.from),
              referenceTo: new Date(range.to),
            });
          }}
        >
          <Field label="Feature or prediction" htmlFor="monitor-subject">
            <Select id="monitor-subject" value={subject} onChange={(e) => setSubject(e.target.value)}>
              {features.map((f) => (
                <option key={`${f.source}:${f.name}`} value={`${f.source}:${f.name}`}>
                  {f.source === "prediction" ? `prediction: ${f.name}` : f.name} ({f.kind})
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label="Method"
            htmlFor="monitor-method"
            hint="Automatic picks Kolmogorov-Smirnov or Wasserstein for numbers by reference size, chi-square for categories."
          >
            <Select id="monitor-method" value={method} onChange={(e) => setMethod(e.target.value as (typeof DRIFT_METHOD_CHOICES)[number])}>
              {DRIFT_METHOD_CHOICES.map((m) => (
                <option key={m} value={m}>
                  {m === "auto" ? "automatic" : METHOD_LABELS[m]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Window" htmlFor="monitor-window">
            <Select id="monitor-window" value={windowMinutes} onChange={(e) => setWindowMinutes(Number(e.target.value))}>
              {WINDOWS.map((w) => (
                <option key={w.minutes} value={w.minutes}>
                  {w.label}
                </option>
              ))}
            </Select>
          </Field>
          <div className="grid grid-cols-2 gap-3">
            <Field label="Reference from" htmlFor="monitor-ref-from">
              <Input
                id="monitor-ref-from"
                type="datetime-local"
                value={range.from}
                onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))}
                required
              />
            </Field>
            <Field label="Reference to" htmlFor="monitor-ref-to">
              <Input id="monitor-ref-to" type="datetime-local" value={range.to} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))} required />
            </Field>
          </div>
          <MutationError error={create.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" disabled={create.isPending || !chosen}>
              {create.isPending ? "Adding…" : "Add and evaluate"}
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}
