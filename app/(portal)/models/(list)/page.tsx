// In a route group so its loading skeleton wraps only the list: a loading boundary above the model pages would start streaming and turn their 404s into 200s.
import type { Metadata } from "next";
import Link from "next/link";
import { CreateModelButton } from "@/components/registry/create-model-button";
import { ModelFilters } from "@/components/registry/model-filters";
import { ModelsTable } from "@/components/registry/models-table";
import { Pager } from "@/components/registry/pager";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { ZListModels } from "@/server/registry/schemas";

export const metadata: Metadata = { title: "Models" };

const PAGE_SIZE = 25;
type SP = Record<string, string | string[] | undefined>;

export default async function ModelsPage({ searchParams }: { searchParams: Promise<SP> }) {
  const raw = await searchParams;
  const one = (k: string) => {
    const v = raw[k];
    const s = (Array.isArray(v) ? v[0] : v)?.trim();
    return s || undefined;
  };
  const f = ZListModels.shape;
  // Each param is checked on its own, so one bad value is ignored rather than failing the page.
  const input = {
    q: f.q.safeParse(one("q")).data,
    team: f.team.safeParse(one("team")).data,
    task: f.task.safeParse(one("task")).data,
    alias: f.alias.safeParse(one("alias")).data,
    status: f.status.safeParse(one("status")).data,
    sort: f.sort.safeParse(one("sort")).data ?? "updated",
    page: f.page.safeParse(one("page")).data ?? 1,
  };
  const { api, actor } = await serverApi();
  const list = await api.registry.list({ ...input, pageSize: PAGE_SIZE });
  const canEdit = roleAtLeast(actor.role, "engineer");
  const filters = { q: input.q, team: input.team, task: input.task, alias: input.alias, status: input.status, sort: input.sort };
  const query = Object.fromEntries(Object.entries(filters).filter((e): e is [string, string] => !!e[1] && !(e[0] === "sort" && e[1] === "updated")));
  const filtered = Object.keys(query).length > 0;

  return (
    <>
      <PageHeader title="Models" description="Every registered model, its aliases and its latest version." actions={canEdit ? <CreateModelButton /> : null} />
      <ModelFilters values={filters} />
      {list.items.length ? (
        <ModelsTable items={list.items} />
      ) : list.total > 0 ? (
        <EmptyState title={`Nothing on page ${input.page}`}>
          <Link href={{ pathname: "/models", query }} className="text-link underline">
            Go to the first page
          </Link>
        </EmptyState>
      ) : filtered ? (
        <EmptyState title="No models match these filters">Change or clear the filters to see more.</EmptyState>
      ) : (
        <EmptyState title="No models yet">
          {canEdit ? "Create one, then upload its first ONNX version." : "Engineers register models here; ask one to add yours."}
        </EmptyState>
      )}
      {list.total > 0 || input.page > 1 ? <Pager pathname="/models" query={query} page={list.page} pageSize={list.pageSize} total={list.total} /> : null}
    </>
  );
}
