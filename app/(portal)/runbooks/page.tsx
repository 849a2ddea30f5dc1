import type { Metadata } from "next";
import Link from "next/link";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { serverApi } from "@/server/caller";
import { canEditRunbook } from "@/server/runbooks/policy";

export const metadata: Metadata = { title: "Runbooks" };

export default async function RunbooksPage() {
  const { api, actor } = await serverApi();
  const rows = await api.runbooks.list();
  return (
    <>
      <PageHeader
        title="Runbooks"
        description="What to do when an alert fires: versioned Markdown linked to alert rules, models and services. The matching one opens on the incident page as a checklist."
        actions={
          canEditRunbook(actor).allowed ? (
            <Link href="/runbooks/new" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
              New runbook
            </Link>
          ) : undefined
        }
      />
      {rows.length === 0 ? (
        <EmptyState title="No runbooks yet">Write one for the alert that woke you up last.</EmptyState>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Runbook</Th>
              <Th>Linked to</Th>
              <Th>Version</Th>
              <Th>Updated</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <Td>
                  <Link href={`/runbooks/${r.id}`} className="font-medium text-link hover:underline">
                    {r.title}
                  </Link>
                </Td>
                <Td>
                  <div className="flex flex-wrap gap-1">
                    {r.links.alertKinds.map((x) => (
                      <Badge key={`k${x}`} tone="red">
                        {x} alerts
                      </Badge>
                    ))}
                    {r.links.rulePrefixes.map((x) => (
                      <Badge key={`r${x}`} tone="amber">
                        {x}…
                      </Badge>
                    ))}
                    {r.links.models.map((x) => (
                      <Badge key={`m${x}`} tone="blue">
                        {x}
                      </Badge>
                    ))}
                    {r.links.services.map((x) => (
                      <Badge key={`s${x}`}>{x}</Badge>
                    ))}
                  </div>
                </Td>
                <Td>v{r.version}</Td>
                <Td>
                  <Time value={r.updatedAt} /> <span className="text-xs text-muted">{r.updatedBy ?? ""}</span>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
