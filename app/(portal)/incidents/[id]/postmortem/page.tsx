import type { Metadata } from "next";
import Link from "next/link";
import { PostmortemEditor } from "@/components/incidents/postmortem-editor";
import { PageHeader } from "@/components/ui/card";
import { orNotFound } from "@/components/ui/or-not-found";
import { serverApi } from "@/server/caller";
import { canChangeIncident } from "@/server/incidents/policy";
import { EMPTY_POSTMORTEM, POSTMORTEM_PROMPTS, postmortemMarkdown } from "@/server/incidents/postmortem";

type Params = Promise<{ id: string }>;
export const metadata: Metadata = { title: "Postmortem" };

export default async function PostmortemPage({ params }: { params: Params }) {
  const { id } = await params;
  const { api, actor } = await serverApi();
  const i = await orNotFound(api.incidents.get({ id }));
  return (
    <div className="mx-auto max-w-3xl">
      <p className="mb-2 text-sm text-muted">
        <Link href="/incidents" className="hover:underline">
          Incidents
        </Link>{" "}
        /{" "}
        <Link href={`/incidents/${i.id}`} className="hover:underline">
          INC-{i.number}
        </Link>{" "}
        / Postmortem
      </p>
      <PageHeader
        title={`Postmortem: ${i.title}`}
        description="Blameless: describe what the system allowed and why decisions made sense at the time. The timeline comes from the incident itself."
      />
      <PostmortemEditor
        id={i.id}
        initial={i.postmortem ?? EMPTY_POSTMORTEM}
        prompts={POSTMORTEM_PROMPTS}
        markdown={postmortemMarkdown(i)}
        fileName={`INC-${i.number}-postmortem.md`}
        canEdit={canChangeIncident(actor, "postmortem").allowed}
      />
    </div>
  );
}
