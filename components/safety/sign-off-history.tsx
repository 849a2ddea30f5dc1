import { Badge, EmptyState } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { SignOffView } from "@/server/safety/service";

export function SignOffHistory({ items }: { items: SignOffView[] }) {
  if (!items.length) return <EmptyState title="Not signed off yet" />;
  return (
    <ol className="space-y-2" aria-label="Sign-off history">
      {items.map((s) => (
        <li key={s.id} className={`rounded-md border p-3 text-sm dark:border-zinc-800 ${s.superseded ? "border-zinc-200 opacity-70" : "border-zinc-300"}`} data-testid="sign-off">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={s.decision === "approve" ? "green" : "red"}>{s.decision === "approve" ? "Approved" : "Rejected"}</Badge>
            <span className="font-medium">{s.reviewer}</span>
            <span className="text-muted">
              <Time value={s.createdAt} />
            </span>
            {s.superseded ? <Badge>superseded</Badge> : <Badge tone="blue">in force</Badge>}
          </div>
          <p className="mt-1 whitespace-pre-wrap">{s.comment}</p>
        </li>
      ))}
    </ol>
  );
}
