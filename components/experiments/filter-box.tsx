"use client";
// The MLflow filter box: completion of metrics./params./tags./attributes. keys and the parser's error shown at its position.
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { completeFilter, filterErrorAt, type Completion } from "./view-state";

type Keys = { params: readonly string[]; metrics: readonly string[]; tags: readonly string[] };

export function FilterBox({ value, onApply, keys, error }: { value: string; onApply: (filter: string) => void; keys: Keys; error: string | null }) {
  const [draft, setDraft] = useState(value);
  const [caret, setCaret] = useState(value.length);
  const [focused, setFocused] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const suggestions = focused ? completeFilter(draft, caret, keys) : [];
  const parsed = error ? filterErrorAt(error) : null;

  function accept(c: Completion, input: HTMLInputElement | null) {
    const next = draft.slice(0, c.from) + c.insert + draft.slice(c.to);
    const at = c.from + c.insert.length;
    setDraft(next);
    setCaret(at);
    setActive(-1);
    requestAnimationFrame(() => input?.setSelectionRange(at, at));
  }

  return (
    <form
      role="search"
      aria-label="Filter runs"
      className="relative flex-1"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <div className="flex gap-2">
        <div className="relative flex-1">
          <Input
            aria-label="Filter runs"
            role="combobox"
            aria-expanded={suggestions.length > 0}
            aria-controls={listId}
            aria-invalid={parsed ? true : undefined}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            placeholder="metrics.mAP50 > 0.5 and params.learning_rate = '0.001'"
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              setCaret(e.target.selectionStart ?? e.target.value.length);
              setActive(-1);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
            onFocus={() => setFocused(true)}
            onBlur={() => setFocused(false)}
            onKeyDown={(e) => {
              if (!suggestions.length) return;
              if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                const n = suggestions.length;
                setActive((a) => (e.key === "ArrowDown" ? (a + 1) % n : (a - 1 + n) % n));
              } else if (e.key === "Tab" || (e.key === "Enter" && active >= 0)) {
                e.preventDefault();
                accept(suggestions[Math.max(0, active)], e.currentTarget);
              } else if (e.key === "Escape") setFocused(false);
            }}
          />
          {suggestions.length ? (
            <ul
              id={listId}
              role="listbox"
              aria-label="Filter completions"
              className="absolute z-20 mt-1 max-h-64 w-full overflow-auto rounded-md border border-zinc-200 bg-white py-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
            >
              {suggestions.map((s, i) => (
                <li
                  key={s.insert}
                  role="option"
                  aria-selected={i === active}
                  className={`cursor-pointer px-3 py-1 font-mono ${i === active ? "bg-brand-600 text-white" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
                  // mousedown, not click: the input would blur (and close the list) before a click lands.
                  onMouseDown={(e) => {
                    e.preventDefault();
                    accept(s, e.currentTarget.closest("form")?.querySelector("input") ?? null);
                  }}
                >
                  {s.label}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <Button type="submit">Apply filter</Button>
        {value ? (
          <Button type="button" variant="ghost" onClick={() => (setDraft(""), onApply(""))}>
            Clear
          </Button>
        ) : null}
      </div>
      {error ? (
        <div
          role="alert"
          className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300"
        >
          {parsed ? (
            <>
              <p>
                Invalid filter at position {parsed.position}: {parsed.reason}
              </p>
              <pre className="mt-1 overflow-x-auto font-mono text-xs">
                {value.slice(0, parsed.position)}
                <mark className="rounded-sm bg-red-300 px-px text-red-950">{value[parsed.position] ?? " "}</mark>
                {value.slice(parsed.position + 1)}
              </pre>
            </>
          ) : (
            <p>{error}</p>
          )}
        </div>
      ) : null}
    </form>
  );
}
