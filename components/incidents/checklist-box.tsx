"use client";
// One runbook checklist tick during an incident: recorded on the incident timeline.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc";

/** Render with key={String(checked)} so a new server state (after the refresh, or someone else's tick) replaces the optimistic one. */
export function ChecklistBox({
  incidentId,
  item,
  text,
  checked,
  canAct,
}: {
  incidentId: string;
  item: number;
  text: string;
  checked: boolean;
  canAct: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  // Set in the change handler itself, so the box never flips back while the tick is saved.
  const [optimistic, setOptimistic] = useState<boolean | null>(null);
  const m = useMutation({ ...trpc.incidents.tick.mutationOptions(), onSuccess: () => router.refresh(), onError: () => setOptimistic(null) });
  return (
    <input
      type="checkbox"
      className="mr-2 size-4 align-middle accent-brand-600"
      aria-label={text}
      checked={optimistic ?? checked}
      disabled={!canAct || m.isPending}
      onChange={(e) => {
        setOptimistic(e.target.checked);
        m.mutate({ id: incidentId, item, checked: e.target.checked });
      }}
    />
  );
}
