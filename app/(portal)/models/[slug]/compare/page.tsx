import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumbs } from "@/components/registry/breadcrumbs";
import { CompareForm } from "@/components/registry/compare-form";
import { metricRows, objectRows, operatorRows, overviewRows, signatureRows, type TextRow } from "@/components/registry/compare-rows";
import { CompareTable } from "@/components/registry/compare-table";
import { orNotFound, positiveInt } from "@/components/ui/or-not-found";
import { Section } from "@/components/registry/section";
import { EmptyState } from "@/components/ui/card";
import { serverApi } from "@/server/caller";
import { describeChange } from "@/server/registry/signature";

type Params = { slug: string };
type SP = { a?: string | string[]; b?: string | string[] };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `Compare · ${(await params).slug}` };
}

function differing(rows: TextRow[]): string {
  const n = rows.filter((r) => r.differs).length;
  return n ? `${n} of ${rows.length} differ` : "identical";
}

export default async function ComparePage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<SP> }) {
  const { slug } = await params;
  const sp = await searchParams;
  const a = positiveInt(sp.a);
  const b = positiveInt(sp.b);
  const { api } = await serverApi();
  const { model, versions } = await orNotFound(api.registry.model({ slug }));
  const numbers = versions.map((v) => v.number);
  const crumbs = [{ label: "Models", href: "/models" }, { label: model.slug, href: `/models/${model.slug}` }, { label: "Compare" }];

  if (!a || !b) {
    return (
      <>
        <Breadcrumbs items={crumbs} />
        <h1 className="mb-4 text-xl font-semibold tracking-tight">Compare versions of {model.name}</h1>
        {numbers.length ? (
          <>
            {numbers.length === 1 ? <p className="mb-3 text-sm text-muted">This model has one version so far; register another to see differences.</p> : null}
            <CompareForm slug={model.slug} versions={numbers} />
          </>
        ) : (
          <EmptyState title="No versions to compare">Upload versions first.</EmptyState>
        )}
      </>
    );
  }

  const cmp = await orNotFound(api.registry.compare({ slug: model.slug, a, b }));
  const overview = overviewRows(cmp);
  const signature = signatureRows(cmp);
  const operators = operatorRows(cmp);
  const manifest = objectRows(cmp.a.manifest, cmp.b.manifest);
  const contract = objectRows(cmp.a.contract, cmp.b.contract);
  const metrics = metricRows(cmp);
  const bothParsed = cmp.a.onnx !== null && cmp.b.onnx !== null;
  const unparsed = [cmp.a, cmp.b].filter((v) => v.onnx === null).map((v) => `v${v.version}`);

  return (
    <>
      <Breadcrumbs items={crumbs} />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">
            {model.name}: v{a} → v{b}
          </h1>
          <p className="mt-1 text-sm text-muted">
            Differences are highlighted.{" "}
            <Link href={`/models/${model.slug}/compare?a=${b}&b=${a}`} className="text-link underline">
              Swap sides
            </Link>
          </p>
        </div>
        <CompareForm slug={model.slug} versions={numbers} a={a} b={b} />
      </div>
      {a === b ? (
        <p className="mb-4 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          Both sides are v{a}; pick two different versions to see differences.
        </p>
      ) : null}

      <div className="space-y-4">
        <Section id="signature-changes" title="Signature changes">
          {!bothParsed ? (
            <p className="text-sm text-muted">
              Unknown: {unparsed.join(" and ")} hold{unparsed.length === 1 ? "s" : ""} no file, so there is no parsed signature to compare.
            </p>
          ) : cmp.signatureChanges.length ? (
            <div
              role="alert"
              className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
            >
              <p className="text-sm font-medium">
                A caller of v{a} would notice {cmp.signatureChanges.length === 1 ? "this change" : `these ${cmp.signatureChanges.length} changes`} in v{b}:
              </p>
              <ul className="mt-1 list-disc pl-5 font-mono text-sm">
                {cmp.signatureChanges.map(describeChange).map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-sm">
              None: a caller of v{a} can use v{b} without changes.
            </p>
          )}
        </Section>

        <Section id="overview" title={`Overview (${differing(overview)})`}>
          <CompareTable slug={model.slug} rows={overview} a={a} b={b} caption="Overview" />
        </Section>

        {signature.length ? (
          <Section id="signature" title={`Signature (${differing(signature)})`}>
            <CompareTable slug={model.slug} rows={signature} a={a} b={b} caption="Signature" mono />
          </Section>
        ) : null}

        {operators.length ? (
          <Section id="operators" title={`Operators (${differing(operators)})`}>
            <CompareTable slug={model.slug} rows={operators} a={a} b={b} caption="Operator counts" withChange mono />
          </Section>
        ) : null}

        <div className="grid gap-4 lg:grid-cols-2">
          <Section id="manifest" title={manifest.length ? `Manifest (${differing(manifest)})` : "Manifest"}>
            {manifest.length ? (
              <CompareTable slug={model.slug} rows={manifest} a={a} b={b} caption="Manifest" mono />
            ) : (
              <p className="text-sm text-muted">Neither version has a manifest.</p>
            )}
          </Section>
          <div className="space-y-4">
            <Section id="metrics" title={metrics.length ? `Metrics (${differing(metrics)})` : "Metrics"}>
              {metrics.length ? (
                <CompareTable slug={model.slug} rows={metrics} a={a} b={b} caption="Metrics" withChange mono />
              ) : (
                <p className="text-sm text-muted">Neither version has metrics.</p>
              )}
            </Section>
            <Section id="contract" title={contract.length ? `Contract (${differing(contract)})` : "Contract"}>
              {contract.length ? (
                <CompareTable slug={model.slug} rows={contract} a={a} b={b} caption="Compatibility contract" mono />
              ) : (
                <p className="text-sm text-muted">Neither version has a contract.</p>
              )}
            </Section>
          </div>
        </div>
      </div>
    </>
  );
}
