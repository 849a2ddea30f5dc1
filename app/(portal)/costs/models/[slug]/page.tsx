import type { Metadata } from "next";
import Link from "next/link";
import { DailyKindChart } from "@/components/cost/daily-kind-chart";
import { MonthNav } from "@/components/cost/month-nav";
import { orNotFound } from "@/components/ui/or-not-found";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { money, percentOf, prepareDailyByKind, RESOURCE_KIND_LABELS } from "@/lib/cost-format";
import { formatCount } from "@/lib/format";
import { serverApi } from "@/server/caller";

type Params = { slug: string };
const ZMonth = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `Cost · ${(await params).slug}` };
}

export default async function ModelCostPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ month?: string }> }) {
  const { slug } = await params;
  const sp = await searchParams;
  const { api } = await serverApi();
  const c = await orNotFound(api.cost.model({ slug, month: sp.month && ZMonth.test(sp.month) ? sp.month : undefined }));
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
      <PageHeader title={`Cost: ${c.model.name}`} description={`Team ${c.model.team}. ${money(c.totalMicros)} in ${c.month}${c.asOf ? ` to ${c.asOf}` : ""}.`} />
      <div className="mb-4 flex items-center gap-4">
        <MonthNav month={c.month} base={`/costs/models/${slug}`} />
        <Link className="text-sm text-brand-600 underline" href={`/costs?month=${c.month}`}>
          All costs
        </Link>
      </div>
      <h2 className="mb-2 text-base font-semibold">By environment and resource</h2>
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
      <h2 className="mb-2 text-base font-semibold">Version over version</h2>
      <Table className="mb-6">
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Spend</Th>
            <Th>Inferences</Th>
            <Th>Cost per 1,000 inferences</Th>
            <Th>Against the cheapest</Th>
          </tr>
        </thead>
        <tbody>
          {c.versions.map((v) => (
            <tr key={v.version ?? "none"}>
              <Td>{v.version === null ? "untagged" : `v${v.version}`}</Td>
              <Td className="tabular-nums">{money(v.micros)}</Td>
              <Td className="tabular-nums">
                {v.inferences === null ? "no counts" : formatCount(v.inferences)} {v.inferenceSource?.includes("demo") ? <Badge tone="amber">demo counts</Badge> : null}
              </Td>
              <Td className="tabular-nums">{v.microsPer1k === null ? "—" : money(Math.round(v.microsPer1k), 4)}</Td>
              <Td className="tabular-nums">{cheapest && v.microsPer1k !== null && cheapest !== v ? `+${(percentOf(Math.round(v.microsPer1k), Math.round(cheapest.microsPer1k!)) ?? 100) - 100}%` : "—"}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2 className="mb-2 text-base font-semibold">Daily spend</h2>
      <Card>{chart.data.length ? <DailyKindChart data={chart.data} kinds={["other"]} labels={{ other: "Spend" }} anomalies={[]} /> : <EmptyState title="No complete day yet" />}</Card>
    </>
  );
}
