// A deployment timeline, newest first: who did what, in plain words; overrides stand out.
import { Badge } from "@/components/ui/card";
import { Time } from "@/components/ui/time";

export type TimelineEvent = { id: number; at: Date | string; actorLabel: string; kind: string; summary: string; target?: string };

const tone = (kind: string) => (kind === "override" ? "red" : kind === "rollback" || kind === "abort" ? "amber" : kind === "approve" ? "green" : "neutral");

export function Timeline({ events, empty = "Nothing has happened yet" }: { events: TimelineEvent[]; empty?: string }) {
  if (!events.length) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <ol className="space-y-3" aria-label="Timeline">
      {events.map((e) => (
        <li key={e.id} className="flex gap-3 text-sm">
          <div className="w-24 shrink-0 text-xs text-muted">
            <Time value={e.at} />
          </div>
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={tone(e.kind)}>{e.kind}</Badge>
              {e.target ? <span className="text-xs text-muted">{e.target}</span> : null}
              <span className="text-xs text-muted">{e.actorLabel}</span>
            </div>
            <p className="mt-0.5 break-words">{e.summary}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}
