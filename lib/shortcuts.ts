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

/** The rollout page: one key per deployment button (the buttons carry the same keys). */
export const ROLLOUT_SHORTCUTS: { key: string; label: string }[] = [
  { key: "b", label: "roll back" },
  { key: "a", label: "advance" },
  { key: "p", label: "pause" },
  { key: "r", label: "resume" },
  { key: "x", label: "abort" },
  { key: "c", label: "start canary" },
  { key: "m", label: "promote" },
];
export const ROLLOUT_KEYS: Record<string, string> = { rollback: "b", advance: "a", pause: "p", resume: "r", abort: "x", "canary.start": "c", promote: "m" };
