import type { Metadata } from "next";
import { LineageSection } from "@/components/lineage/lineage-section";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { orNotFound } from "@/components/ui/or-not-found";
import { serverApi } from "@/server/caller";
import { KIND_NAME } from "@/components/lineage/kinds";

export const metadata: Metadata = { title: "Lineage" };

type Search = Promise<Record<string, string | string[] | undefined>>;

// The lineage of any entity by address (/lineage?entity=<kind>:<id>): the page of entities with no page of
// their own (MLflow datasets, targets) and a place to share a graph from.
export default async function LineagePage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const entity = typeof sp.entity === "string" ? sp.entity : "";
  if (!entity) {
    return (
      <>
        <PageHeader title="Lineage" />
        <EmptyState title="Pick an entity to trace">
          Open the lineage graph from a run, model version, deployment or incident page, or add{" "}
          <code className="font-mono text-xs">?entity=run:&lt;run id&gt;</code> to this address.
        </EmptyState>
      </>
    );
  }
  const { api } = await serverApi();
  const g = await orNotFound(api.lineage.graph({ entity, depth: 1 }));
  const focus = g.nodes.find((n) => n.id === g.focus);
  const title = focus ? `${KIND_NAME[focus.kind]}: ${focus.label}` : "Lineage";
  const facts = focus ? Object.entries(focus.meta).filter(([, v]) => v !== null && v !== "") : [];
  return (
    <>
      <PageHeader title={title} description="Where it came from, and what depends on it." />
      {facts.length ? (
        <dl className="mb-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          {facts.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted">{k}</dt>
              <dd className="break-all font-mono text-xs leading-5">{String(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <LineageSection entity={g.focus} name={focus?.label ?? entity} />
    </>
  );
}
