import type { Metadata } from "next";
import { ReadinessCard, rowAnchor } from "@/components/releases/readiness-card";
import { Verdict } from "@/components/releases/verdict";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Term } from "@/components/ui/term";
import { serverApi } from "@/server/caller";
import { costChangeWords, per1kWords, rowTitle } from "@/lib/release-words";

export const metadata: Metadata = { title: "Release readiness" };

const button = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

export default async function ReleasesPage() {
  const { api } = await serverApi();
  const rows = await api.releases.list();
  return (
    <>
      <PageHeader
        title="Release readiness"
        description="Every version on its way to production, with whether it can ship and why, what it costs to run, and where it is rolling out. The numbers are the ones the safety review, the deployment gates and the cost pages show."
        actions={
          <span data-print-hide className="flex flex-wrap gap-2">
            <a className={button} href="/api/v1/releases?format=csv" download>
              Download CSV
            </a>
            <a className={button} href="/api/v1/releases?format=markdown" download>
              Download release note (Markdown)
            </a>
          </span>
        }
      />
      {rows.length ? (
        <>
          <Table label="Candidate versions">
            <thead>
              <tr>
                <Th className="min-w-48">Verdict</Th>
                <Th>Version</Th>
                <Th>Cost per 1,000 inferences</Th>
                <Th>Against production</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={rowAnchor(r)}>
                  <Td className="w-2/5 min-w-48">
                    <Verdict verdict={r.verdict} compact />
                  </Td>
                  <Td className="whitespace-nowrap">
                    <a className="font-medium text-link underline" href={`#${rowAnchor(r)}`}>
                      {rowTitle(r)}
                    </a>
                  </Td>
                  <Td className="tabular-nums">{per1kWords(r.cost.microsPer1k)}</Td>
                  <Td className="text-sm">{costChangeWords(r)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <p className="mt-2 text-xs text-muted">
            <Term k="regressed">Worse than production</Term> counts only what is worse by more than chance explains. All terms:{" "}
            <a className="text-link underline" href="/glossary">
              glossary
            </a>
            .
          </p>
          <div className="mt-6 space-y-4">
            {rows.map((r) => (
              <ReadinessCard key={rowAnchor(r)} row={r} />
            ))}
          </div>
        </>
      ) : (
        <EmptyState title="Nothing waiting to ship">
          Every model&apos;s newest version is already in production. A version shows here once it is newer than production (and not a draft) or a canary starts
          sending it out.
        </EmptyState>
      )}
    </>
  );
}
