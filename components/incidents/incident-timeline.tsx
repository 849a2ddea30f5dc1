// The incident timeline, oldest first: the incident's own entries merged with alerts, deploys and drift verdicts.
import Link from "next/link";
import { Badge } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { TimelineItem } from "@/server/incidents/timeline";

const TONE = { incident: "blue", alert: "red", deployment: "amber", drift: "neutral" } as const;
const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;

export function IncidentTimeline({ items, label, empty }: { items: TimelineItem[]; label: string; empty: string }) {
  if (!items.length) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <ol className="space-y-2" aria-label={label}>
      {items.map((e) => (
        <li key={e.key} className="grid grid-cols-[3.25rem_1fr] gap-2 text-sm">
          <span className="pt-0.5 font-mono text-xs text-muted" title={e.at.toISOString()}>
            {hhmm(e.at)}
          </span>
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-x-2 text-xs text-muted">
              <Badge tone={TONE[e.source]}>{e.source === "incident" ? e.kind : e.source}</Badge>
              {e.actor && e.actor !== "system" ? <span>{e.actor}</span> : null}
              <Time value={e.at} />
            </div>
            <p className="mt-0.5 break-words">
              {e.href ? (
                <Link className="hover:underline" href={e.href}>
                  {e.text}
                </Link>
              ) : (
                e.text
              )}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
