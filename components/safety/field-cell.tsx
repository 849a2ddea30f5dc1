// A field rate beside the lab's: value, interval, and a mark when the two 95% intervals do not overlap.
import { Badge } from "@/components/ui/card";
import { Term } from "@/components/ui/term";
import { interval, pct } from "@/lib/safety-format";
import type { Agreement } from "@/server/safety/field";
import type { Proportion } from "@/server/safety/metrics";

export function FieldRate({ name, value, agreement }: { name: string; value: Proportion | null; agreement: Agreement }) {
  return (
    <div>
      <span className="whitespace-nowrap">
        <span className="text-xs text-muted">{name}</span> {pct(value?.value)} <span className="text-xs text-muted">{interval(value)}</span>
      </span>{" "}
      {/* On its own line when the column is narrow, so /safety fits 1280 px without scrolling sideways. */}
      {agreement === "disagrees" ? (
        <Badge tone="red">
          <Term k="fieldVsLab">fleet and lab disagree</Term>
        </Badge>
      ) : null}
    </div>
  );
}
