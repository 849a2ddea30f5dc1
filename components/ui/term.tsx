"use client";
// A term with its one-sentence meaning from lib/glossary.ts, shown on hover and on keyboard focus (a tooltip that
// describes the focusable term), with the glossary one click away for the whole list. Not rendered until asked for
// (display: none), so a term near the right edge never widens the page.
import { useId } from "react";
import { GLOSSARY, type GlossaryKey } from "@/lib/glossary";

export function Term({ k, children }: { k: GlossaryKey; children?: React.ReactNode }) {
  const id = useId();
  const g = GLOSSARY[k];
  return (
    <span className="group relative inline-block">
      <a href={`/glossary#${k}`} aria-describedby={id} className="cursor-help underline decoration-dotted underline-offset-2">
        {children ?? g.term}
      </a>
      <span
        role="tooltip"
        id={id}
        className="pointer-events-none absolute left-0 top-full z-30 mt-1 hidden w-72 max-w-[80vw] rounded-md border border-zinc-300 bg-white p-2 text-xs font-normal normal-case tracking-normal text-zinc-900 shadow-lg group-focus-within:block group-hover:block dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {g.meaning}
      </span>
    </span>
  );
}
