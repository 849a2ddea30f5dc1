// A version's sign-off in a few words, and any release that went past a missing one; for tables (/safety).
import { Badge } from "@/components/ui/card";
import type { OverviewRow } from "@/server/safety/service";

export function SignOffStatus({ signOff }: { signOff: NonNullable<OverviewRow["candidate"]>["signOff"] }) {
  if (!signOff) return <Badge tone="amber">not signed off</Badge>;
  if (signOff.withdrawn) return <Badge tone="amber">sign-off withdrawn</Badge>;
  // Who decided is on the review page; an e-mail address would widen the table past a desk screen.
  return signOff.decision === "approve" ? <Badge tone="green">signed off</Badge> : <Badge tone="red">sign-off rejected</Badge>;
}

export function ShippedWithoutSignOff({ items }: { items: OverviewRow["shippedWithoutSignOff"] }) {
  const versions = [...new Set(items.map((i) => i.version))].sort((a, b) => a - b);
  if (!versions.length) return null;
  const last = items[0];
  return (
    <span>
      <Badge tone="red">{versions.map((v) => `v${v}`).join(", ")} shipped without sign-off</Badge>{" "}
      <span className="text-muted">on {last.at.toISOString().slice(0, 10)}</span>
    </span>
  );
}
