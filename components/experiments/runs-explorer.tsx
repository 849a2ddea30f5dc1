"use client";
// The runs table of an experiment: a windowed grid that pages through searchRuns as it scrolls (100,000 runs
// stay smooth), with filter, sort, columns, grouping, selection, pins and colours all kept in the URL.
import { useQueries, useQuery } from "@tanstack/react-query";
import { Pin, PinOff } from "lucide-react";
import Link from "next/link";
import { useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { absoluteTime, formatCount, middleEllipsis, relativeTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { formatValue } from "./chart-data";
import { ColumnChooser } from "./column-chooser";
import { FilterBox } from "./filter-box";
import { RunStatusBadge } from "./status-badge";
import type { RunRow } from "./types";
import { useRunsView } from "./use-url-view";
import { columnId, filterForGroup, nextOrder, orderClause, parseColumnId, runColor, runIdFilter, toggleSelection, type Column } from "./view-state";

const ROW = 36;
const PAGE = 200;
const VIEWPORT = 576;
const OVERSCAN = 8;
const LABEL = { param: "params", metric: "metrics", tag: "tags", attribute: "attributes" } as const;

function cellText(r: RunRow, c: Column): { text: string; title?: string } {
  if (c.kind === "param") return { text: r.params[c.key] ?? "" };
  if (c.kind === "tag") return { text: r.tags[c.key] ?? "" };
  if (c.kind === "metric") {
    const v = r.metrics[c.key];
    return v === undefined ? { text: "" } : { text: formatValue(v), title: String(v) };
  }
  if (c.key === "start_time" || c.key === "end_time") {
    const t = c.key === "start_time" ? r.startTime : r.endTime;
    return t === null ? { text: "" } : { text: relativeTime(t), title: absoluteTime(t) };
  }
  if (c.key === "user_id") return { text: r.userId };
  return { text: r.runId };
}

export function RunsExplorer({ experimentId }: { experimentId: string }) {
  const trpc = useTRPC();
  const [view, setView] = useRunsView();
  const [scrollTop, setScrollTop] = useState(0);
  const anchor = useRef<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const keyQuery = { experimentIds: [experimentId], limit: 20_000 };
  const paramKeys = useQuery(trpc.experiments.paramKeys.queryOptions(keyQuery, { staleTime: 60_000 }));
  const metricKeys = useQuery(trpc.experiments.metricKeys.queryOptions(keyQuery, { staleTime: 60_000 }));
  const tagKeys = useQuery(trpc.experiments.tagKeys.queryOptions(keyQuery, { staleTime: 60_000 }));
  const keys = useMemo(
    () => ({
      params: (paramKeys.data ?? []).map((k) => k.key),
      metrics: (metricKeys.data ?? []).map((k) => k.key),
      tags: (tagKeys.data ?? []).map((k) => k.key),
    }),
    [paramKeys.data, metricKeys.data, tagKeys.data],
  );
  // Until someone chooses, a few metrics and params (the ones most runs carry) make a useful first view.
  const columns: Column[] = useMemo(() => {
    if (view.columns) return view.columns;
    const top = (ks: { key: string; runs: number }[] | undefined, n: number) =>
      [...(ks ?? [])]
        .sort((a, b) => b.runs - a.runs)
        .slice(0, n)
        .map((k) => k.key);
    return [
      ...top(metricKeys.data, 3).map((key) => ({ kind: "metric" as const, key })),
      ...top(paramKeys.data, 4).map((key) => ({ kind: "param" as const, key })),
    ];
  }, [view.columns, metricKeys.data, paramKeys.data]);
  const wanted = {
    params: columns.filter((c) => c.kind === "param").map((c) => c.key),
    metrics: columns.filter((c) => c.kind === "metric").map((c) => c.key),
    tags: columns.filter((c) => c.kind === "tag").map((c) => c.key),
  };
  const base = { experimentIds: [experimentId], filter: view.filter || undefined, orderBy: view.order ? [orderClause(view.order)] : [], columns: wanted };

  // Which pages the window needs: always the first (it carries the total), then those under the viewport.
  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.floor((scrollTop + VIEWPORT) / ROW) + OVERSCAN;
  const pageNumbers = [...new Set([0, Math.floor(first / PAGE), Math.floor(last / PAGE)])];
  const pages = useQueries({
    queries: pageNumbers.map((p) => trpc.experiments.searchRuns.queryOptions({ ...base, offset: p * PAGE, limit: PAGE }, { staleTime: 30_000, retry: false })),
  });
  const byPage = new Map(pageNumbers.map((p, i) => [p, pages[i]]));
  const head = pages[0];
  const total = head.data?.total ?? 0;
  const filterError = head.error ? head.error.message : null;

  const pinned = useQuery(
    trpc.experiments.searchRuns.queryOptions(
      { ...base, filter: runIdFilter(view.pinned), offset: 0, limit: 500 },
      { enabled: view.pinned.length > 0, staleTime: 30_000 },
    ),
  );
  const pinnedRows = view.pinned.length ? (pinned.data?.rows ?? []) : [];

  const groups = useQuery(
    trpc.experiments.runGroups.queryOptions(
      {
        experimentIds: [experimentId],
        filter: view.filter || undefined,
        by: { kind: view.group?.kind ?? "param", key: view.group?.key ?? "_" },
        metric: view.group?.metric ?? undefined,
      },
      { enabled: !!view.group && !filterError },
    ),
  );

  // Row order for shift-click ranges: the loaded pages in order.
  const loadedOrder: string[] = [];
  for (const p of [...byPage.keys()].sort((a, b) => a - b)) for (const r of byPage.get(p)?.data?.rows ?? []) loadedOrder.push(r.runId);

  const selected = new Set(view.selected);
  const pinnedSet = new Set(view.pinned);
  const rowAt = (i: number): RunRow | undefined => byPage.get(Math.floor(i / PAGE))?.data?.rows[i % PAGE];
  const gridColumns = `2.25rem 2rem minmax(20rem, 3fr) 6.5rem 7.5rem ${columns.map(() => "minmax(7.5rem, 1fr)").join(" ")}`;
  const minWidth = 36 + 32 + 320 + 104 + 120 + columns.length * 120;

  function onCheck(runId: string, shift: boolean) {
    const next = toggleSelection(view.selected, [...pinnedRows.map((r) => r.runId), ...loadedOrder], runId, anchor.current, shift);
    anchor.current = runId;
    setView({ selected: next });
  }
  const togglePin = (runId: string) => setView({ pinned: pinnedSet.has(runId) ? view.pinned.filter((x) => x !== runId) : [...view.pinned, runId] });

  // Plain render functions, not components: a component declared here would remount every row on each scroll.
  function renderRow(key: string, r: RunRow | undefined, index: number, top?: number) {
    const style =
      top === undefined
        ? { gridTemplateColumns: gridColumns, height: ROW }
        : { gridTemplateColumns: gridColumns, height: ROW, top, position: "absolute" as const, left: 0, right: 0 };
    if (!r)
      return (
        <div key={key} role="row" aria-rowindex={index + 2} style={style} className="grid items-center border-b border-zinc-100 px-0 dark:border-zinc-800">
          <div role="cell" className="col-span-full mx-3 h-3 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
        </div>
      );
    const isSel = selected.has(r.runId);
    return (
      <div
        key={key}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={isSel}
        style={style}
        className={`grid items-center border-b border-zinc-100 text-sm dark:border-zinc-800 ${isSel ? "bg-brand-600/5" : "hover:bg-zinc-50 dark:hover:bg-zinc-900/60"}`}
      >
        <div role="cell" className="flex justify-center">
          <input type="checkbox" aria-label={`Select ${r.runName}`} checked={isSel} onChange={() => undefined} onClick={(e) => onCheck(r.runId, e.shiftKey)} />
        </div>
        <div role="cell" className="flex justify-center">
          <button
            type="button"
            onClick={() => togglePin(r.runId)}
            aria-label={`${pinnedSet.has(r.runId) ? "Unpin" : "Pin"} ${r.runName}`}
            aria-pressed={pinnedSet.has(r.runId)}
            className="text-muted hover:text-link"
          >
            {pinnedSet.has(r.runId) ? <PinOff className="size-3.5 text-link" /> : <Pin className="size-3.5" />}
          </button>
        </div>
        <div role="cell" className="flex min-w-0 items-center gap-2 px-2">
          <span aria-hidden className="size-2.5 shrink-0 rounded-full" style={{ background: runColor(r.runId, view.selected) }} />
          <Link href={`/experiments/${experimentId}/runs/${r.runId}`} className="truncate font-medium text-link hover:underline" title={r.runName}>
            {r.runName ? middleEllipsis(r.runName, 40) : r.runId.slice(0, 8)}
          </Link>
        </div>
        <div role="cell" className="px-2">
          <RunStatusBadge status={r.status} />
        </div>
        <div role="cell" className="truncate px-2 text-zinc-600 dark:text-zinc-400" title={absoluteTime(r.startTime)}>
          {relativeTime(r.startTime)}
        </div>
        {columns.map((c) => {
          const { text, title } = cellText(r, c);
          return (
            <div
              role="cell"
              key={columnId(c)}
              title={title ?? text}
              className={`truncate px-2 ${c.kind === "metric" ? "text-right font-mono tabular-nums" : ""}`}
            >
              {text}
            </div>
          );
        })}
      </div>
    );
  }

  function header(label: string, column: Column | null, className?: string) {
    const active = column && view.order && columnId(view.order.column) === columnId(column) ? view.order : null;
    return (
      <div
        key={label}
        role="columnheader"
        aria-sort={active ? (active.desc ? "descending" : "ascending") : "none"}
        className={`truncate px-2 py-2 text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 ${className ?? ""}`}
      >
        {column ? (
          <button
            type="button"
            className="max-w-full truncate hover:text-link"
            title={`Sort by ${label}`}
            onClick={() => setView({ order: nextOrder(view.order, column) })}
          >
            {label}
            {active ? (active.desc ? " ↓" : " ↑") : ""}
          </button>
        ) : (
          label
        )}
      </div>
    );
  }

  const visible: number[] = [];
  for (let i = first; i <= Math.min(last, total - 1); i++) visible.push(i);
  const compareHref = `/experiments/${experimentId}/compare?runs=${view.selected.join(",")}`;
  const groupValue = view.group ? `${view.group.kind === "param" ? "p" : "t"}:${view.group.key}` : "";

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-start gap-2">
        <FilterBox
          key={view.filter}
          value={view.filter}
          error={filterError}
          keys={keys}
          onApply={(filter) => (setView({ filter }), scroller.current?.scrollTo({ top: 0 }))}
        />
        <ColumnChooser keys={keys} chosen={columns} onChange={(cols) => setView({ columns: cols })} />
      </div>

      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span aria-live="polite" data-testid="runs-total">
          {head.isPending ? "Loading runs…" : filterError ? "No runs (fix the filter)" : `${formatCount(total)} runs`}
        </span>
        <label className="flex items-center gap-1.5 whitespace-nowrap">
          Group by
          <Select
            aria-label="Group by"
            className="w-48 py-1"
            value={groupValue}
            onChange={(e) => {
              const c = parseColumnId(e.target.value);
              setView({
                group:
                  c && (c.kind === "param" || c.kind === "tag")
                    ? { kind: c.kind, key: c.key, metric: view.group?.metric ?? columns.find((x) => x.kind === "metric")?.key ?? keys.metrics[0] ?? null }
                    : null,
              });
            }}
          >
            <option value="">no grouping</option>
            <optgroup label="params">
              {keys.params.map((k) => (
                <option key={k} value={`p:${k}`}>
                  {k}
                </option>
              ))}
            </optgroup>
            <optgroup label="tags">
              {keys.tags.map((k) => (
                <option key={k} value={`t:${k}`}>
                  {k}
                </option>
              ))}
            </optgroup>
          </Select>
        </label>
        {view.group ? (
          <label className="flex items-center gap-1.5 whitespace-nowrap">
            Aggregate
            <Select
              aria-label="Aggregate metric"
              className="w-48 py-1"
              value={view.group.metric ?? ""}
              onChange={(e) => setView({ group: { ...view.group!, metric: e.target.value || null } })}
            >
              <option value="">(count only)</option>
              {keys.metrics.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </Select>
          </label>
        ) : null}
        <div className="ml-auto flex items-center gap-2">
          {view.selected.length ? (
            <>
              <span>{formatCount(view.selected.length)} selected</span>
              <Button variant="ghost" onClick={() => setView({ pinned: [...new Set([...view.pinned, ...view.selected])] })}>
                Pin selected
              </Button>
              <Button variant="ghost" onClick={() => setView({ selected: [] })}>
                Clear selection
              </Button>
              <Link
                href={compareHref}
                className="inline-flex items-center rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
              >
                Compare {formatCount(view.selected.length)} runs
              </Link>
            </>
          ) : (
            <span className="text-muted">Select runs to compare them (shift-click selects a range)</span>
          )}
        </div>
      </div>

      {view.group ? (
        <GroupTable
          groups={groups.data}
          loading={groups.isPending}
          metric={view.group.metric}
          by={view.group.key}
          onPick={(v) => {
            const f = filterForGroup(view.filter, view.group!, v);
            if (f !== null) setView({ filter: f, group: null });
          }}
        />
      ) : null}

      <div
        role="table"
        aria-label="Runs"
        aria-rowcount={total + 1 + pinnedRows.length}
        className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
      >
        <div style={{ minWidth }}>
          <div role="rowgroup">
            <div
              role="row"
              style={{ gridTemplateColumns: gridColumns }}
              className="grid items-center border-b border-zinc-200 bg-zinc-100 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <div role="columnheader" className="flex justify-center">
                <span className="sr-only">Selected</span>
              </div>
              <div role="columnheader">
                <span className="sr-only">Pinned</span>
              </div>
              {header("Run", { kind: "attribute", key: "run_name" })}
              {header("Status", { kind: "attribute", key: "status" })}
              {header("Started", { kind: "attribute", key: "start_time" })}
              {columns.map((c) => header(`${LABEL[c.kind]}.${c.key}`, c, c.kind === "metric" ? "text-right" : ""))}
            </div>
          </div>
          {pinnedRows.length ? (
            <div role="rowgroup" aria-label="Pinned runs" className="border-b-2 border-amber-300 bg-amber-50/60 dark:border-amber-800 dark:bg-amber-950/20">
              {pinnedRows.map((r, i) => renderRow(`pin-${r.runId}`, r, i))}
            </div>
          ) : null}
          <div
            ref={scroller}
            role="rowgroup"
            aria-label="All runs"
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
            style={{ height: Math.min(VIEWPORT, Math.max(total, 1) * ROW) }}
            className="overflow-y-auto"
          >
            <div style={{ height: total * ROW, position: "relative" }}>
              {visible.map((i) => renderRow(rowAt(i)?.runId ?? `i${i}`, rowAt(i), i + pinnedRows.length, i * ROW))}
            </div>
            {!head.isPending && !total && !filterError ? (
              <p className="p-6 text-center text-sm text-muted">No runs match{view.filter ? " this filter" : ""}.</p>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
}

function GroupTable({
  groups,
  loading,
  metric,
  by,
  onPick,
}: {
  groups: { value: string | null; runs: number; withMetric: number; min: number | null; max: number | null; mean: number | null }[] | undefined;
  loading: boolean;
  metric: string | null;
  by: string;
  onPick: (value: string | null) => void;
}) {
  if (loading || !groups) return <p className="text-sm text-muted">Grouping runs…</p>;
  return (
    <div className="table-key-first overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm" aria-label={`Runs grouped by ${by}`}>
        <thead className="bg-zinc-100 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th className="bg-zinc-100 px-3 py-1.5 text-left dark:bg-zinc-900">{by}</th>
            <th className="px-3 py-1.5 text-right">Runs</th>
            {metric ? (
              <>
                <th className="px-3 py-1.5 text-right">min {metric}</th>
                <th className="px-3 py-1.5 text-right">max {metric}</th>
                <th className="px-3 py-1.5 text-right">mean {metric}</th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.value ?? "\u0000"} className="border-t border-zinc-100 dark:border-zinc-800">
              <td className="px-3 py-1.5">
                {g.value === null ? (
                  <span className="text-muted">(not set)</span>
                ) : (
                  <button type="button" className="font-mono text-link hover:underline" title="Filter the table to this group" onClick={() => onPick(g.value)}>
                    {g.value}
                  </button>
                )}
              </td>
              <td className="px-3 py-1.5 text-right tabular-nums">{formatCount(g.runs)}</td>
              {metric ? (
                <>
                  <td className="px-3 py-1.5 text-right font-mono tabular-nums">{formatValue(g.min)}</td>
                  <td className="px-3 py-1.5 text-right font-mono tabular-nums">{formatValue(g.max)}</td>
                  <td className="px-3 py-1.5 text-right font-mono tabular-nums">{formatValue(g.mean)}</td>
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
