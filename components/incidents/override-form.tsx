"use client";
// Record an on-call override: someone covers a rotation for a while (swap, holiday). Times are entered in UTC.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";

export function OverrideForm({ rotations, people }: { rotations: { id: string; name: string }[]; people: { id: string; email: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [rotationId, setRotationId] = useState(rotations[0]?.id ?? "");
  const [userId, setUserId] = useState(people[0]?.id ?? "");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  const m = useMutation({ ...trpc.incidents.addOverride.mutationOptions(), onSuccess: () => router.refresh() });
  return (
    <form
      className="grid gap-2 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate({ rotationId, userId, startsAt: new Date(`${from}Z`), endsAt: new Date(`${to}Z`), reason });
      }}
    >
      <Field label="Rotation" htmlFor="ov-rotation">
        <Select id="ov-rotation" value={rotationId} onChange={(e) => setRotationId(e.target.value)}>
          {rotations.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Who covers" htmlFor="ov-user">
        <Select id="ov-user" value={userId} onChange={(e) => setUserId(e.target.value)}>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.email}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="From (UTC)" htmlFor="ov-from">
        <Input id="ov-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </Field>
      <Field label="Until (UTC)" htmlFor="ov-to">
        <Input id="ov-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
      </Field>
      <Field label="Reason" htmlFor="ov-reason">
        <Input id="ov-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder="e.g. swap with Erin for a conference" />
      </Field>
      <div className="flex items-end">
        <Button type="submit" variant="secondary" disabled={m.isPending || !rotationId || !userId}>
          Add override
        </Button>
      </div>
      {m.error ? (
        <div className="sm:col-span-2">
          <MutationError error={m.error} />
        </div>
      ) : null}
    </form>
  );
}
