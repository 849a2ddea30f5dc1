import type { Metadata } from "next";
import Link from "next/link";
import { RunsExplorer } from "@/components/experiments/runs-explorer";
import { orNotFound } from "@/components/ui/or-not-found";
import { Badge } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { serverApi } from "@/server/caller";

type Params = { id: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `Experiment ${(await params).id}` };
}

export default async function ExperimentPage({ params }: { params: Promise<Params> }) {
  const { id } = await params;
  const { api } = await serverApi();
  const e = await orNotFound(api.experiments.experiment({ experimentId: id }));
  const sweeps = await api.sweeps.list({ experimentId: String(e.id) });
  const tags = e.tags.filter((t) => !t.key.startsWith("mlflow."));
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link href="/experiments" className="hover:underline">
          Experiments
        </Link>{" "}
        / #{e.id}
      </nav>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">
            {e.name} {e.lifecycleStage === "deleted" ? <Badge tone="amber">archived</Badge> : null}
          </h1>
          <p className="mt-1 flex flex-wrap items-center gap-1 text-sm text-muted">
            Created <Time value={e.createdAt} /> · artifacts in <code className="font-mono text-xs">{e.artifactLocation || `mlflow-artifacts:/${e.id}`}</code>
            {tags.map((t) => (
              <Badge key={t.key}>
                {t.key}={t.value}
              </Badge>
            ))}
          </p>
        </div>
      </div>
      {sweeps.length ? (
        <nav aria-label="Sweeps" className="mb-4 flex flex-wrap items-center gap-2 text-sm">
          <span className="text-muted">Sweeps:</span>
          {sweeps.map((sw) => (
            <Link key={sw.sweepId} className="text-link underline" href={`/experiments/${e.id}/sweeps/${sw.sweepId}`}>
              {sw.label} ({sw.trials} trials)
            </Link>
          ))}
        </nav>
      ) : null}
      <RunsExplorer experimentId={String(e.id)} />
    </>
  );
}
