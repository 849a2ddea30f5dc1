"use client";
import type { NavItem } from "@/lib/nav";
import { NavList, type NavBadge } from "./nav-list";

export function Sidebar({ items, badges = {} }: { items: NavItem[]; badges?: Record<string, NavBadge | undefined> }) {
  return (
    <aside className="hidden w-56 shrink-0 border-r border-zinc-200 bg-white md:block dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex h-14 items-center gap-2 border-b border-zinc-200 px-4 font-semibold dark:border-zinc-800">
        <span className="inline-block size-2.5 rounded-full bg-brand-500" aria-hidden /> Sentinel
      </div>
      <NavList items={items} badges={badges} variant="sidebar" />
    </aside>
  );
}
