// Incident status rules and the response times derived from them; pure, unit-tested.
import { STATUSES, type Status } from "./schemas";

const rank = (s: Status) => STATUSES.indexOf(s);

/** Forward to any later status; back one or more steps while open; a resolved incident reopens only to investigating. */
export function statusChange(from: Status, to: Status): { ok: true } | { ok: false; reason: string } {
  if (from === to) return { ok: false, reason: `The incident is already ${from}` };
  if (from === "resolved" && to !== "investigating") return { ok: false, reason: "A resolved incident reopens as investigating first" };
  return { ok: true };
}

/** Timestamps to set when moving to `to`: the first mitigation and resolution stick; acknowledging is implied by any status change. */
export function stampsFor(
  cur: { acknowledgedAt: Date | null; mitigatedAt: Date | null; resolvedAt: Date | null },
  to: Status,
  now: Date,
): { acknowledgedAt: Date; mitigatedAt: Date | null; resolvedAt: Date | null } {
  return {
    acknowledgedAt: cur.acknowledgedAt ?? now,
    // Resolving without a mitigation step counts resolution as mitigation.
    mitigatedAt: rank(to) >= rank("mitigated") ? (cur.mitigatedAt ?? now) : cur.mitigatedAt,
    resolvedAt: to === "resolved" ? now : null,
  };
}

/** Time to acknowledge and time to mitigate, in ms from when the problem started; null while not yet reached. */
export function responseTimes(i: { startedAt: Date; acknowledgedAt: Date | null; mitigatedAt: Date | null }): { ttaMs: number | null; ttmMs: number | null } {
  const since = (d: Date | null) => (d ? Math.max(0, d.getTime() - i.startedAt.getTime()) : null);
  return { ttaMs: since(i.acknowledgedAt), ttmMs: since(i.mitigatedAt) };
}
