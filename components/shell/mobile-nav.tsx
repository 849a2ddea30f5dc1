"use client";
// Below the sidebar breakpoint: a header menu button opens the navigation in a drawer (a modal dialog: focus stays
// inside, Escape closes, following a link closes it).
import * as D from "@radix-ui/react-dialog";
import { useState } from "react";
import type { NavItem } from "@/lib/nav";
import { NavList, type NavBadge } from "./nav-list";

export function MobileNav({ items, badges = {} }: { items: NavItem[]; badges?: Record<string, NavBadge | undefined> }) {
  const [open, setOpen] = useState(false);
  return (
    <D.Root open={open} onOpenChange={setOpen}>
      <D.Trigger
        className="inline-flex size-9 shrink-0 items-center justify-center rounded-md border border-zinc-400 text-zinc-800 hover:bg-zinc-100 md:hidden dark:border-zinc-600 dark:text-zinc-100 dark:hover:bg-zinc-800"
        aria-label="Open navigation"
      >
        <svg viewBox="0 0 24 24" className="size-5" aria-hidden fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M4 6h16M4 12h16M4 18h16" />
        </svg>
      </D.Trigger>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-black/40 md:hidden" />
        <D.Content className="fixed inset-y-0 left-0 z-50 w-[min(18rem,85vw)] overflow-y-auto border-r border-zinc-200 bg-white shadow-xl md:hidden dark:border-zinc-800 dark:bg-zinc-900">
          <div className="flex h-14 items-center justify-between border-b border-zinc-200 px-4 dark:border-zinc-800">
            <D.Title className="font-semibold">Sentinel</D.Title>
            <D.Close className="rounded-md px-2 py-1 text-sm underline" aria-label="Close navigation">
              Close
            </D.Close>
          </div>
          <D.Description className="sr-only">The portal&apos;s areas</D.Description>
          <NavList items={items} badges={badges} variant="drawer" onNavigate={() => setOpen(false)} />
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}
