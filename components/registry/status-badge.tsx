import { Badge } from "@/components/ui/card";
import type { VersionStatus } from "./types";

const tone = { draft: "neutral", candidate: "blue", approved: "green", archived: "amber" } as const;

export function StatusBadge({ status }: { status: VersionStatus }) {
  return <Badge tone={tone[status]}>{status}</Badge>;
}
