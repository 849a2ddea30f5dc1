// One line saying who is on call now per rotation (alerts and on-call pages).
import type { OnCallNow } from "@/server/incidents/oncall";

export function OnCallLine({ oncall }: { oncall: OnCallNow[] }) {
  if (!oncall.length) return null;
  return (
    <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-300" data-testid="on-call-now">
      On call now:{" "}
      {oncall.map((o, n) => (
        <span key={o.rotationId}>
          {n ? " · " : ""}
          {o.rotation} <span className="font-medium">{o.email ?? "nobody"}</span>
          {o.override ? " (override)" : ""}
        </span>
      ))}
    </p>
  );
}
