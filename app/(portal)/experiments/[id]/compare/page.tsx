import type { Metadata } from "next";
import Link from "next/link";
import { CompareView } from "@/components/experiments/compare-view";
import { orNotFound } from "@/components/ui/or-not-found";
import { EmptyState } from "@/components/ui/card";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Compare runs" };
type Params = { id: string };
type SP = Record<string, string | string[] | undefined>;
const MAX_RUNS = 200;

export default async function ComparePage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<SP> }) {
  const { id } = await params;
  const raw = (await searchParams).runs;
  const ids = [
    ...new Set(
      (Array.isArray(raw) ? raw.join(",") : (raw ?? ""))
        .split(",")
        .map((s) => s.trim())
        .filter((s) => /^[\w-]{1,256}$/.test(s)),
    ),
  ];
  const { api } = await serverApi();
  const e = await orNotFound(api.experiments.experiment({ experimentId: id }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link href="/experiments" className="hover:underline">
          Experiments
        </Link>{" "}
        /{" "}
        <Link href={`/experiments/${e.id}`} className="hover:underline">
          {e.name}
        </Link>{" "}
        / compare
      </nav>
      <h1 className="mb-4 text-xl font-semibold tracking-tight">Compare {Math.min(ids.length, MAX_RUNS)} runs</h1>
      {ids.length > MAX_RUNS ? (
        <p className="mb-3 text-sm text-amber-700 dark:text-amber-300">
          Comparing the first {MAX_RUNS} of {ids.length} selected runs.
        </p>
      ) : null}
      {ids.length ? (
        <CompareView experimentId={String(e.id)} runIds={ids.slice(0, MAX_RUNS)} />
      ) : (
        <EmptyState title="No runs chosen">
          Select runs in the{" "}
          <Link href={`/experiments/${e.id}`} className="text-link underline">
            runs table
          </Link>{" "}
          and press “Compare”.
        </EmptyState>
      )}
    </>
  );
}
