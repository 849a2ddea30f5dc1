import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Playground } from "@/components/playground/playground";
import { Card, PageHeader } from "@/components/ui/card";
import { orNotFound } from "@/components/ui/or-not-found";
import { PageLoading } from "@/components/ui/page-loading";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Playground" };

export default async function VersionPlayground({ params }: { params: Promise<{ slug: string; n: string }> }) {
  const { slug, n } = await params;
  const { api } = await serverApi();
  const version = Number(n);
  if (!Number.isInteger(version) || version < 1) notFound();
  const p = await orNotFound(api.playground.forVersion({ slug, version }));
  return (
    <>
      <PageHeader
        title={`Playground · ${p.name} v${version}`}
        description="Runs in this browser with onnxruntime-web in a Web Worker. Frames and your own images never leave the machine."
        actions={
          <Link className="text-sm text-link underline" href={`/models/${slug}/versions/${version}`}>
            Version page
          </Link>
        }
      />
      {p.model && p.cropsOnly ? (
        <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950/40" data-testid="crops-only">
          {p.cropsOnly}{" "}
          <Link className="text-link underline" href="/playground">
            All models
          </Link>
        </p>
      ) : null}
      {p.model ? (
        <Suspense fallback={<PageLoading />}>
          <Playground model={p.model} champion={p.champion} championRole={p.championRole} pipeline={p.pipeline} frames={p.frames} />
        </Suspense>
      ) : (
        <Card>
          <h2 className="font-semibold">This version cannot run in the playground</h2>
          <p className="mt-1 text-sm" data-testid="not-runnable">
            {p.reason}
          </p>
        </Card>
      )}
    </>
  );
}
