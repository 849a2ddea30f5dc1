// The incident page's single-key shortcuts: the legend (server-rendered) and the handler (client) read this one list.
export const INCIDENT_SHORTCUTS: { key: string; label: string }[] = [
  { key: "a", label: "acknowledge" },
  { key: "s", label: "next status" },
  { key: "b", label: "roll back" },
  { key: "p", label: "pause rollout" },
  { key: "n", label: "note" },
  { key: "r", label: "runbook" },
  { key: "t", label: "timeline" },
  { key: "w", label: "what changed" },
];

/** Keys that jump to a section (by element id) rather than press a button. */
export const SHORTCUT_JUMPS: Record<string, string> = { r: "runbook", t: "timeline", w: "changes" };
