import type { Metadata } from "next";
import Link from "next/link";
import { RunStatusBadge } from "@/components/experiments/status-badge";
import { SweepView } from "@/components/sweeps/sweep-view";
import { orNotFound } from "@/components/ui/or-not-found";
import { serverApi } from "@/server/caller";

type Params = { id: string; sweepId: string };
type SP = Record<string, string | string[] | undefined>;

export const metadata: Metadata = { title: "Sweep" };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function SweepPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<SP> }) {
  const { id, sweepId } = await params;
  const sp = await searchParams;
  const objective = one(sp.objective)?.slice(0, 250);
  const dir = one(sp.direction);
  const direction = dir === "min" || dir === "max" ? dir : undefined;
  const { api } = await serverApi();
  const s = await orNotFound(api.sweeps.get({ experimentId: id, sweepId, objective, direction }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link href="/experiments" className="hover:underline">
          Experiments
        </Link>{" "}
        /{" "}
        <Link href={`/experiments/${s.sweep.experiment.id}`} className="hover:underline">
          {s.sweep.experiment.name}
        </Link>{" "}
        / sweep
      </nav>
      <div className="mb-4">
        <h1 className="text-xl font-semibold tracking-tight">Sweep {s.sweep.label}</h1>
        <p className="mt-1 flex flex-wrap items-center gap-1.5 text-sm text-muted">
          {s.trialCount} trials
          {s.statusCounts.map((c) => (
            <span key={c.status} className="inline-flex items-center gap-1">
              <RunStatusBadge status={c.status} /> {c.trials}
            </span>
          ))}
          {s.sweep.parent ? (
            <>
              · parent run{" "}
              <Link className="text-link underline" href={`/experiments/${s.sweep.experiment.id}/runs/${s.sweep.parent.runId}`}>
                {s.sweep.parent.runName || s.sweep.parent.runId}
              </Link>
            </>
          ) : (
            <> · runs tagged sweep={s.sweep.label}</>
          )}
        </p>
      </div>
      <SweepView experimentId={s.sweep.experiment.id} sweepId={sweepId} initial={s} initialQuery={{ objective, direction }} />
    </>
  );
}
