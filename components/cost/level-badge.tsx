import { Badge } from "@/components/ui/card";
import type { BudgetLevel } from "@/server/cost/forecast";

export function LevelBadge({ level, what }: { level: BudgetLevel | null; what: string }) {
  if (!level || level === "ok") return null;
  return <Badge tone={level === "over" ? "red" : "amber"}>{level === "over" ? `${what} ≥ 100% of budget` : `${what} ≥ 80% of budget`}</Badge>;
}
