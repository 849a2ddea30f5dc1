// Severity and status badges with their meaning on hover, the same words everywhere.
import { Badge } from "@/components/ui/card";
import { SEVERITY_MEANING, STATUS_MEANING, type Severity, type Status } from "@/server/incidents/schemas";

const SEV_TONE = { sev1: "red", sev2: "red", sev3: "amber", sev4: "neutral" } as const;
const STATUS_TONE = { investigating: "red", identified: "amber", mitigated: "blue", resolved: "green" } as const;

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span title={SEVERITY_MEANING[severity].meaning}>
      <Badge tone={SEV_TONE[severity]}>{SEVERITY_MEANING[severity].label}</Badge>
    </span>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span title={STATUS_MEANING[status]}>
      <Badge tone={STATUS_TONE[status]}>{status}</Badge>
    </span>
  );
}
