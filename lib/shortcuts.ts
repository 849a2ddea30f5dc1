// Single-key shortcuts of the on-call pages: the legends and the buttons' data-shortcut keys come from these lists.
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

/** The rollout page: one key per deployment button (the buttons carry the same keys), in legend order. */
export const ROLLOUT_SHORTCUTS: { action: string; key: string; label: string }[] = [
  { action: "rollback", key: "b", label: "roll back" },
  { action: "advance", key: "a", label: "advance" },
  { action: "pause", key: "p", label: "pause" },
  { action: "resume", key: "r", label: "resume" },
  { action: "abort", key: "x", label: "abort" },
  { action: "canary.start", key: "c", label: "start canary" },
  { action: "promote", key: "m", label: "promote" },
];
/** A deployment action's key. */
export const ROLLOUT_KEYS: Record<string, string> = Object.fromEntries(ROLLOUT_SHORTCUTS.map((s) => [s.action, s.key]));
