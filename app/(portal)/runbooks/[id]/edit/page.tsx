import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunbookEditor } from "@/components/runbooks/runbook-editor";
import { PageHeader } from "@/components/ui/card";
import { orNotFound } from "@/components/ui/or-not-found";
import { serverApi } from "@/server/caller";
import { canEditRunbook } from "@/server/runbooks/policy";

type Params = Promise<{ id: string }>;
export const metadata: Metadata = { title: "Edit runbook" };

export default async function EditRunbookPage({ params }: { params: Params }) {
  const { id } = await params;
  const { api, actor } = await serverApi();
  if (!canEditRunbook(actor).allowed) notFound();
  const r = await orNotFound(api.runbooks.get({ id }));
  return (
    <>
      <PageHeader
        title={`Edit: ${r.title}`}
        description={`Editing version ${r.latest}. Saving creates version ${r.latest + 1}; if someone saves first, you are told and nothing is overwritten.`}
      />
      <RunbookEditor initial={{ id: r.id, version: r.latest, title: r.title, body: r.body, links: r.links }} />
    </>
  );
}
