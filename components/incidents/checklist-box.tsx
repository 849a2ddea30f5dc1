"use client";
// One runbook checklist tick during an incident: recorded on the incident timeline.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/lib/trpc";

export function ChecklistBox({ incidentId, item, text, checked, canAct }: { incidentId: string; item: number; text: string; checked: boolean; canAct: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const m = useMutation({ ...trpc.incidents.tick.mutationOptions(), onSuccess: () => router.refresh() });
  // Shown optimistically while the tick is saved; the server state wins after the refresh.
  const shown = m.isPending && m.variables ? m.variables.checked : checked;
  return (
    <input
      type="checkbox"
      className="mr-2 size-4 align-middle accent-brand-600"
      aria-label={text}
      checked={shown}
      disabled={!canAct || m.isPending}
      onChange={(e) => m.mutate({ id: incidentId, item, checked: e.target.checked })}
    />
  );
}
