import Link from "next/link";
import { AuditTable } from "@/components/admin/audit-table";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { formatCount } from "@/lib/format";
import { serverApi } from "@/server/caller";

export default async function HomePage() {
  const { api, actor } = await serverApi();
  const overview = await api.home.overview();
  return (
    <>
      <PageHeader title="Home" description={`What the platform holds. Signed in as ${actor.email} (${actor.role}).`} />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        {overview.counts.map((c) => {
          const card = (
            <Card className={c.href ? "hover:border-brand-500" : undefined}>
              <p className="text-sm text-muted">{c.label}</p>
              <p className="mt-1 text-2xl font-semibold tabular-nums">{formatCount(c.value)}</p>
            </Card>
          );
          return c.href ? (
            <Link key={c.label} href={c.href} className="block">
              {card}
            </Link>
          ) : (
            <div key={c.label}>{card}</div>
          );
        })}
      </div>
      <h2 className="mb-3 mt-8 text-base font-semibold">Recent activity</h2>
      {overview.recent.length ? <AuditTable rows={overview.recent} /> : <EmptyState title="No activity yet">Changes people make show up here.</EmptyState>}
    </>
  );
}
