import { Badge } from "@/components/ui/card";

const TONE = { RUNNING: "blue", SCHEDULED: "neutral", FINISHED: "green", FAILED: "red", KILLED: "amber" } as const;

/** A run's status; RUNNING pulses so live runs stand out in a long table. */
export function RunStatusBadge({ status }: { status: keyof typeof TONE }) {
  return (
    <Badge tone={TONE[status]}>
      {status === "RUNNING" ? <span aria-hidden className="mr-1 inline-block size-1.5 animate-pulse rounded-full bg-current" /> : null}
      {status}
    </Badge>
  );
}
