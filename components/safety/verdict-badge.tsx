import { Badge } from "@/components/ui/card";
import type { Verdict } from "@/server/safety/metrics";

const tone = { regressed: "red", improved: "green", unchanged: "neutral", unknown: "neutral" } as const;
const text = { regressed: "Regressed", improved: "Improved", unchanged: "Within noise", unknown: "No comparison" } as const;

/** The regression rule's outcome: red only when the 95% interval of the difference is below zero. */
export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return <Badge tone={tone[verdict]}>{text[verdict]}</Badge>;
}
