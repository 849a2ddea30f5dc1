"use client";
import { PortalLink } from "@/components/ui/portal-link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";
import type { NavItem } from "@/lib/nav";
import { NavIcon } from "./nav-icon";

type NavBadge = { count: number; label: string };

export function Sidebar({ items, badges = {} }: { items: NavItem[]; badges?: Record<string, NavBadge | undefined> }) {
  const path = usePathname();
  const sections = [...new Set(items.map((i) => i.section))];
  return (
    <aside className="hidden w-56 shrink-0 border-r border-zinc-200 bg-white md:block dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex h-14 items-center gap-2 border-b border-zinc-200 px-4 font-semibold dark:border-zinc-800">
        <span className="inline-block size-2.5 rounded-full bg-brand-500" aria-hidden /> Sentinel
      </div>
      <nav aria-label="Main" className="space-y-4 p-3">
        {sections.map((s) => (
          <div key={s}>
            <p className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-muted">{s}</p>
            <ul className="space-y-0.5">
              {items
                .filter((i) => i.section === s)
                .map((i) => {
                  const active = i.href === "/" ? path === "/" : path.startsWith(i.href);
                  return (
                    <li key={i.href}>
                      <PortalLink
                        href={i.href}
                        aria-current={active ? "page" : undefined}
                        className={cn(
                          "flex items-center gap-2 rounded-md px-2 py-1.5 text-sm",
                          active ? "bg-brand-50 font-medium text-brand-700 dark:bg-zinc-800 dark:text-white" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
                        )}
                      >
                        <NavIcon name={i.icon} className="size-4" />
                        {i.label}
                        {badges[i.href] ? (
                          <span className="ml-auto rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white tabular-nums" aria-label={badges[i.href]!.label} data-testid={`nav-badge-${i.href.slice(1)}`}>
                            {badges[i.href]!.count}
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
    </aside>
  );
}
