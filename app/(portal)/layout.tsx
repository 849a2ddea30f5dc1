import Link from "next/link";
import { CommandPalette } from "@/components/shell/command-palette";
import { MobileNav } from "@/components/shell/mobile-nav";
import { Sidebar } from "@/components/shell/sidebar";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { Badge } from "@/components/ui/card";
import { NAV } from "@/lib/nav";
import { roleAtLeast } from "@/server/auth/roles";
import { requirePageActor } from "@/server/auth/session";
import { getDb } from "@/server/db";
import { demoEnabled } from "@/server/env";
import { firingAlertCount } from "@/server/monitoring/alerts";
import { paletteEntities } from "@/server/palette";
import "@/server/palette-areas";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  const items = NAV.filter((i) => !i.minRole || roleAtLeast(actor.role, i.minRole));
  const db = await getDb();
  const [entities, firing] = await Promise.all([paletteEntities(db), firingAlertCount(db)]);
  const badges = { "/alerts": firing ? { count: firing, label: `${firing} firing` } : undefined };
  return (
    <div className="flex min-h-screen">
      {/* First focusable element: keyboard users skip the navigation (WCAG 2.4.1); hidden until focused. */}
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-link shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3 dark:bg-zinc-900"
      >
        Skip to main content
      </a>
      <Sidebar items={items} badges={badges} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-2 border-b border-zinc-200 bg-white px-3 sm:gap-3 sm:px-4 dark:border-zinc-800 dark:bg-zinc-900">
          <div className="flex items-center gap-2">
            <MobileNav items={items} badges={badges} />
            <CommandPalette items={items} entities={entities} />
          </div>
          <div className="flex min-w-0 items-center gap-2 text-sm sm:gap-3">
            {demoEnabled ? <Badge tone="amber">Demo data</Badge> : null}
            <Link
              href="/account"
              className="hidden rounded-md px-1 text-zinc-600 hover:underline sm:inline dark:text-zinc-300"
              title="Your sessions"
              data-testid="current-user"
            >
              {actor.email}
            </Link>
            <Badge tone="blue">{actor.role}</Badge>
            <ThemeToggle />
            <SignOutButton />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 p-4 sm:p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
