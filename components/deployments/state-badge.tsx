// Rollout state as a badge: idle (stable only), canary at a percent, paused.
import { Badge } from "@/components/ui/card";

export function StateBadge({ state, percent, candidate }: { state: "idle" | "canary" | "paused"; percent: number; candidate: number | null }) {
  if (state === "idle") return <Badge tone="green">stable</Badge>;
  return (
    <Badge tone={state === "paused" ? "amber" : "blue"}>
      {state === "paused" ? "paused" : "canary"} · v{candidate} at {percent}%
    </Badge>
  );
}
