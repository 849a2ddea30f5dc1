"use client";
// The admin allow-list: hosts and address ranges webhooks may reach although they are private or loopback.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import { MutationError } from "@/components/ui/mutation-error";

type Entry = { id: string; entry: string; note: string; createdAt: Date; createdBy: string | null };

export function AllowlistEditor({ entries }: { entries: Entry[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [entry, setEntry] = useState("");
  const [note, setNote] = useState("");
  const allow = useMutation({
    ...trpc.webhooks.allow.mutationOptions(),
    onSuccess: () => {
      setEntry("");
      setNote("");
      router.refresh();
    },
  });
  const disallow = useMutation({ ...trpc.webhooks.disallow.mutationOptions(), onSuccess: () => router.refresh() });
  return (
    <div className="space-y-3">
      {entries.length ? (
        <ul
          className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
          aria-label="Allowed hosts and ranges"
        >
          {entries.map((e) => (
            <li key={e.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
              <span>
                <code className="font-mono">{e.entry}</code>
                {e.note ? <span className="text-muted"> · {e.note}</span> : null}
                <span className="text-xs text-muted">
                  {" "}
                  · {e.createdBy ?? "system"}, <Time value={e.createdAt} />
                </span>
              </span>
              <Button
                variant="ghost"
                disabled={disallow.isPending}
                onClick={() => disallow.mutate({ id: e.id })}
                aria-label={`Remove ${e.entry} from the allow-list`}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-muted">Nothing allowed: webhooks reach public addresses only.</p>
      )}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          allow.mutate({ entry, note });
        }}
      >
        <div className="w-64">
          <Field label="Host or range" htmlFor="allow-entry">
            <Input id="allow-entry" value={entry} onChange={(e) => setEntry(e.target.value)} required placeholder="10.20.0.0/16 or hooks.internal" />
          </Field>
        </div>
        <div className="w-64">
          <Field label="Why" htmlFor="allow-note">
            <Input id="allow-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} placeholder="on-prem pager gateway" />
          </Field>
        </div>
        <Button type="submit" disabled={allow.isPending}>
          Allow
        </Button>
      </form>
      <MutationError error={allow.error} />
      <MutationError error={disallow.error} />
    </div>
  );
}
