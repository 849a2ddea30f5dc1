"use client";
// Reads and writes a page's view state in the URL, so a link reproduces what the reader sees. Writes go through
// history.replaceState, which Next's router syncs into useSearchParams without re-rendering the server page.
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseView, serializeView, type RunsView } from "./view-state";

export function useRunsView(): [RunsView, (patch: Partial<RunsView>) => void] {
  const sp = useSearchParams();
  const pathname = usePathname();
  const key = sp.toString();
  const view = useMemo(() => parseView(new URLSearchParams(key)), [key]);
  const setView = useCallback(
    (patch: Partial<RunsView>) => {
      const next = serializeView({ ...view, ...patch }).toString();
      window.history.replaceState(null, "", next ? `${pathname}?${next}` : pathname);
    },
    [view, pathname],
  );
  return [view, setView];
}

/** One search param as page state (chart options on the run and compare pages). */
export function useUrlParam(name: string, fallback: string): [string, (value: string) => void] {
  const sp = useSearchParams();
  const pathname = usePathname();
  const value = sp.get(name) ?? fallback;
  const set = useCallback(
    (v: string) => {
      const next = new URLSearchParams(sp.toString());
      if (v === fallback) next.delete(name);
      else next.set(name, v);
      const s = next.toString();
      window.history.replaceState(null, "", s ? `${pathname}?${s}` : pathname);
    },
    [sp, pathname, name, fallback],
  );
  return [value, set];
}
