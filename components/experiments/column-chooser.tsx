"use client";
// Column chooser: searches thousands of param, metric and tag keys, showing at most a few hundred matches at once.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { formatCount } from "@/lib/format";
import { ATTRIBUTE_KEYS, columnId, type Column } from "./view-state";

const SHOWN = 200;
const LABEL = { param: "params", metric: "metrics", tag: "tags", attribute: "attributes" } as const;

export function ColumnChooser({
  keys,
  chosen,
  onChange,
}: {
  keys: { params: string[]; metrics: string[]; tags: string[] };
  chosen: Column[];
  onChange: (cols: Column[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const all: Column[] = [
    ...keys.metrics.map((key) => ({ kind: "metric" as const, key })),
    ...keys.params.map((key) => ({ kind: "param" as const, key })),
    ...keys.tags.map((key) => ({ kind: "tag" as const, key })),
    ...ATTRIBUTE_KEYS.map((key) => ({ kind: "attribute" as const, key })),
  ];
  const needle = q.trim().toLowerCase();
  const matches = needle ? all.filter((c) => `${LABEL[c.kind]}.${c.key}`.toLowerCase().includes(needle)) : all;
  const chosenIds = new Set(chosen.map(columnId));
  const toggle = (c: Column) => onChange(chosenIds.has(columnId(c)) ? chosen.filter((x) => columnId(x) !== columnId(c)) : [...chosen, c]);

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Columns ({chosen.length})
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Choose columns"
        description={`${formatCount(all.length)} keys across params, metrics, tags and attributes.`}
      >
        <Input
          autoFocus
          type="search"
          aria-label="Search columns"
          placeholder="Search keys, e.g. mAP or params.lr"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        {chosen.length ? (
          <div className="mt-3 flex flex-wrap gap-1" aria-label="Chosen columns">
            {chosen.map((c) => (
              <button
                key={columnId(c)}
                type="button"
                onClick={() => toggle(c)}
                className="rounded bg-brand-600/10 px-1.5 py-0.5 font-mono text-xs text-link hover:bg-red-100 hover:text-red-800 dark:hover:bg-red-950 dark:hover:text-red-300"
                title="Remove column"
              >
                {LABEL[c.kind]}.{c.key} ×
              </button>
            ))}
          </div>
        ) : null}
        <ul className="mt-3 max-h-80 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800" aria-label="Available columns">
          {matches.slice(0, SHOWN).map((c) => (
            <li key={columnId(c)} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800">
              <label className="flex cursor-pointer items-center gap-2 px-3 py-1.5 font-mono text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800">
                <input type="checkbox" aria-label={`${LABEL[c.kind]}.${c.key}`} checked={chosenIds.has(columnId(c))} onChange={() => toggle(c)} />
                <span className="text-muted">{LABEL[c.kind]}.</span>
                {c.key}
              </label>
            </li>
          ))}
          {!matches.length ? <li className="px-3 py-2 text-sm text-muted">No key matches “{q}”.</li> : null}
        </ul>
        {matches.length > SHOWN ? (
          <p className="mt-1 text-xs text-muted">
            Showing {SHOWN} of {formatCount(matches.length)} matches; type to narrow down.
          </p>
        ) : null}
        <div className="mt-3 flex justify-between gap-2">
          <Button variant="ghost" onClick={() => onChange([])}>
            Clear all
          </Button>
          <Button onClick={() => setOpen(false)}>Done</Button>
        </div>
      </Dialog>
    </>
  );
}
