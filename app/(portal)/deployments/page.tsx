import type { Metadata } from "next";
import Link from "next/link";
import { CreateDeploymentButton, CreateTargetButton } from "@/components/deployments/create-forms";
import { StateBadge } from "@/components/deployments/state-badge";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { canCreateTarget } from "@/server/deployments/policy";

export const metadata: Metadata = { title: "Deployments" };

const KIND = { "edge-fleet": "Edge fleet", "cloud-online": "Cloud online", "cloud-batch": "Cloud batch" } as const;

export default async function DeploymentsPage() {
  const { api, actor } = await serverApi();
  const [rows, targets] = await Promise.all([api.deployments.list(), roleAtLeast(actor.role, "engineer") ? api.deployments.targets() : Promise.resolve([])]);
  return (
    <>
      <PageHeader
        title="Deployments"
        description="Every model on every target: the stable version, a rollout in flight, and how many devices it reaches. Production first."
        actions={
          roleAtLeast(actor.role, "engineer") ? (
            <>
              <CreateDeploymentButton targets={targets} actor={actor} />
              {canCreateTarget(actor).allowed ? <CreateTargetButton /> : null}
            </>
          ) : null
        }
      />
      {rows.length === 0 ? (
        <EmptyState title="No deployments yet" />
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Environment</Th>
              <Th>Target</Th>
              <Th>Model</Th>
              <Th>Stable</Th>
              <Th>Rollout</Th>
              <Th className="text-right">Devices on the target</Th>
              <Th>Changed</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <Td>
                  <Badge tone={r.environment.key === "production" ? "red" : r.environment.key === "staging" ? "amber" : "neutral"}>{r.environment.name}</Badge>
                </Td>
                <Td>
                  <Link href={`/deployments/${r.id}`} className="font-medium text-link hover:underline">
                    {r.target.name}
                  </Link>
                  <div className="text-xs text-muted">{KIND[r.target.kind]}</div>
                </Td>
                <Td>
                  <Link href={`/models/${r.model.slug}`} className="hover:underline">
                    {r.model.name}
                  </Link>
                </Td>
                <Td className="font-mono">v{r.stable}</Td>
                <Td>
                  <StateBadge state={r.state} percent={r.percent} candidate={r.candidate} />
                </Td>
                <Td className="text-right tabular-nums">{r.devices === null ? "—" : r.devices.toLocaleString("en-US")}</Td>
                <Td>
                  <Time value={r.updatedAt} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
