import type { Metadata } from "next";
import Link from "next/link";
import { PortalLink } from "@/components/ui/portal-link";
import { notFound } from "next/navigation";
import { AliasBadges } from "@/components/registry/alias-badges";
import { AliasEditor } from "@/components/registry/alias-editor";
import { ArtifactPanel } from "@/components/registry/artifact-panel";
import { BreakingChangeBanner } from "@/components/registry/breaking-change-banner";
import { Breadcrumbs } from "@/components/registry/breadcrumbs";
import { ContractView } from "@/components/registry/contract-view";
import { DefinitionList } from "@/components/registry/definition-list";
import { topOperators } from "@/components/registry/format";
import { LineageView } from "@/components/registry/lineage-view";
import { ManifestEditor } from "@/components/registry/manifest-editor";
import { ManifestView } from "@/components/registry/manifest-view";
import { MarkdownText } from "@/components/registry/markdown";
import { MetricsList } from "@/components/registry/metrics-list";
import { ModelCardEditor } from "@/components/registry/model-card-editor";
import { OnnxSummary } from "@/components/registry/onnx-summary";
import { OperatorChart } from "@/components/registry/operator-chart";
import { LineageSection } from "@/components/lineage/lineage-section";
import { OperatorTable } from "@/components/registry/operator-table";
import { orNotFound, positiveInt } from "@/components/ui/or-not-found";
import { Section } from "@/components/registry/section";
import { SignatureTable } from "@/components/registry/signature-table";
import { StatusBadge } from "@/components/registry/status-badge";
import { StatusSelect } from "@/components/registry/status-select";
import { VariantComparisonPanel } from "@/components/registry/variant-comparison-panel";
import { VersionHistory } from "@/components/registry/version-history";
import { ReadinessCard } from "@/components/releases/readiness-card";
import { Badge } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { eventTypeLabel, pct } from "@/lib/safety-format";
import { compareWithParentBlocked, quantizationSummary } from "@/lib/variants";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { MODEL_CARD_TEMPLATE } from "@/server/registry/model-card";
import { ZContract, ZLineage, ZManifest } from "@/server/registry/schemas";
import { describeChange } from "@/server/registry/signature";

type Params = { slug: string; n: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { slug, n } = await params;
  return { title: `${slug} v${n}` };
}

export default async function VersionPage({ params }: { params: Promise<Params> }) {
  const { slug, n } = await params;
  const number = positiveInt(n);
  if (!number) notFound();
  const { api, actor } = await serverApi();
  const [v, { model, aliases: modelAliases }, history, readiness] = await orNotFound(
    Promise.all([
      api.registry.version({ slug, version: number }),
      api.registry.model({ slug }),
      api.registry.versionHistory({ slug, version: number }),
      api.releases.version({ slug, version: number }),
    ]),
  );
  // The safety numbers from the same service as the review, with their dataset, beside the metrics logged at registration.
  const review = await api.safety.review({ slug, candidate: number }).catch(() => null);
  const evaluated = review?.dataset ? review.rows.filter((r) => r.dimension === "all" && r.candidate) : [];
  const canEdit = roleAtLeast(actor.role, "engineer");
  // A derived version (an int8 variant, say) is measured beside its parent; the same rule refuses on the server.
  const parentHeld = v.parentVersion
    ? await api.registry.version({ slug, version: v.parentVersion }).then(
        (p) => p.artifact.held,
        () => false,
      )
    : false;
  const compareBlocked = compareWithParentBlocked({ role: actor.role, version: number, parentVersion: v.parentVersion, held: v.artifact.held, parentHeld });
  const manifest = v.manifest === null ? null : ZManifest.safeParse(v.manifest);
  const contract = v.contract === null ? null : ZContract.safeParse(v.contract);
  const lineage = ZLineage.safeParse(v.lineage ?? {});
  const production = modelAliases.find((a) => a.alias === "production");
  const ops = v.onnx ? topOperators(v.onnx.operatorHistogram, Number.MAX_SAFE_INTEGER) : [];
  const tags = Object.entries(v.tags);
  const raw = (value: unknown) => <pre className="overflow-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-800">{JSON.stringify(value, null, 2)}</pre>;
  const manifestView =
    manifest === null ? (
      <p className="text-sm text-muted">No manifest: runtimes do not know how to feed this model yet.</p>
    ) : manifest.success ? (
      <ManifestView manifest={manifest.data} />
    ) : (
      raw(v.manifest)
    );
  const cardView = v.modelCard.trim() ? <MarkdownText>{v.modelCard}</MarkdownText> : <p className="text-sm text-muted">No model card yet.</p>;

  return (
    <>
      <Breadcrumbs items={[{ label: "Models", href: "/models" }, { label: model.slug, href: `/models/${model.slug}` }, { label: `v${v.version}` }]} />
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
            {model.name} v{v.version} <StatusBadge status={v.status} />
          </h1>
          <p className="mt-1 text-sm text-muted">
            Registered <Time value={v.createdAt} /> by {v.createdBy ?? "unknown"}
          </p>
        </div>
        <nav aria-label="Related pages" className="flex flex-wrap gap-3 text-sm">
          {v.artifact.sha256 !== undefined ? (
            <PortalLink className="text-link underline" href={`/models/${model.slug}/versions/${v.version}/playground`}>
              Try in playground
            </PortalLink>
          ) : null}
          {v.version > 1 ? (
            <Link className="text-link underline" href={`/models/${model.slug}/compare?a=${v.version - 1}&b=${v.version}`}>
              Compare with v{v.version - 1}
            </Link>
          ) : null}
          {production && production.version !== v.version ? (
            <Link className="text-link underline" href={`/models/${model.slug}/compare?a=${production.version}&b=${v.version}`}>
              Compare with production (v{production.version})
            </Link>
          ) : null}
        </nav>
      </div>

      {v.breakingChange ? (
        <BreakingChangeBanner slug={model.slug} againstVersion={v.breakingChange.againstVersion} changes={v.breakingChange.changes.map(describeChange)} />
      ) : null}

      {readiness ? (
        <Section
          id="release-readiness"
          title="Release readiness"
          className="mb-4"
          actions={
            <Link className="text-sm text-link underline" href="/releases">
              All candidates
            </Link>
          }
        >
          <ReadinessCard row={readiness} headingLevel={3} bare />
        </Section>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <Section id="summary" title="Summary">
          <DefinitionList
            rows={[
              [
                "Status",
                canEdit ? (
                  <StatusSelect key="s" slug={model.slug} version={v.version} status={v.status} aliases={v.aliases} />
                ) : (
                  <StatusBadge key="s" status={v.status} />
                ),
              ],
              [
                "Created",
                <span key="c">
                  <Time value={v.createdAt} /> by {v.createdBy ?? "unknown"}
                </span>,
              ],
              ["Description", v.description ? <MarkdownText key="d">{v.description}</MarkdownText> : <span className="text-muted">none</span>],
              [
                "Aliases",
                canEdit ? (
                  <AliasEditor key="a" slug={model.slug} version={v.version} modelAliases={modelAliases.map((a) => ({ alias: a.alias, version: a.version }))} />
                ) : (
                  <AliasBadges key="a" aliases={v.aliases.map((alias) => ({ alias, version: v.version }))} />
                ),
              ],
              [
                "Metrics",
                <span key="m" className="block space-y-1">
                  <MetricsList metrics={v.metrics} />
                  <span className="block text-xs text-muted">
                    Source: logged when the version was registered
                    {lineage.success && lineage.data.sourceRunId ? ` (run ${lineage.data.sourceRunId.slice(0, 8)})` : ""}; not a safety evaluation.
                  </span>
                </span>,
              ],
              [
                "Safety evaluation",
                evaluated.length ? (
                  <span key="e" className="block space-y-0.5 text-sm">
                    {evaluated.map((r) => (
                      <span key={r.eventType} className="block">
                        {eventTypeLabel(r.eventType)}: recall {pct(r.candidate!.recall?.value)}, precision {pct(r.candidate!.precision?.value)}
                      </span>
                    ))}
                    <span className="block text-xs text-muted">
                      Source: evaluation on {review!.dataset}.{" "}
                      <Link className="text-link underline" href={`/safety/review/${slug}?candidate=${number}`}>
                        Release review
                      </Link>
                    </span>
                  </span>
                ) : (
                  <span key="e" className="text-muted">
                    none posted
                  </span>
                ),
              ],
              [
                "Tags",
                tags.length ? (
                  <span key="t" className="flex flex-wrap gap-1">
                    {tags.map(([k, val]) => (
                      <Badge key={k}>{val ? `${k}: ${val}` : k}</Badge>
                    ))}
                  </span>
                ) : undefined,
              ],
            ]}
          />
        </Section>
        <ArtifactPanel slug={model.slug} version={v.version} artifact={v.artifact} tags={v.tags} canEdit={canEdit} />
      </div>

      <div className="mt-4 space-y-4">
        {v.parentVersion ? (
          <VariantComparisonPanel
            slug={model.slug}
            version={v.version}
            parentVersion={v.parentVersion}
            blocked={compareBlocked}
            method={quantizationSummary(v.tags ?? {})}
          />
        ) : null}
        {v.onnx ? (
          <>
            <div className="grid gap-4 lg:grid-cols-[1fr_2fr]">
              <Section id="onnx" title="ONNX summary">
                <OnnxSummary onnx={v.onnx} />
              </Section>
              <Section id="signature" title="Signature">
                <SignatureTable inputs={v.onnx.inputs} outputs={v.onnx.outputs} />
              </Section>
            </div>
            <Section id="operators" title={ops.length > 20 ? "Operators (top 20 by count)" : "Operators"}>
              {ops.length ? (
                <>
                  <OperatorChart
                    data={ops.slice(0, 20)}
                    label={`Operator counts: ${ops
                      .slice(0, 20)
                      .map((o) => `${o.op} ${o.count}`)
                      .join(", ")}`}
                  />
                  <OperatorTable data={ops} />
                </>
              ) : (
                <p className="text-sm text-muted">The graph has no nodes.</p>
              )}
            </Section>
          </>
        ) : (
          <Section id="onnx" title="ONNX summary">
            <p className="text-sm text-muted">No ONNX summary: Sentinel parses only files it holds, and this version has none.</p>
          </Section>
        )}

        <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
          {canEdit ? (
            <ManifestEditor slug={model.slug} version={v.version} manifest={manifest?.success ? manifest.data : null}>
              {manifestView}
            </ManifestEditor>
          ) : (
            <Section id="manifest" title="Runtime manifest">
              {manifestView}
            </Section>
          )}
          <div className="space-y-4">
            <Section id="contract" title="Compatibility contract">
              {contract === null ? (
                <p className="text-sm text-muted">No contract recorded.</p>
              ) : contract.success ? (
                <ContractView contract={contract.data} />
              ) : (
                raw(v.contract)
              )}
            </Section>
            <Section id="lineage" title="Lineage">
              {lineage.success ? <LineageView lineage={lineage.data} slug={model.slug} parentVersion={v.parentVersion} /> : raw(v.lineage)}
            </Section>
          </div>
        </div>

        <LineageSection entity={`version:${model.slug}/${number}`} name={`${model.name} v${number}`} />

        {canEdit ? (
          <ModelCardEditor slug={model.slug} version={v.version} card={v.modelCard} template={MODEL_CARD_TEMPLATE}>
            {cardView}
          </ModelCardEditor>
        ) : (
          <Section id="model-card" title="Model card">
            {cardView}
          </Section>
        )}

        <Section id="history" title="History">
          <VersionHistory entries={history} />
        </Section>
      </div>
    </>
  );
}
