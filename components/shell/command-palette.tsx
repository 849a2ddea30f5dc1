"use client";
import { Command } from "cmdk";
import * as D from "@radix-ui/react-dialog";
import { useRouter } from "next/navigation";
import { needsFullPageLoad } from "@/lib/isolation";
import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useEffect, useState } from "react";
import { useTRPC } from "@/lib/trpc";
import type { NavItem } from "@/lib/nav";
import { NavIcon } from "./nav-icon";

export type PaletteEntry = { href: string; label: string; group: string };

/** Ctrl/Cmd+K: jump to any page or entity. Entities come from the server as plain links. */
export function CommandPalette({ items, entities }: { items: NavItem[]; entities: PaletteEntry[] }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const router = useRouter();
  const trpc = useTRPC();
  // Runs are too many to send up front: the server finds them (and any incident) as the person types.
  const q = useDeferredValue(search.trim());
  const found = useQuery(trpc.home.search.queryOptions({ q }, { enabled: open && q.length >= 2, staleTime: 30_000, placeholderData: (prev) => prev }));
  const listed = new Set(entities.map((e) => e.href));
  const extra = q.length >= 2 ? (found.data ?? []).filter((e) => !listed.has(e.href)) : [];
  const all = [...entities, ...extra];
  // Syncs with the keyboard, which is outside React.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const go = (href: string) => {
    setOpen(false);
    setSearch("");
    // Isolated pages need their own headers, so they are a full load.
    if (needsFullPageLoad(href, window.crossOriginIsolated)) window.location.assign(href);
    else router.push(href);
  };
  const groups = [...new Set(all.map((e) => e.group))];
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="hidden items-center gap-2 rounded-md border border-zinc-300 px-2.5 py-1 text-sm text-muted hover:bg-zinc-100 sm:flex dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Search or jump to… <kbd className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">Ctrl K</kbd>
      </button>
      {/* Phones: the same palette behind an icon button. */}
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label="Search"
        className="inline-flex size-9 shrink-0 items-center justify-center rounded-md border border-zinc-400 text-zinc-800 hover:bg-zinc-100 sm:hidden dark:border-zinc-600 dark:text-zinc-100 dark:hover:bg-zinc-800"
      >
        <svg viewBox="0 0 24 24" className="size-5" aria-hidden fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5" />
        </svg>
      </button>
      <D.Root open={open} onOpenChange={setOpen}>
        <D.Portal>
          <D.Overlay className="fixed inset-0 z-40 bg-black/40" />
          <D.Content className="fixed left-1/2 top-24 z-50 w-[min(36rem,92vw)] -translate-x-1/2 overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-2xl dark:border-zinc-800 dark:bg-zinc-900">
            <D.Title className="sr-only">Command palette</D.Title>
            <D.Description className="sr-only">Type to find a page or an entity, then press Enter</D.Description>
            <Command label="Command palette" className="text-sm">
              <Command.Input
                autoFocus
                value={search}
                onValueChange={setSearch}
                placeholder="Type a page, model, version, run name or id, incident…"
                className="w-full border-b border-zinc-200 bg-transparent px-4 py-3 focus-visible:outline-offset-[-2px] dark:border-zinc-800"
              />
              <Command.List className="max-h-80 overflow-y-auto p-2">
                <Command.Empty className="px-3 py-6 text-center text-muted">
                  {found.isFetching ? "Searching runs and incidents…" : "Nothing matches."}
                </Command.Empty>
                {found.isFetching ? <Command.Loading className="px-2 py-1 text-xs text-muted">Searching runs and incidents…</Command.Loading> : null}
                {found.error ? <p className="px-2 py-1 text-xs text-red-700 dark:text-red-400">Search failed: {found.error.message}</p> : null}
                <Command.Group heading="Pages" className="text-xs text-muted [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1">
                  {items.map((i) => (
                    <Command.Item
                      key={i.href}
                      value={`${i.label} ${i.href}`}
                      onSelect={() => go(i.href)}
                      className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm text-zinc-800 data-[selected=true]:bg-brand-50 dark:text-zinc-200 dark:data-[selected=true]:bg-zinc-800"
                    >
                      <NavIcon name={i.icon} className="size-4" /> {i.label}
                    </Command.Item>
                  ))}
                </Command.Group>
                {groups.map((g) => (
                  <Command.Group key={g} heading={g} className="text-xs text-muted [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1">
                    {all
                      .filter((e) => e.group === g)
                      .map((e) => (
                        <Command.Item
                          key={e.href}
                          value={`${e.label} ${e.href}`}
                          onSelect={() => go(e.href)}
                          className="cursor-pointer rounded-md px-2 py-2 text-sm text-zinc-800 data-[selected=true]:bg-brand-50 dark:text-zinc-200 dark:data-[selected=true]:bg-zinc-800"
                        >
                          {e.label}
                        </Command.Item>
                      ))}
                  </Command.Group>
                ))}
              </Command.List>
            </Command>
          </D.Content>
        </D.Portal>
      </D.Root>
    </>
  );
}
