"use client";
// Admin controls for webhook targets: create (secret shown once), edit filters, disable, delete, send a test, rotate the secret.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState } from "@/components/ui/card";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Table, Td, Th } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc";
import { filterInput, TargetFields, type TargetValues } from "./target-form";
import { MutationError } from "@/components/ui/mutation-error";

export type TargetRow = {
  id: string;
  name: string;
  url: string;
  format: "slack" | "generic" | "retrain";
  enabled: boolean;
  model: string | null;
  minSeverity: string | null;
  kinds: string[];
};

const EMPTY: TargetValues = { name: "", url: "", format: "slack", model: "", minSeverity: "", kinds: [] };

function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="space-y-3">
      <p className="text-sm">
        Receivers verify the <code>X-Sentinel-Signature</code> header with this secret (see the README). It is not shown again; rotate it if it is lost.
      </p>
      <code data-testid="webhook-secret" className="block break-all rounded bg-zinc-100 p-3 font-mono text-sm dark:bg-zinc-800">
        {secret}
      </code>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(secret)}>
          Copy
        </Button>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}

export function CreateTarget() {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<TargetValues>(EMPTY);
  const create = useMutation({ ...trpc.webhooks.create.mutationOptions(), onSuccess: () => router.refresh() });
  const close = () => {
    setOpen(false);
    setValues(EMPTY);
    create.reset();
  };
  const secret = create.data?.secret;
  return (
    <>
      <Button onClick={() => setOpen(true)}>Add webhook</Button>
      <Dialog
        open={open}
        onOpenChange={(o) => (o ? setOpen(true) : close())}
        title={secret ? "Copy the signing secret now" : "Add a webhook target"}
        description={secret ? "Shown only once." : "Alerts are posted here when they fire and when they resolve, signed with a secret."}
      >
        {secret ? (
          <SecretOnce secret={secret} onDone={close} />
        ) : (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name: values.name, url: values.url, format: values.format, ...filterInput(values) });
            }}
          >
            <TargetFields idPrefix="new-target" values={values} onChange={setValues} />
            <MutationError error={create.error} />
            <FormActions onCancel={close}>
              <Button type="submit" disabled={create.isPending}>
                Add webhook
              </Button>
            </FormActions>
          </form>
        )}
      </Dialog>
    </>
  );
}

function EditTarget({ target, onClose }: { target: TargetRow; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [values, setValues] = useState<TargetValues>({
    name: target.name,
    url: target.url,
    format: target.format,
    model: target.model ?? "",
    minSeverity: target.minSeverity ?? "",
    kinds: target.kinds,
  });
  const update = useMutation({
    ...trpc.webhooks.update.mutationOptions(),
    onSuccess: () => {
      router.refresh();
      onClose();
    },
  });
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={`Edit ${target.name}`}>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id: target.id, name: values.name, url: values.url, ...filterInput(values) });
        }}
      >
        <TargetFields idPrefix={`edit-${target.id}`} values={values} onChange={setValues} editing />
        <MutationError error={update.error} />
        <FormActions onCancel={onClose}>
          <Button type="submit" disabled={update.isPending}>
            Save
          </Button>
        </FormActions>
      </form>
    </Dialog>
  );
}

function filtersText(t: TargetRow): string {
  if (t.format === "retrain") return "retrain requests from automated responses";
  const parts = [t.model ?? "any model", t.minSeverity ? `${t.minSeverity}+` : "any severity", t.kinds.length ? t.kinds.join(", ") : "every kind"];
  return parts.join(" · ");
}

export function TargetList({ rows }: { rows: TargetRow[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const test = useMutation({ ...trpc.webhooks.sendTest.mutationOptions(), ...refresh });
  const update = useMutation({ ...trpc.webhooks.update.mutationOptions(), ...refresh });
  const remove = useMutation({
    ...trpc.webhooks.remove.mutationOptions(),
    onSuccess: () => {
      setConfirm(null);
      router.refresh();
    },
  });
  const rotate = useMutation({ ...trpc.webhooks.rotateSecret.mutationOptions() });
  const [editing, setEditing] = useState<TargetRow | null>(null);
  const [confirm, setConfirm] = useState<TargetRow | null>(null);
  if (!rows.length)
    return (
      <EmptyState title="No webhook targets yet">
        Add one to post alerts to Slack, a pager or any HTTP endpoint, or to ask a training pipeline to retrain.
      </EmptyState>
    );
  const error = test.error ?? update.error ?? rotate.error;
  return (
    <>
      <MutationError error={error} />
      {test.data ? (
        <p role="status" className="mb-2 text-sm">
          Test {test.data.state === "succeeded" ? `delivered (HTTP ${test.data.status})` : `failed: ${test.data.error}`}
        </p>
      ) : null}
      <Table>
        <thead>
          <tr>
            <Th>Target</Th>
            <Th>Format</Th>
            <Th>Sends</Th>
            <Th>State</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id}>
              <Td>
                <div className="font-medium">{t.name}</div>
                <div className="max-w-xs truncate font-mono text-xs text-muted" title={t.url}>
                  {t.url}
                </div>
              </Td>
              <Td>{t.format}</Td>
              <Td className="text-sm">{filtersText(t)}</Td>
              <Td>{t.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="neutral">disabled</Badge>}</Td>
              <Td className="text-right">
                <div className="flex flex-wrap justify-end gap-1">
                  <Button variant="secondary" disabled={test.isPending} onClick={() => test.mutate({ id: t.id })} aria-label={`Send test to ${t.name}`}>
                    Send test
                  </Button>
                  <Button variant="ghost" onClick={() => setEditing(t)} aria-label={`Edit ${t.name}`}>
                    Edit
                  </Button>
                  <Button
                    variant="ghost"
                    disabled={update.isPending}
                    onClick={() => update.mutate({ id: t.id, enabled: !t.enabled })}
                    aria-label={`${t.enabled ? "Disable" : "Enable"} ${t.name}`}
                  >
                    {t.enabled ? "Disable" : "Enable"}
                  </Button>
                  <Button variant="ghost" disabled={rotate.isPending} onClick={() => rotate.mutate({ id: t.id })} aria-label={`Rotate the secret of ${t.name}`}>
                    Rotate secret
                  </Button>
                  <Button variant="ghost" onClick={() => setConfirm(t)} aria-label={`Delete ${t.name}`}>
                    Delete
                  </Button>
                </div>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {editing ? <EditTarget target={editing} onClose={() => setEditing(null)} /> : null}
      <Dialog
        open={rotate.data !== undefined}
        onOpenChange={(o) => !o && rotate.reset()}
        title="Copy the new signing secret now"
        description="The old secret stopped working; update the receiver."
      >
        {rotate.data ? <SecretOnce secret={rotate.data.secret} onDone={() => rotate.reset()} /> : null}
      </Dialog>
      <Dialog
        open={confirm !== null}
        onOpenChange={(o) => !o && setConfirm(null)}
        title={`Delete ${confirm?.name ?? ""}?`}
        description="It stops receiving alerts at once; its past deliveries stay in the log. Automated retraining that uses it fails until another target is chosen."
      >
        <MutationError error={remove.error} />
        <FormActions onCancel={() => setConfirm(null)}>
          <Button variant="danger" disabled={remove.isPending} onClick={() => confirm && remove.mutate({ id: confirm.id })}>
            Delete webhook
          </Button>
        </FormActions>
      </Dialog>
    </>
  );
}
