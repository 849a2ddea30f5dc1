import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/admin/audit-table";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Audit log" };

type SP = { actor?: string; action?: string; entityType?: string; entityId?: string; from?: string; to?: string; cursor?: string };

export default async function AuditPage({ searchParams }: { searchParams: Promise<SP> }) {
  const sp = await searchParams;
  const { api } = await serverApi();
  const date = (s?: string) => (s && !Number.isNaN(Date.parse(s)) ? new Date(s) : undefined);
  const cursor = sp.cursor && /^\d+$/.test(sp.cursor) ? Number(sp.cursor) : undefined;
  const page = await api.admin.audit({
    actor: sp.actor || undefined,
    action: sp.action || undefined,
    entityType: sp.entityType || undefined,
    entityId: sp.entityId || undefined,
    from: date(sp.from),
    to: date(sp.to),
    cursor,
    limit: 50,
  });
  const keep = Object.fromEntries(Object.entries(sp).filter(([k, v]) => k !== "cursor" && v));
  return (
    <>
      <PageHeader title="Audit log" description="Every change: who, what, when, before and after. Append-only." />
      <form className="mb-4 grid grid-cols-2 gap-2 md:grid-cols-7" role="search">
        <Input name="actor" placeholder="Actor email" defaultValue={sp.actor} aria-label="Actor" />
        <Input name="action" placeholder="Action (user.*)" defaultValue={sp.action} aria-label="Action" />
        <Input name="entityType" placeholder="Entity type" defaultValue={sp.entityType} aria-label="Entity type" />
        <Input name="entityId" placeholder="Entity id" defaultValue={sp.entityId} aria-label="Entity id" />
        <Input name="from" type="date" defaultValue={sp.from} aria-label="From" />
        <Input name="to" type="date" defaultValue={sp.to} aria-label="To" />
        <Button type="submit">Filter</Button>
      </form>
      {page.items.length ? (
        <AuditTable rows={page.items} details />
      ) : (
        <EmptyState title="No audit events match">Clear the filters to see everything.</EmptyState>
      )}
      <div className="mt-4 flex justify-between text-sm">
        {cursor ? (
          <Link className="text-link underline" href={{ pathname: "/admin/audit", query: keep }}>
            Newest
          </Link>
        ) : (
          <span />
        )}
        {page.nextCursor ? (
          <Link className="text-link underline" href={{ pathname: "/admin/audit", query: { ...keep, cursor: page.nextCursor } }}>
            Older events
          </Link>
        ) : null}
      </div>
    </>
  );
}
