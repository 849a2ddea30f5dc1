// The alert lifecycle as a pure function: pending -> firing -> resolved, one open alert per rule and subject.
export type AlertState = "pending" | "firing" | "resolved";
export type OpenAlert = { state: Exclude<AlertState, "resolved">; startedAt: Date };

export type AlertTransition =
  | { action: "none" }
  | { action: "open"; state: "pending" | "firing" }
  | { action: "update"; state: "pending" | "firing"; becameFiring: boolean }
  | { action: "resolve" };

/**
 * What to do with the open alert (or its absence) when the rule's condition is evaluated at `now`.
 * An alert fires once its condition has held for `forMs` (0 fires at once); a pending alert whose
 * condition clears resolves without ever firing.
 */
export function nextAlertState(open: OpenAlert | null, condition: boolean, now: Date, forMs: number): AlertTransition {
  if (!open) return condition ? { action: "open", state: forMs <= 0 ? "firing" : "pending" } : { action: "none" };
  if (!condition) return { action: "resolve" };
  if (open.state === "firing") return { action: "update", state: "firing", becameFiring: false };
  const held = now.getTime() - open.startedAt.getTime() >= forMs;
  return { action: "update", state: held ? "firing" : "pending", becameFiring: held };
}

/** Shown state: a silenced alert stays open but is marked silenced until the silence expires. */
export function displayState(a: { state: AlertState; silencedUntil: Date | null }, now: Date): AlertState | "silenced" {
  return a.state !== "resolved" && a.silencedUntil && a.silencedUntil > now ? "silenced" : a.state;
}
