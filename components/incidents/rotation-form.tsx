"use client";
// Admins create an on-call rotation: who takes turns (in the order ticked), from when, how often it hands over.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MutationError } from "@/components/ui/mutation-error";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";

export function RotationForm({ people }: { people: { id: string; email: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [service, setService] = useState("");
  const [members, setMembers] = useState<string[]>([]);
  const [start, setStart] = useState("");
  const [periodDays, setPeriodDays] = useState(7);
  const m = useMutation({
    ...trpc.incidents.createRotation.mutationOptions(),
    onSuccess: () => {
      setName("");
      setService("");
      setMembers([]);
      router.refresh();
    },
  });
  const toggle = (id: string) => setMembers((ms) => (ms.includes(id) ? ms.filter((x) => x !== id) : [...ms, id]));
  return (
    <form
      aria-label="New rotation"
      className="mt-4 grid gap-2 border-t border-zinc-200 pt-4 sm:grid-cols-2 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate({ name, service, members, startsAt: new Date(`${start}Z`), periodDays });
      }}
    >
      <h3 className="text-sm font-semibold sm:col-span-2">New rotation</h3>
      <Field label="Name" htmlFor="rot-name">
        <Input
          id="rot-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          minLength={2}
          maxLength={100}
          placeholder="e.g. Perception primary"
        />
      </Field>
      <Field label="Service" htmlFor="rot-service">
        <Input
          id="rot-service"
          value={service}
          onChange={(e) => setService(e.target.value)}
          required
          minLength={2}
          maxLength={100}
          placeholder="e.g. camera fleet models"
        />
      </Field>
      <Field label="First handover (UTC)" htmlFor="rot-start">
        <Input id="rot-start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required />
      </Field>
      <Field label="Hands over every (days)" htmlFor="rot-period">
        <Input id="rot-period" type="number" min={1} max={28} value={periodDays} onChange={(e) => setPeriodDays(Number(e.target.value))} required />
      </Field>
      <fieldset className="sm:col-span-2">
        <legend className="mb-1 text-sm font-medium">People, in the order they take turns</legend>
        <div className="flex flex-wrap gap-3">
          {people.map((p) => (
            <label key={p.id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={members.includes(p.id)} onChange={() => toggle(p.id)} />
              {p.email}
              {members.includes(p.id) ? <span className="text-xs text-muted">#{members.indexOf(p.id) + 1}</span> : null}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={m.isPending || !members.length}>
          Create rotation
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
