import type { Metadata } from "next";
import { CompareForm } from "@/components/registry/compare-form";
import { ModelHeader } from "@/components/registry/model-header";
import { orNotFound } from "@/components/ui/or-not-found";
import { UploadVersion } from "@/components/registry/upload-version";
import { VersionsTable } from "@/components/registry/versions-table";
import { EmptyState } from "@/components/ui/card";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";

type Params = { slug: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: (await params).slug };
}

export default async function ModelPage({ params }: { params: Promise<Params> }) {
  const { slug } = await params;
  const { api, actor } = await serverApi();
  const { model, versions, aliases } = await orNotFound(api.registry.model({ slug }));
  const canEdit = roleAtLeast(actor.role, "engineer");
  return (
    <>
      <ModelHeader model={model} aliases={aliases} actions={canEdit ? <UploadVersion slug={model.slug} /> : null} />
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <h2 className="text-base font-semibold">
          Versions <span className="font-normal text-muted">({versions.length})</span>
        </h2>
        {versions.length >= 2 ? <CompareForm slug={model.slug} versions={versions.map((v) => v.number)} /> : null}
      </div>
      {versions.length ? (
        <VersionsTable slug={model.slug} versions={versions} aliases={aliases} />
      ) : (
        <EmptyState title="No versions yet">
          {canEdit ? "Upload an ONNX file to register version 1, or register an external artifact through the API." : "Engineers upload versions here."}
        </EmptyState>
      )}
    </>
  );
}
