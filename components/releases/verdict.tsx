// The verdict of one candidate: a coloured word first, then each reason as its own line.
import { Badge } from "@/components/ui/card";
import type { ReadinessRow } from "@/server/releases/service";

const TONE = { ready: "green", blocked: "red", "shipped-without-signoff": "amber" } as const;
const WORD = { ready: "Ready to ship", blocked: "Blocked", "shipped-without-signoff": "Shipped without sign-off" } as const;

export function Verdict({ verdict, compact = false }: { verdict: ReadinessRow["verdict"]; compact?: boolean }) {
  return (
    <div className="space-y-1">
      <Badge tone={TONE[verdict.kind]}>{WORD[verdict.kind]}</Badge>
      {verdict.reasons.length ? (
        <ul
          className={compact ? "list-disc space-y-0.5 pl-4 text-xs" : "list-disc space-y-0.5 pl-5 text-sm"}
          aria-label={verdict.kind === "blocked" ? "Why it cannot ship yet" : "Open points"}
        >
          {verdict.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
