"use client";
// Automated responses of one model, per alert kind; engineers add, enable/disable and remove them.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc";
import type { AppRouter } from "@/server/routers/_app";
import { ALERT_KINDS } from "@/server/monitoring/schemas";
import { MutationError } from "@/components/ui/mutation-error";

type Data = inferRouterOutputs<AppRouter>["webhooks"]["responseRules"];

export function ResponseRules({ model, data, canEdit }: { model: string; data: Data; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [alertKind, setAlertKind] = useState<(typeof ALERT_KINDS)[number]>("drift");
  const [response, setResponse] = useState(data.kinds[0]?.kind ?? "");
  const [targetId, setTargetId] = useState(data.retrainTargets[0]?.id ?? "");
  const [lookbackDays, setLookbackDays] = useState(14);
  const set = useMutation({ ...trpc.webhooks.setResponseRule.mutationOptions(), onSuccess: () => router.refresh() });
  const remove = useMutation({ ...trpc.webhooks.deleteResponseRule.mutationOptions(), onSuccess: () => router.refresh() });
  const labelOf = (k: string) => data.kinds.find((x) => x.kind === k)?.label ?? k;
  const targetName = (id: unknown) => data.retrainTargets.find((t) => t.id === id)?.name ?? "a deleted target";
  const needsTarget = data.kinds.find((k) => k.kind === response)?.needsTarget ?? false;
  const error = set.error ?? remove.error;
  return (
    <div className="space-y-3">
      {data.rules.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Alert kind</Th>
              <Th>Response</Th>
              <Th>State</Th>
              {canEdit ? <Th /> : null}
            </tr>
          </thead>
          <tbody>
            {data.rules.map((r) => (
              <tr key={r.id}>
                <Td>{r.alertKind}</Td>
                <Td>
                  {labelOf(r.response)}
                  {r.response === "retrain" ? (
                    <span className="text-xs text-muted">
                      {" "}
                      · {targetName(r.config.targetId)}, {String(r.config.lookbackDays)} days of data
                    </span>
                  ) : null}
                </Td>
                <Td>{r.enabled ? <Badge tone="green">on</Badge> : <Badge tone="neutral">off</Badge>}</Td>
                {canEdit ? (
                  <Td className="text-right">
                    <Button
                      variant="ghost"
                      disabled={set.isPending}
                      onClick={() =>
                        set.mutate({
                          model,
                          alertKind: ALERT_KINDS.find((k) => k === r.alertKind) ?? "drift",
                          response: r.response,
                          enabled: !r.enabled,
                          targetId: typeof r.config.targetId === "string" ? r.config.targetId : undefined,
                          lookbackDays: typeof r.config.lookbackDays === "number" ? r.config.lookbackDays : undefined,
                        })
                      }
                    >
                      {r.enabled ? "Turn off" : "Turn on"}
                    </Button>
                    <Button
                      variant="ghost"
                      disabled={remove.isPending}
                      onClick={() => remove.mutate({ id: r.id })}
                      aria-label={`Remove ${r.response} on ${r.alertKind} alerts`}
                    >
                      Remove
                    </Button>
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm text-muted">No automated responses: alerts only notify.</p>
      )}
      {canEdit ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            set.mutate({ model, alertKind, response, enabled: true, ...(needsTarget ? { targetId, lookbackDays } : {}) });
          }}
        >
          <div className="w-36">
            <Field label="Alert kind" htmlFor="rule-kind">
              <Select id="rule-kind" value={alertKind} onChange={(e) => setAlertKind(ALERT_KINDS.find((k) => k === e.target.value) ?? "drift")}>
                {ALERT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <div className="w-60">
            <Field label="Response" htmlFor="rule-response">
              <Select id="rule-response" value={response} onChange={(e) => setResponse(e.target.value)}>
                {data.kinds.map((k) => (
                  <option key={k.kind} value={k.kind}>
                    {k.label}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          {needsTarget ? (
            <>
              <div className="w-56">
                <Field label="Training pipeline" htmlFor="rule-target">
                  <Select id="rule-target" value={targetId} onChange={(e) => setTargetId(e.target.value)} required>
                    {data.retrainTargets.length ? null : <option value="">none: an admin adds one under Webhooks</option>}
                    {data.retrainTargets.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name}
                        {t.enabled ? "" : " (disabled)"}
                      </option>
                    ))}
                  </Select>
                </Field>
              </div>
              <div className="w-28">
                <Field label="Days of data" htmlFor="rule-days">
                  <Input id="rule-days" type="number" min={1} max={365} value={lookbackDays} onChange={(e) => setLookbackDays(Number(e.target.value))} />
                </Field>
              </div>
            </>
          ) : null}
          <Button type="submit" disabled={set.isPending || (needsTarget && !targetId)}>
            Add response
          </Button>
        </form>
      ) : null}
      <MutationError error={error} />
    </div>
  );
}
