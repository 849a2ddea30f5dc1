"use client";
// Single-key shortcuts for on-call pages (incident, rollout): each key clicks the enabled button marked
// data-shortcut, focuses a data-shortcut-focus field, or jumps to a section; ignored while typing, while a
// dialog is open, or with a modifier held. A key whose button is disabled says why (the button's
// data-shortcut-reason) in a live region instead of doing nothing.
import { useEffect, useState } from "react";

const NO_JUMPS: Record<string, string> = {};

export function KeyboardShortcuts({ jumps = NO_JUMPS, keys }: { jumps?: Record<string, string>; keys?: readonly string[] }) {
  const [said, setSaid] = useState<string | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || e.repeat) return;
      const el = e.target instanceof HTMLElement ? e.target : null;
      if (el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName))) return;
      if (document.querySelector("[role=dialog]")) return;
      const key = e.key.toLowerCase();
      const jump = jumps[key] ? document.getElementById(jumps[key]) : null;
      if (jump) {
        e.preventDefault();
        jump.scrollIntoView({ block: "start" });
        jump.focus({ preventScroll: true });
        return;
      }
      const field = document.querySelector<HTMLElement>(`[data-shortcut-focus="${key}"]`);
      if (field) {
        e.preventDefault();
        field.focus();
        return;
      }
      const button = document.querySelector<HTMLButtonElement>(`button[data-shortcut="${key}"]:not(:disabled)`);
      if (button) {
        e.preventDefault();
        setSaid(null);
        button.click();
        return;
      }
      const refused = document.querySelector<HTMLButtonElement>(`button[data-shortcut="${key}"]:disabled`);
      if (refused) {
        e.preventDefault();
        setSaid(`“${key}”: ${refused.dataset.shortcutReason ?? `${refused.textContent ?? "this action"} is not available now`}`);
      } else if (keys?.includes(key)) {
        e.preventDefault();
        setSaid(`“${key}”: nothing to do on this page right now`);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [jumps, keys]);
  return (
    <div
      role="status"
      aria-live="polite"
      className={
        said
          ? "fixed inset-x-2 bottom-2 z-30 mx-auto max-w-xl rounded-md border border-zinc-400 bg-white p-3 text-sm text-zinc-900 shadow-lg dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100"
          : "sr-only"
      }
    >
      {said ? (
        <span className="flex items-start gap-2">
          <span className="flex-1">{said}</span>
          <button type="button" className="underline" onClick={() => setSaid(null)}>
            Dismiss
          </button>
        </span>
      ) : null}
    </div>
  );
}

/** The visible legend of a page's shortcuts. */
export function ShortcutLegend({ shortcuts }: { shortcuts: { key: string; label: string }[] }) {
  return (
    <footer
      data-testid="shortcut-legend"
      className="mt-4 border-t border-zinc-200 bg-white/95 py-1.5 text-xs text-zinc-600 dark:border-zinc-800 dark:bg-zinc-950/95 dark:text-zinc-400"
      aria-label="Keyboard shortcuts"
    >
      <span className="sr-only">Keyboard shortcuts: </span>
      {shortcuts.map((s) => (
        <span key={s.key} className="mr-3 inline-block whitespace-nowrap">
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">{s.key}</kbd> {s.label}
        </span>
      ))}
    </footer>
  );
}
