"use client";
// "Declare incident" on an alert: pick a severity, and the incident opens pre-filled from the alert (or the open one for it).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc";
import type { Severity } from "@/server/incidents/schemas";
import { SeverityChoice } from "./severity-choice";

export function DeclareFromAlert({ alertId, title, suggested }: { alertId: string; title: string; suggested: Severity }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [severity, setSeverity] = useState<Severity>(suggested);
  const m = useMutation({ ...trpc.incidents.declareFromAlert.mutationOptions(), onSuccess: (i) => router.push(`/incidents/${i.id}`) });
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Declare incident
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Declare an incident?"
        description={`From “${title}”: the incident starts with the alert's model, versions, deployments and evidence, the matching runbook, and the people on call notified.`}
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate({ alertId, severity });
          }}
        >
          <SeverityChoice name={`sev-${alertId}`} value={severity} onChange={setSeverity} />
          <MutationError error={m.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" variant="danger" disabled={m.isPending}>
              Declare incident
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}
