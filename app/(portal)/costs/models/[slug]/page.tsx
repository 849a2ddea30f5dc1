import type { Metadata } from "next";
import Link from "next/link";
import { CostFilters } from "@/components/cost/cost-filters";
import { DailyKindChart } from "@/components/cost/daily-kind-chart";
import { MonthNav } from "@/components/cost/month-nav";
import { orNotFound } from "@/components/ui/or-not-found";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { money, percentOf, prepareDailyByKind, RESOURCE_KIND_LABELS } from "@/lib/cost-format";
import { formatBytes, formatCount } from "@/lib/format";
import { ZModelCostQuery } from "@/server/cost/schemas";
import { serverApi } from "@/server/caller";

type Params = { slug: string };
type Search = { month?: string; environment?: string; kind?: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `Cost · ${(await params).slug}` };
}

export default async function ModelCostPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { slug } = await params;
  const sp = await searchParams;
  const { api } = await serverApi();
  // Only filters that parse are applied: a hand-edited URL still shows the page.
  const q: Search = {};
  for (const k of ["month", "environment", "kind"] as const) if (sp[k] && ZModelCostQuery.safeParse({ slug, [k]: sp[k] }).success) q[k] = sp[k];
  const c = await orNotFound(api.cost.model({ slug, ...q } as Parameters<typeof api.cost.model>[0]));
  const exportHref = (table: string) =>
    `/api/v1/costs/export?${new URLSearchParams({ table, slug, month: c.month, ...(c.filters.environment ? { environment: c.filters.environment } : {}), ...(c.filters.kind ? { kind: c.filters.kind } : {}) })}`;
  const csvLink = (table: string, what: string) => (
    <a className="text-xs font-normal text-link underline" href={exportHref(table)} aria-label={`Export ${what} as CSV`}>
      CSV
    </a>
  );
  const envs = [...new Set(c.breakdown.map((b) => b.environment))];
  const kinds = [...new Set(c.breakdown.map((b) => b.kind))];
  const cell = (env: string, kind: string) => c.breakdown.find((b) => b.environment === env && b.kind === kind)?.micros ?? null;
  const chart = prepareDailyByKind(
    c.daily.map((d) => ({ day: d.day, kind: "other", micros: d.micros })),
    c.daily.map((d) => d.day),
  );
  const cheapest = c.versions.filter((v) => v.microsPer1k !== null).sort((a, b) => a.microsPer1k! - b.microsPer1k!)[0];
  return (
    <>
      <PageHeader
        title={`Cost: ${c.model.name}`}
        description={`Team ${c.model.team}. ${money(c.totalMicros)} in ${c.month}${c.asOf ? ` to ${c.asOf}` : ""}.`}
      />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <MonthNav month={c.month} base={`/costs/models/${slug}`} keep={c.filters} />
        <Link className="text-sm text-link underline" href={`/costs?month=${c.month}`}>
          All costs
        </Link>
        <div className="ml-auto">
          <CostFilters base={`/costs/models/${slug}`} month={c.month} values={c.filters} environments={c.environments} />
        </div>
      </div>
      <h2 className="mb-2 text-base font-semibold">By environment and resource {csvLink("breakdown", "the breakdown")}</h2>
      {c.breakdown.length ? (
        <Table className="mb-6">
          <thead>
            <tr>
              <Th>Environment</Th>
              {kinds.map((k) => (
                <Th key={k}>{RESOURCE_KIND_LABELS[k]}</Th>
              ))}
              <Th>Total</Th>
            </tr>
          </thead>
          <tbody>
            {envs.map((e) => (
              <tr key={e}>
                <Td className="font-medium">{e}</Td>
                {kinds.map((k) => (
                  <Td key={k} className="tabular-nums">
                    {money(cell(e, k))}
                  </Td>
                ))}
                <Td className="tabular-nums font-medium">{money(c.breakdown.filter((b) => b.environment === e).reduce((a, b) => a + b.micros, 0))}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <EmptyState title={`No cost recorded for ${c.model.slug} in ${c.month}`} />
      )}
      <h2 className="mb-2 text-base font-semibold">Version over version {csvLink("model-versions", "cost per version")}</h2>
      <Table className="mb-6">
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Spend</Th>
            <Th>Inferences</Th>
            <Th>Cost per 1,000 inferences</Th>
            <Th>Against the cheapest</Th>
            <Th>Devices</Th>
            <Th>Cost per device-month</Th>
          </tr>
        </thead>
        <tbody>
          {c.versions.map((v) => (
            <tr key={v.version ?? "none"}>
              <Td>{v.version === null ? "untagged" : `v${v.version}`}</Td>
              <Td className="tabular-nums">{money(v.micros)}</Td>
              <Td className="tabular-nums">
                {v.inferences === null ? "no counts" : formatCount(v.inferences)}{" "}
                {v.inferenceSource?.includes("demo") ? <Badge tone="amber">demo counts</Badge> : null}
              </Td>
              <Td className="tabular-nums">{v.microsPer1k === null ? "—" : money(Math.round(v.microsPer1k), 4)}</Td>
              <Td className="tabular-nums">
                {cheapest && v.microsPer1k !== null && cheapest !== v
                  ? `+${(percentOf(Math.round(v.microsPer1k), Math.round(cheapest.microsPer1k!)) ?? 100) - 100}%`
                  : "—"}
              </Td>
              <Td className="tabular-nums">{v.devices ? formatCount(v.devices) : "—"}</Td>
              <Td className="tabular-nums">{v.microsPerDeviceMonth === null ? "—" : money(Math.round(v.microsPerDeviceMonth), 4)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="-mt-4 mb-6 text-xs text-muted">
        Devices: vehicles on edge fleets running the version now (a canary gets its rollout step&apos;s share). A device-month scales the month so far to the
        whole month.
      </p>

      <h2 className="mb-2 text-base font-semibold">OTA rollout bandwidth {csvLink("ota", "the OTA estimate")}</h2>
      <Table className="mb-2">
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Artifact size</Th>
            <Th>Devices on fleets</Th>
            <Th>Estimated rollout cost</Th>
          </tr>
        </thead>
        <tbody>
          {c.ota.versions.map((v) => (
            <tr key={v.version}>
              <Td>v{v.version}</Td>
              <Td className="tabular-nums">
                {v.sizeBytes === null ? (v.heldAsUri ? "held as a URI: size unknown" : "no artifact") : formatBytes(v.sizeBytes)}
              </Td>
              <Td className="tabular-nums">{formatCount(c.ota.fleetDevices)}</Td>
              <Td className="tabular-nums">{v.micros === null ? "—" : money(v.micros)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="mb-6 text-xs text-muted">
        Estimate: artifact size × every device of the edge fleets this model is deployed to × ${c.ota.usdPerGb} per GB of CDN egress (an assumed list price, not
        a bill).
      </p>

      <h2 className="mb-2 text-base font-semibold">Daily spend</h2>
      <Card>
        {chart.data.length ? (
          <DailyKindChart data={chart.data} kinds={["other"]} labels={{ other: "Spend" }} anomalies={[]} />
        ) : (
          <EmptyState title="No complete day yet" />
        )}
      </Card>
    </>
  );
}
