import type { Metadata } from "next";
import Link from "next/link";
import { BackstageImport } from "@/components/catalog/backstage-import";
import { CatalogTable, KIND_LABEL } from "@/components/catalog/catalog-table";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/input";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { CATALOG_KINDS, CHECK_KEYS, LIFECYCLES, ZCatalogKind, ZCheckKey, ZLifecycle, ZTeamSlug } from "@/server/catalog/schemas";
import { CHECK_LABELS } from "@/server/catalog/scorecard";

export const metadata: Metadata = { title: "Catalog" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function CatalogPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  // A filter value that is not one of the choices is dropped rather than failing the page.
  const filters = {
    kind: ZCatalogKind.safeParse(one(sp.kind)).data,
    owner: ZTeamSlug.safeParse(one(sp.owner)).data,
    lifecycle: ZLifecycle.safeParse(one(sp.lifecycle)).data,
    failing: ZCheckKey.safeParse(one(sp.failing)).data,
  };
  const { api, actor } = await serverApi();
  const { entries, teams } = await api.catalog.list(filters);
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title="Catalog"
        description="Who owns each model, serving target, fleet, dataset and runbook, who is paged for it, and how each model scores on the basics."
      />
      <form method="get" className="mb-4 grid grid-cols-2 items-end gap-3 sm:grid-cols-5" aria-label="Filter the catalog">
        <Field label="Kind" htmlFor="f-kind">
          <Select id="f-kind" name="kind" defaultValue={filters.kind ?? ""}>
            <option value="">All kinds</option>
            {CATALOG_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Owner" htmlFor="f-owner">
          <Select id="f-owner" name="owner" defaultValue={filters.owner ?? ""}>
            <option value="">All teams</option>
            {teams.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Lifecycle" htmlFor="f-lifecycle">
          <Select id="f-lifecycle" name="lifecycle" defaultValue={filters.lifecycle ?? ""}>
            <option value="">Any lifecycle</option>
            {LIFECYCLES.map((l) => (
              <option key={l} value={l}>
                {l[0].toUpperCase() + l.slice(1)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Failing check" htmlFor="f-failing">
          <Select id="f-failing" name="failing" defaultValue={filters.failing ?? ""}>
            <option value="">Any scorecard</option>
            {CHECK_KEYS.map((c) => (
              <option key={c} value={c}>
                {CHECK_LABELS[c]}
              </option>
            ))}
          </Select>
        </Field>
        <div className="flex gap-2">
          <button type="submit" className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
            Apply filters
          </button>
          {filtered ? (
            <Link href="/catalog" className="px-2 py-1.5 text-sm text-link hover:underline">
              Clear
            </Link>
          ) : null}
        </div>
      </form>
      <p className="mb-2 text-sm text-muted" aria-live="polite">
        {entries.length} {entries.length === 1 ? "entry" : "entries"}
        {filters.failing ? ` failing “${CHECK_LABELS[filters.failing].toLowerCase()}”` : ""}
      </p>
      {entries.length ? (
        <CatalogTable entries={entries} label="Catalog entries" />
      ) : (
        <EmptyState title={filtered ? "Nothing in the catalog matches these filters" : "The catalog is empty"}>
          {filtered ? (
            <Link href="/catalog" className="text-link hover:underline">
              Clear the filters
            </Link>
          ) : (
            "Register a model, or import a catalog-info.yaml below, to give it an owner."
          )}
        </EmptyState>
      )}
      <Card className="mt-6">
        <h2 className="mb-1 font-semibold">Backstage</h2>
        <p className="mb-3 text-sm text-muted">
          The catalog as Backstage entities (models as ml-model Components; targets, fleets, datasets and runbooks as Resources), so Backstage shows them and
          links back here.{" "}
          <a href={`/api/v1/catalog/backstage${filters.kind ? `?kind=${filters.kind}` : ""}`} className="text-link underline" download="catalog-info.yaml">
            Download catalog-info.yaml
          </a>
        </p>
        {roleAtLeast(actor.role, "engineer") ? (
          <BackstageImport />
        ) : (
          <p className="text-sm text-muted">Importing needs the engineer role; you can download the YAML.</p>
        )}
      </Card>
    </>
  );
}
