import type { Metadata } from "next";
import Link from "next/link";
import { AllowlistEditor } from "@/components/webhooks/allowlist-editor";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { CreateTarget, TargetList } from "@/components/webhooks/webhooks-admin";
import { PageHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Webhooks" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export default async function WebhooksPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const page = Math.max(1, Math.min(10_000, Number(one(sp.page)) || 1));
  const target = one(sp.target);
  const targetId = target && UUID.test(target) ? target : undefined;
  const { api } = await serverApi();
  const [targets, allowlist, log] = await Promise.all([api.webhooks.targets(), api.webhooks.allowlist(), api.webhooks.deliveries({ page, targetId })]);
  const href = (p: number) => `/admin/webhooks?${new URLSearchParams({ page: String(p), ...(targetId ? { target: targetId } : {}) })}#deliveries`;
  const pages = Math.max(1, Math.ceil(log.total / log.pageSize));
  const filtered = targets.find((t) => t.id === targetId);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Where alerts are posted when they fire and resolve, and the training pipelines that automated responses can call. Every request is signed; see the README for verifying it."
        actions={<CreateTarget />}
      />
      <section className="mb-8" aria-labelledby="targets-h">
        <h2 id="targets-h" className="mb-2 font-semibold">
          Targets
        </h2>
        <TargetList rows={targets} />
      </section>
      <section className="mb-8" aria-labelledby="allow-h">
        <h2 id="allow-h" className="mb-1 font-semibold">
          Private address allow-list
        </h2>
        <p className="mb-3 text-sm text-muted">
          Webhooks never reach loopback, link-local (cloud metadata), private or reserved addresses unless the host or its range is listed here. Checked when a
          target is saved and again on every delivery.
        </p>
        <AllowlistEditor entries={allowlist} />
      </section>
      <section id="deliveries" aria-labelledby="deliveries-h">
        <div className="mb-2 flex flex-wrap items-baseline gap-3">
          <h2 id="deliveries-h" className="font-semibold">
            Delivery log{filtered ? ` · ${filtered.name}` : ""}
          </h2>
          <nav aria-label="Filter deliveries by target" className="flex flex-wrap gap-2 text-sm">
            <Link className={targetId ? "underline" : "font-medium"} href="/admin/webhooks#deliveries">
              All targets
            </Link>
            {targets.map((t) => (
              <Link key={t.id} className={t.id === targetId ? "font-medium" : "underline"} href={`/admin/webhooks?target=${t.id}#deliveries`}>
                {t.name}
              </Link>
            ))}
          </nav>
        </div>
        <DeliveryLog items={log.items} />
        <Pager
          summary={`${log.total} ${log.total === 1 ? "delivery" : "deliveries"} · page ${page} of ${pages}`}
          prev={page > 1 ? href(page - 1) : null}
          next={page < pages ? href(page + 1) : null}
        />
      </section>
    </>
  );
}
