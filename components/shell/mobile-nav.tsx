"use client";
// Below the sidebar breakpoint: a header menu button opens the navigation in a drawer (a modal dialog: focus stays
// inside, Escape closes, following a link closes it).
import * as D from "@radix-ui/react-dialog";
import { PortalLink } from "@/components/ui/portal-link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { cn } from "@/lib/cn";
import type { NavItem } from "@/lib/nav";
import { NavIcon } from "./nav-icon";

export function MobileNav({ items, badges = {} }: { items: NavItem[]; badges?: Record<string, { count: number; label: string } | undefined> }) {
  const [open, setOpen] = useState(false);
  const path = usePathname();
  const sections = [...new Set(items.map((i) => i.section))];
  return (
    <D.Root open={open} onOpenChange={setOpen}>
      <D.Trigger className="inline-flex size-9 shrink-0 items-center justify-center rounded-md border border-zinc-400 text-zinc-800 hover:bg-zinc-100 md:hidden dark:border-zinc-600 dark:text-zinc-100 dark:hover:bg-zinc-800" aria-label="Open navigation">
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
          <nav aria-label="Main" className="space-y-4 p-3">
            {sections.map((s) => (
              <div key={s}>
                <p className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{s}</p>
                <ul className="space-y-0.5">
                  {items
                    .filter((i) => i.section === s)
                    .map((i) => {
                      const active = i.href === "/" ? path === "/" : path.startsWith(i.href);
                      const badge = badges[i.href];
                      return (
                        <li key={i.href}>
                          <PortalLink
                            href={i.href}
                            onClick={() => setOpen(false)}
                            aria-current={active ? "page" : undefined}
                            className={cn("flex items-center gap-2 rounded-md px-2 py-2 text-sm", active ? "bg-brand-50 font-medium text-link dark:bg-zinc-800 dark:text-white" : "text-zinc-800 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800")}
                          >
                            <NavIcon name={i.icon} className="size-4" />
                            {i.label}
                            {badge ? (
                              <span className="ml-auto rounded-full bg-red-700 px-1.5 text-xs font-semibold text-white tabular-nums" aria-label={badge.label}>
                                {badge.count}
                              </span>
                            ) : null}
                          </PortalLink>
                        </li>
                      );
                    })}
                </ul>
              </div>
            ))}
          </nav>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}
