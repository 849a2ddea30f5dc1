// In a route group so its loading skeleton wraps only the list, not the experiment pages (whose 404s must stay 404s).
import type { Metadata } from "next";
import Link from "next/link";
import { ArchiveButton } from "@/components/experiments/archive-button";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { formatCount } from "@/lib/format";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Experiments" };
type SP = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export default async function ExperimentsPage({ searchParams }: { searchParams: Promise<SP> }) {
  const sp = await searchParams;
  const q = one(sp.q)?.slice(0, 200);
  const includeArchived = one(sp.archived) === "1";
  const { api, actor } = await serverApi();
  const list = await api.experiments.listExperiments({ q, includeArchived, limit: 500 });
  const canEdit = roleAtLeast(actor.role, "engineer");
  return (
    <>
      <PageHeader title="Experiments" description="Training runs logged by jobs and the MLflow client, grouped by experiment." />
      <form role="search" aria-label="Search experiments" action="/experiments" className="mb-4 flex flex-wrap items-center gap-3">
        <Input name="q" type="search" defaultValue={q} placeholder="Search experiment names" aria-label="Search experiments" className="max-w-sm" />
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" name="archived" value="1" defaultChecked={includeArchived} /> Include archived
        </label>
        <Button type="submit">Search</Button>
        {q || includeArchived ? (
          <Link href="/experiments" className="text-sm text-link underline">
            Clear
          </Link>
        ) : null}
      </form>
      {list.items.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Experiment</Th>
              <Th className="text-right">Runs</Th>
              <Th>Last activity</Th>
              <Th>Owner</Th>
              <Th>Tags</Th>
              {canEdit ? <Th className="sr-only">Actions</Th> : null}
            </tr>
          </thead>
          <tbody>
            {list.items.map((e) => (
              <tr key={e.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-900/60">
                <Td>
                  <Link href={`/experiments/${e.id}`} className="font-medium text-link hover:underline">
                    {e.name}
                  </Link>
                  <span className="ml-2 font-mono text-xs text-muted">#{e.id}</span>
                  {e.archived ? (
                    <span className="ml-2">
                      <Badge tone="amber">archived</Badge>
                    </span>
                  ) : null}
                </Td>
                <Td className="text-right tabular-nums">{formatCount(e.runCount)}</Td>
                <Td className="whitespace-nowrap">
                  <Time value={e.lastActivity} />
                </Td>
                <Td>{e.owner ?? <span className="text-muted">MLflow client</span>}</Td>
                <Td>
                  <div className="flex max-w-md flex-wrap gap-1">
                    {Object.entries(e.tags)
                      .filter(([k]) => !k.startsWith("mlflow."))
                      .map(([k, v]) => (
                        <Badge key={k}>
                          {k}={v}
                        </Badge>
                      ))}
                  </div>
                </Td>
                {canEdit ? (
                  <Td className="text-right">{e.id === "0" && !e.archived ? null : <ArchiveButton id={e.id} name={e.name} archived={e.archived} />}</Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      ) : q ? (
        <EmptyState title={`No experiment matches “${q}”`}>Try another name, or include archived experiments.</EmptyState>
      ) : (
        <EmptyState title="No experiments yet">
          Point a training job at Sentinel with <code className="font-mono">MLFLOW_TRACKING_URI</code> and an API token; its runs appear here.
        </EmptyState>
      )}
      {list.total > list.items.length ? (
        <p className="mt-2 text-sm text-muted">
          Showing {list.items.length} of {formatCount(list.total)}; search to narrow down.
        </p>
      ) : null}
    </>
  );
}
