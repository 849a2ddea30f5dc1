"use client";
// What is downstream of the entity, as lists: the impact questions ("which devices run a version trained on this
// dataset", "which incidents touched versions from this run") answered by the same lineage service.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/lib/trpc";
import type { ImpactItem } from "@/server/lineage/service";

function Group({ title, items, extra }: { title: string; items: ImpactItem[]; extra?: (i: ImpactItem) => string }) {
  if (!items.length) return null;
  return (
    <div>
      <h4 className="text-xs font-semibold uppercase tracking-wide text-muted">
        {title} ({items.length})
      </h4>
      <ul className="mt-1 space-y-0.5 text-sm">
        {items.slice(0, 20).map((i) => (
          <li key={i.id}>
            <Link className="text-link hover:underline" href={i.href}>
              {i.label}
            </Link>
            {extra ? <span className="text-muted"> · {extra(i)}</span> : null}
          </li>
        ))}
        {items.length > 20 ? <li className="text-muted">and {items.length - 20} more</li> : null}
      </ul>
    </div>
  );
}

export function LineageImpact({ entity }: { entity: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.lineage.impact.queryOptions({ entity }, { staleTime: 30_000 }));
  if (q.isError) return <p className="mt-4 text-sm text-muted">Impact could not be computed: {q.error.message}</p>;
  if (!q.data) return <p className="mt-4 text-sm text-muted">Working out what is downstream…</p>;
  const i = q.data;
  const devices = new Map(i.cohorts.map((c) => [c.id, c.devices]));
  const nothing = !i.versions.length && !i.deployments.length && !i.targets.length && !i.cohorts.length && !i.incidents.length;
  return (
    <div className="mt-4 border-t border-zinc-200 pt-3 dark:border-zinc-800" data-testid="lineage-impact">
      <h3 className="text-sm font-semibold">Impact</h3>
      {nothing ? (
        <p className="text-sm text-muted">Nothing downstream: no version, deployment, device or incident depends on this yet.</p>
      ) : (
        <>
          <p className="text-sm">
            Downstream: {i.versions.length} {i.versions.length === 1 ? "version" : "versions"}, {i.deployments.length}{" "}
            {i.deployments.length === 1 ? "deployment" : "deployments"}, {i.targets.length} {i.targets.length === 1 ? "target" : "targets"},{" "}
            {i.devices.toLocaleString("en")} {i.devices === 1 ? "device" : "devices"} reporting, {i.incidents.length}{" "}
            {i.incidents.length === 1 ? "incident" : "incidents"}
            {i.truncated ? " (at least: the walk stopped at its limit)" : ""}.
          </p>
          <div className="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Group title="Deployments" items={i.deployments} />
            <Group title="Targets" items={i.targets} />
            <Group title="Device cohorts" items={i.cohorts} extra={(c) => `${devices.get(c.id) ?? 0} devices`} />
            <Group title="Incidents" items={i.incidents} />
          </div>
        </>
      )}
    </div>
  );
}
