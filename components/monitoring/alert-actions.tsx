"use client";
// Acknowledge and silence buttons for an open alert (engineers); the silence asks for a reason and a length.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { MutationError } from "@/components/ui/mutation-error";

const LENGTHS = [
  { minutes: 60, label: "1 hour" },
  { minutes: 240, label: "4 hours" },
  { minutes: 1440, label: "1 day" },
  { minutes: 10080, label: "1 week" },
];

export function AlertActions({ alertId, title, acknowledged, silenced }: { alertId: string; title: string; acknowledged: boolean; silenced: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState(240);
  const ack = useMutation({ ...trpc.monitoring.acknowledge.mutationOptions(), onSuccess: () => router.refresh() });
  const silence = useMutation({
    ...trpc.monitoring.silence.mutationOptions(),
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  const unsilence = useMutation({ ...trpc.monitoring.unsilence.mutationOptions(), onSuccess: () => router.refresh() });
  const error = ack.error ?? unsilence.error;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <MutationError error={error} />
      {!acknowledged ? (
        <Button variant="secondary" disabled={ack.isPending} onClick={() => ack.mutate({ alertId })} aria-label={`Acknowledge ${title}`}>
          Acknowledge
        </Button>
      ) : null}
      {silenced ? (
        <Button variant="ghost" disabled={unsilence.isPending} onClick={() => unsilence.mutate({ alertId })} aria-label={`Unsilence ${title}`}>
          Unsilence
        </Button>
      ) : (
        <Button variant="secondary" onClick={() => setOpen(true)} aria-label={`Silence ${title}`}>
          Silence
        </Button>
      )}
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Silence “${title}”?`}
        description="The alert stays open and keeps its evidence, but is marked silenced until the silence expires. Everyone sees who silenced it and why."
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            silence.mutate({ alertId, reason, minutes });
          }}
        >
          <Field label="Reason" htmlFor={`reason-${alertId}`} hint="Say why, so the next person on call knows.">
            <Input id={`reason-${alertId}`} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} />
          </Field>
          <Field label="For" htmlFor={`length-${alertId}`}>
            <Select id={`length-${alertId}`} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
              {LENGTHS.map((l) => (
                <option key={l.minutes} value={l.minutes}>
                  {l.label}
                </option>
              ))}
            </Select>
          </Field>
          <MutationError error={silence.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" disabled={silence.isPending}>
              Silence alert
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </div>
  );
}
