"use client";
// Single-key shortcuts for the incident page: each key clicks the enabled element marked data-shortcut, focuses a
// data-shortcut-focus field, or jumps to a section; ignored while typing or with a modifier held.
import { useEffect } from "react";
import { SHORTCUT_JUMPS } from "@/lib/incident-shortcuts";

export function KeyboardShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || e.repeat) return;
      const el = e.target instanceof HTMLElement ? e.target : null;
      if (el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName))) return;
      if (document.querySelector("[role=dialog]")) return;
      const key = e.key.toLowerCase();
      const jump = SHORTCUT_JUMPS[key] ? document.getElementById(SHORTCUT_JUMPS[key]) : null;
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
        button.click();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return null;
}
