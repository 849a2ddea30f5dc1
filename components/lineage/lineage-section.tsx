"use client";
// The "Lineage" section of an entity page: the graph around the entity (depth kept in the URL), nodes expanded
// in place by asking for the graph around them and merging, and the impact list of what is downstream.
import { useQueries, useQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { mergeGraphs } from "@/lib/lineage-layout";
import { useTRPC } from "@/lib/trpc";
import { LineageGraph } from "./lineage-graph";
import { LineageImpact } from "./lineage-impact";

const DEPTHS = [1, 2, 3, 4];
export const DEPTH_PARAM = "lineageDepth";

type Props = { entity: string; name: string; title?: string };

export function LineageSection({ entity, name, title = "Lineage graph" }: Props) {
  const trpc = useTRPC();
  const sp = useSearchParams();
  const pathname = usePathname();
  const depth = DEPTHS.includes(Number(sp.get(DEPTH_PARAM))) ? Number(sp.get(DEPTH_PARAM)) : 1;
  const [expanded, setExpanded] = useState<string[]>([]);
  const main = useQuery(trpc.lineage.graph.queryOptions({ entity, depth }, { placeholderData: (prev) => prev, staleTime: 30_000 }));
  const more = useQueries({ queries: expanded.map((id) => trpc.lineage.graph.queryOptions({ entity: id, depth: 1 }, { staleTime: 30_000 })) });
  const graph = useMemo(() => (main.data ? mergeGraphs([main.data, ...more.flatMap((q) => (q.data ? [q.data] : []))]) : null), [main.data, more]);
  const expandedSet = useMemo(() => new Set(expanded), [expanded]);
  const expand = useCallback((id: string) => setExpanded((xs) => (xs.includes(id) ? xs : [...xs, id])), []);
  const setDepth = (d: string) => {
    const next = new URLSearchParams(sp.toString());
    if (d === "1") next.delete(DEPTH_PARAM);
    else next.set(DEPTH_PARAM, d);
    const q = next.toString();
    // The section stays the target of the address, so a shared link opens on the graph.
    window.history.replaceState(null, "", `${q ? `${pathname}?${q}` : pathname}#lineage-graph`);
  };
  const busy = main.isFetching || more.some((q) => q.isFetching);

  return (
    <section
      id="lineage-graph"
      aria-labelledby="lineage-graph-heading"
      className="mt-6 scroll-mt-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="lineage-graph-heading" className="text-base font-semibold">
            <a href="#lineage-graph" className="hover:underline">
              {title}
            </a>
          </h2>
          <p className="text-sm text-muted">Upstream on the left, downstream on the right. Open a node&apos;s page, or press + to expand it here.</p>
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor="lineage-depth" className="text-sm font-medium">
            Depth
          </label>
          <Select id="lineage-depth" className="w-auto" value={String(depth)} onChange={(e) => setDepth(e.target.value)}>
            {DEPTHS.map((d) => (
              <option key={d} value={d}>
                {d} {d === 1 ? "hop" : "hops"}
              </option>
            ))}
          </Select>
          {expanded.length ? (
            <Button variant="secondary" type="button" onClick={() => setExpanded([])}>
              Collapse all
            </Button>
          ) : null}
        </div>
      </div>
      <p role="status" className="sr-only">
        {busy ? "Loading lineage…" : graph ? `Lineage loaded: ${graph.nodes.length} nodes, ${graph.edges.length} relations` : ""}
      </p>
      {main.isError ? (
        <div role="alert" className="rounded-md border border-red-300 p-3 text-sm text-red-800 dark:text-red-300">
          Could not load the lineage: {main.error.message}.{" "}
          <button type="button" className="text-link underline" onClick={() => main.refetch()}>
            Try again
          </button>
        </div>
      ) : !graph ? (
        <div aria-hidden="true" className="h-40 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800" data-testid="lineage-loading" />
      ) : graph.nodes.length <= 1 ? (
        <EmptyState title="No lineage recorded yet">
          Links appear when a run logs its datasets (MLflow <code className="font-mono text-xs">log_input</code>), a version is registered from a run, a version
          is deployed, or an alert or incident names it.
        </EmptyState>
      ) : (
        <>
          <LineageGraph
            nodes={graph.nodes}
            edges={graph.edges}
            focus={main.data?.focus ?? entity}
            expanded={expandedSet}
            onExpand={expand}
            label={`Lineage of ${name}`}
          />
          {main.data?.truncated ? (
            <p className="mt-2 text-sm text-muted">Showing the first 200 nodes; lower the depth or open a node to see the rest.</p>
          ) : null}
        </>
      )}
      <LineageImpact entity={entity} />
      <p className="mt-3 text-xs text-muted">
        As JSON:{" "}
        <a className="text-link underline" href={`/api/v1/lineage?entity=${encodeURIComponent(entity)}&depth=${depth}`}>
          {`/api/v1/lineage?entity=${entity}&depth=${depth}`}
        </a>
      </p>
    </section>
  );
}
