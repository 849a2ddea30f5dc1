"use client";
import * as D from "@radix-ui/react-dialog";
import { useRef } from "react";
import { Button } from "./button";

/**
 * Focus goes back to what was focused when the dialog opened (Radix only does that for its own Trigger, which these
 * dialogs do not use), or to `returnFocus()` when given: for a dialog opened by a keyboard shortcut, or whose action
 * moved the page on.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  returnFocus,
}: {
  open: boolean;
  onOpenChange: (v: boolean) => void;
  title: string;
  description?: string;
  children: React.ReactNode;
  returnFocus?: () => HTMLElement | null;
}) {
  const opener = useRef<HTMLElement | null>(null);
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <D.Content
          onOpenAutoFocus={() => {
            const el = document.activeElement;
            opener.current = el instanceof HTMLElement && el !== document.body ? el : null;
          }}
          onCloseAutoFocus={(e) => {
            const el = returnFocus?.() ?? (opener.current?.isConnected ? opener.current : null);
            opener.current = null;
            if (!el) return;
            e.preventDefault();
            el.focus();
          }}
          className="fixed left-1/2 top-1/2 z-50 w-[min(32rem,92vw)] -translate-x-1/2 -translate-y-1/2 rounded-lg border border-zinc-200 bg-white p-5 shadow-xl dark:border-zinc-800 dark:bg-zinc-900"
        >
          <D.Title className="text-lg font-semibold">{title}</D.Title>
          {description ? (
            <D.Description className="mt-1 text-sm text-muted">{description}</D.Description>
          ) : (
            <D.Description className="sr-only">{title}</D.Description>
          )}
          <div className="mt-4">{children}</div>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

/** The end row of a dialog or inline form: Cancel first, then the form's own action buttons. */
export function FormActions({ onCancel, className = "", children }: { onCancel: () => void; className?: string; children: React.ReactNode }) {
  return (
    <div className={`${className} flex justify-end gap-2`.trim()}>
      <Button type="button" variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      {children}
    </div>
  );
}
