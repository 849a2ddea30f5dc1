import { Badge } from "@/components/ui/card";
import type { Integrity } from "./types";

const label: Record<Integrity, string> = {
  ok: "integrity ok",
  unverified: "integrity not checked",
  mismatch: "integrity mismatch",
  missing: "file missing",
};
const tone = { ok: "green", unverified: "neutral", mismatch: "red", missing: "red" } as const;

export function IntegrityBadge({ integrity }: { integrity: Integrity }) {
  return <Badge tone={tone[integrity]}>{label[integrity]}</Badge>;
}
