"use client";
// Declare an incident by hand: title, severity (with meanings), optional model.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Dialog, FormActions } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import type { Severity } from "@/server/incidents/schemas";
import { SeverityChoice } from "./severity-choice";

export function DeclareForm({ models }: { models: { slug: string; name: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState("");
  const [severity, setSeverity] = useState<Severity>("sev3");
  const [model, setModel] = useState("");
  const m = useMutation({ ...trpc.incidents.declare.mutationOptions(), onSuccess: (i) => router.push(`/incidents/${i.id}`) });
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Declare incident
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title="Declare an incident" description="You become the commander; the people on call are notified.">
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate({ title, severity, model: model || undefined });
          }}
        >
          <Field label="What is wrong" htmlFor="incident-title">
            <Input
              id="incident-title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
              minLength={3}
              maxLength={200}
              placeholder="e.g. FCW false alerts on EU fleet at night"
            />
          </Field>
          <Field label="Model" htmlFor="incident-model" hint="Pre-fills versions, deployments, the timeline and the runbook.">
            <Select id="incident-model" value={model} onChange={(e) => setModel(e.target.value)}>
              <option value="">None</option>
              {models.map((x) => (
                <option key={x.slug} value={x.slug}>
                  {x.name}
                </option>
              ))}
            </Select>
          </Field>
          <SeverityChoice name="declare-sev" value={severity} onChange={setSeverity} />
          <MutationError error={m.error} />
          <FormActions onCancel={() => setOpen(false)}>
            <Button type="submit" variant="danger" disabled={m.isPending}>
              Declare
            </Button>
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}
