"use client";
// The portal's navigation list, drawn by the sidebar (wide screens) and the drawer (phones): one list, one
// rule for which entry is the current page.
import { PortalLink } from "@/components/ui/portal-link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";
import type { NavItem } from "@/lib/nav";
import { NavIcon } from "./nav-icon";

export type NavBadge = { count: number; label: string };

const STYLE = {
  // Phones get taller rows (touch targets) and darker text on the drawer's white.
  sidebar: {
    section: "text-muted",
    row: "py-1.5",
    active: "text-brand-700",
    idle: "text-zinc-700 dark:text-zinc-300",
    badge: "bg-red-600",
  },
  drawer: {
    section: "text-zinc-600 dark:text-zinc-400",
    row: "py-2",
    active: "text-link",
    idle: "text-zinc-800 dark:text-zinc-200",
    badge: "bg-red-700",
  },
} as const;

export function NavList({
  items,
  badges = {},
  variant,
  onNavigate,
}: {
  items: NavItem[];
  badges?: Record<string, NavBadge | undefined>;
  variant: keyof typeof STYLE;
  onNavigate?: () => void;
}) {
  const path = usePathname();
  const sections = [...new Set(items.map((i) => i.section))];
  const s = STYLE[variant];
  return (
    <nav aria-label="Main" className="space-y-4 p-3">
      {sections.map((section) => (
        <div key={section}>
          <p className={cn("px-2 pb-1 text-xs font-semibold uppercase tracking-wide", s.section)}>{section}</p>
          <ul className="space-y-0.5">
            {items
              .filter((i) => i.section === section)
              .map((i) => {
                const active = i.href === "/" ? path === "/" : path.startsWith(i.href);
                const badge = badges[i.href];
                return (
                  <li key={i.href}>
                    <PortalLink
                      href={i.href}
                      onClick={onNavigate}
                      aria-current={active ? "page" : undefined}
                      className={cn(
                        "flex items-center gap-2 rounded-md px-2 text-sm",
                        s.row,
                        active
                          ? cn("bg-brand-50 font-medium dark:bg-zinc-800 dark:text-white", s.active)
                          : cn("hover:bg-zinc-100 dark:hover:bg-zinc-800", s.idle),
                      )}
                    >
                      <NavIcon name={i.icon} className="size-4" />
                      {i.label}
                      {badge ? (
                        <span
                          className={cn("ml-auto rounded-full px-1.5 text-xs font-semibold text-white tabular-nums", s.badge)}
                          aria-label={badge.label}
                          data-testid={`nav-badge-${i.href.slice(1)}`}
                        >
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
  );
}
