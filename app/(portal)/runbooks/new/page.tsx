import type { Metadata } from "next";
import { RunbookEditor } from "@/components/runbooks/runbook-editor";
import { PageHeader } from "@/components/ui/card";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/server/auth/session";
import { canEditRunbook } from "@/server/runbooks/policy";

export const metadata: Metadata = { title: "New runbook" };

const TEMPLATE = `## When this fires
What the alert means, in one paragraph.

## Checklist
- [ ] First thing to check
- [ ] Second thing to check
- [ ] Mitigate if it lines up with a deploy

::action{rollback}

## Escalate
Who to page next, and when.
`;

export default async function NewRunbookPage() {
  // Viewers cannot save, so the editor is not theirs to open.
  if (!canEditRunbook(await requirePageActor()).allowed) notFound();
  return (
    <>
      <PageHeader title="New runbook" description="Link it to alert kinds, rule key prefixes, models or services so incidents find it." />
      <RunbookEditor initial={{ title: "", body: TEMPLATE, links: { alertKinds: [], rulePrefixes: [], models: [], services: [] } }} />
    </>
  );
}
