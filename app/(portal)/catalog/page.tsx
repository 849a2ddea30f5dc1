import type { Metadata } from "next";
import Link from "next/link";
import { BackstageImport } from "@/components/catalog/backstage-import";
import { CatalogTable, KIND_LABEL } from "@/components/catalog/catalog-table";
import { Button } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/input";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { CATALOG_KINDS, CHECK_KEYS, checkInSentence, LIFECYCLES, ZCatalogKind, ZCheckKey, ZLifecycle, ZTeamSlug } from "@/server/catalog/schemas";
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
        <FilterSelect label="Kind" name="kind" value={filters.kind} any="All kinds" options={CATALOG_KINDS.map((k) => [k, KIND_LABEL[k]])} />
        <FilterSelect label="Owner" name="owner" value={filters.owner} any="All teams" options={teams.map((t) => [t.slug, t.name])} />
        <FilterSelect
          label="Lifecycle"
          name="lifecycle"
          value={filters.lifecycle}
          any="Any lifecycle"
          options={LIFECYCLES.map((l) => [l, l[0].toUpperCase() + l.slice(1)])}
        />
        <FilterSelect label="Failing check" name="failing" value={filters.failing} any="Any scorecard" options={CHECK_KEYS.map((c) => [c, CHECK_LABELS[c]])} />
        <div className="flex gap-2">
          <Button type="submit">Apply filters</Button>
          {filtered ? (
            <Link href="/catalog" className="px-2 py-1.5 text-sm text-link hover:underline">
              Clear
            </Link>
          ) : null}
        </div>
      </form>
      <p className="mb-2 text-sm text-muted" aria-live="polite">
        {entries.length} {entries.length === 1 ? "entry" : "entries"}
        {filters.failing ? ` failing “${checkInSentence(CHECK_LABELS[filters.failing])}”` : ""}
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

/** One filter of the form: a labelled select whose empty choice means "any". */
function FilterSelect({ label, name, value, any, options }: { label: string; name: string; value?: string; any: string; options: [string, string][] }) {
  return (
    <Field label={label} htmlFor={`f-${name}`}>
      <Select id={`f-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">{any}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </Select>
    </Field>
  );
}
