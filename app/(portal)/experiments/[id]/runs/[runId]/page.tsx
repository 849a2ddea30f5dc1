import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { RunView } from "@/components/experiments/run-view";
import { LineageSection } from "@/components/lineage/lineage-section";
import { orNotFound } from "@/components/ui/or-not-found";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";

type Params = { id: string; runId: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `Run ${(await params).runId.slice(0, 8)}` };
}

export default async function RunPage({ params }: { params: Promise<Params> }) {
  const { id, runId } = await params;
  const { api, actor } = await serverApi();
  const [run, sweep] = await orNotFound(Promise.all([api.experiments.getRun({ runId }), api.sweeps.forRun({ runId })]));
  // A run linked under the wrong experiment goes to its own, so every run has one address.
  if (String(run.info.experimentId) !== id) redirect(`/experiments/${run.info.experimentId}/runs/${runId}`);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link href="/experiments" className="hover:underline">
          Experiments
        </Link>{" "}
        /{" "}
        <Link href={`/experiments/${id}`} className="hover:underline">
          {run.experiment.name}
        </Link>{" "}
        / run
      </nav>
      {sweep ? (
        <p className="mb-2 text-sm">
          <Link className="text-link underline" href={`/experiments/${sweep.experimentId}/sweeps/${sweep.sweepId}`}>
            {sweep.role === "parent" ? `Open the sweep of ${sweep.trials} trials this run is the parent of` : `Part of sweep ${sweep.label}: open the sweep`}
          </Link>
        </p>
      ) : null}
      <RunView initial={run} canEdit={roleAtLeast(actor.role, "engineer")} />
      <LineageSection entity={`run:${runId}`} name={run.info.runName || `run ${runId.slice(0, 8)}`} />
    </>
  );
}
