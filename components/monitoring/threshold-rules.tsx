"use client";
// Threshold rules of a model: each with the newest window's value; engineers add and disable rules.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc";
import { formatThresholdValue, THRESHOLD_METRIC_INFO, THRESHOLD_METRICS, THRESHOLD_SEVERITIES, type ThresholdMetric } from "@/server/monitoring/schemas";
import { MutationError } from "@/components/ui/mutation-error";

export type ThresholdRuleView = {
  id: string;
  metric: string;
  op: string;
  value: number;
  windowMinutes: number;
  forMinutes: number;
  severity: string;
  target: string | null;
  cohort: string | null;
  current: { value: number | null; breaching: boolean };
};

export function ThresholdRules({ model, rules, canEdit }: { model: string; rules: ThresholdRuleView[]; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    metric: "error_rate" as ThresholdMetric,
    op: "above" as "above" | "below",
    value: "2",
    windowMinutes: 10,
    forMinutes: 10,
    severity: "warning" as (typeof THRESHOLD_SEVERITIES)[number],
  });
  const create = useMutation({
    ...trpc.monitoring.createThresholdRule.mutationOptions(),
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  const disable = useMutation({ ...trpc.monitoring.disableThresholdRule.mutationOptions(), onSuccess: () => router.refresh() });
  const percent = THRESHOLD_METRIC_INFO[form.metric].unit === "%";
  return (
    <div className="space-y-2">
      {canEdit ? (
        <div className="flex justify-end">
          <Button variant="secondary" onClick={() => setOpen(true)}>
            Add threshold rule
          </Button>
        </div>
      ) : null}
      <MutationError error={disable.error} />
      {rules.length === 0 ? (
        <EmptyState title="No threshold rules">
          A rule alerts when a serving series (requests, error rate, a latency percentile) crosses a value for long enough.
        </EmptyState>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Rule</Th>
              <Th>Window / for</Th>
              <Th>Scope</Th>
              <Th>Newest window</Th>
              <Th>Severity</Th>
              {canEdit ? <Th className="sr-only">Actions</Th> : null}
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-testid="threshold-rule">
                <Td>
                  {THRESHOLD_METRIC_INFO[r.metric as ThresholdMetric]?.label ?? r.metric} {r.op} {formatThresholdValue(r.metric, r.value)}
                </Td>
                <Td className="tabular-nums">
                  {r.windowMinutes} min / {r.forMinutes} min
                </Td>
                <Td>{[r.target, r.cohort].filter(Boolean).join(" · ") || "all traffic"}</Td>
                <Td>
                  <Badge tone={r.current.breaching ? "red" : "green"}>{formatThresholdValue(r.metric, r.current.value)}</Badge>
                </Td>
                <Td>{r.severity}</Td>
                {canEdit ? (
                  <Td className="text-right">
                    <Button
                      variant="ghost"
                      disabled={disable.isPending}
                      onClick={() => disable.mutate({ ruleId: r.id })}
                      aria-label={`Disable rule ${THRESHOLD_METRIC_INFO[r.metric as ThresholdMetric]?.label ?? r.metric} ${r.op} ${formatThresholdValue(r.metric, r.value)}`}
                    >
                      Disable
                    </Button>
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Add a threshold rule to ${model}`}
        description="Measured per window from the merged telemetry; the alert fires once the breach has lasted the given time, with the recent windows as evidence."
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            const v = Number(form.value);
            create.mutate({
              model,
              metric: form.metric,
              op: form.op,
              value: percent ? v / 100 : v,
              windowMinutes: form.windowMinutes,
              forMinutes: form.forMinutes,
              severity: form.severity,
            });
          }}
        >
          <div className="grid grid-cols-3 gap-3">
            <Field label="Series" htmlFor="rule-metric">
              <Select id="rule-metric" value={form.metric} onChange={(e) => setForm((f) => ({ ...f, metric: e.target.value as ThresholdMetric }))}>
                {THRESHOLD_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {THRESHOLD_METRIC_INFO[m].label}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Condition" htmlFor="rule-op">
              <Select id="rule-op" value={form.op} onChange={(e) => setForm((f) => ({ ...f, op: e.target.value as "above" | "below" }))}>
                <option value="above">above</option>
                <option value="below">below</option>
              </Select>
            </Field>
            <Field label={`Value${THRESHOLD_METRIC_INFO[form.metric].unit ? ` (${THRESHOLD_METRIC_INFO[form.metric].unit})` : ""}`} htmlFor="rule-value">
              <Input
                id="rule-value"
                type="number"
                min={0}
                step="any"
                value={form.value}
                onChange={(e) => setForm((f) => ({ ...f, value: e.target.value }))}
                required
              />
            </Field>
          </div>
          <div className="grid grid-cols-3 gap-3">
            <Field label="Window (min)" htmlFor="rule-window">
              <Select id="rule-window" value={form.windowMinutes} onChange={(e) => setForm((f) => ({ ...f, windowMinutes: Number(e.target.value) }))}>
                {[5, 10, 15, 30, 60].map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="For (min)" htmlFor="rule-for">
              <Input
                id="rule-for"
                type="number"
                min={0}
                step={5}
                value={form.forMinutes}
                onChange={(e) => setForm((f) => ({ ...f, forMinutes: Number(e.target.value) }))}
              />
            </Field>
            <Field label="Severity" htmlFor="rule-severity">
              <Select
                id="rule-severity"
                value={form.severity}
                onChange={(e) => setForm((f) => ({ ...f, severity: e.target.value as (typeof THRESHOLD_SEVERITIES)[number] }))}
              >
                {THRESHOLD_SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <MutationError error={create.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" disabled={create.isPending}>
              Add rule
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </div>
  );
}
