// Which runbook applies to an incident or alert: the best-scoring link match; pure.
import type { RunbookLinks } from "@/db/schema/deployments";

export type MatchContext = { model: string | null; alertKind: string | null; ruleKey: string | null; services?: readonly string[] };

/** A rule prefix is the most specific link, then the model, then the alert kind, then a service; 0 means it does not apply. */
export function matchScore(links: RunbookLinks, c: MatchContext): number {
  let score = 0;
  const prefix = c.ruleKey ? Math.max(0, ...links.rulePrefixes.filter((p) => c.ruleKey!.startsWith(p)).map((p) => p.length)) : 0;
  if (prefix) score += 100 + prefix;
  if (c.model && links.models.includes(c.model)) score += 50;
  if (c.alertKind && links.alertKinds.includes(c.alertKind)) score += 20;
  if (c.services?.some((s) => links.services.map((x) => x.toLowerCase()).includes(s.toLowerCase()))) score += 5;
  return score;
}

export function bestRunbook<T extends { links: RunbookLinks; updatedAt: Date }>(runbooks: readonly T[], c: MatchContext): T | null {
  let best: { r: T; s: number } | null = null;
  for (const r of runbooks) {
    const s = matchScore(r.links, c);
    if (s > 0 && (!best || s > best.s || (s === best.s && r.updatedAt > best.r.updatedAt))) best = { r, s };
  }
  return best?.r ?? null;
}
