import type { Metadata } from "next";
import Link from "next/link";
import { ApprovalList, ApproveButton } from "@/components/deployments/approve-button";
import { DeploymentActions } from "@/components/deployments/deployment-actions";
import { LineageSection } from "@/components/lineage/lineage-section";
import { KeyboardShortcuts } from "@/components/ui/keyboard-shortcuts";
import { RolloutPanel } from "@/components/deployments/rollout-panel";
import { StateBadge } from "@/components/deployments/state-badge";
import { Timeline } from "@/components/deployments/timeline";
import { orNotFound, positiveInt } from "@/components/ui/or-not-found";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { canApproveRelease } from "@/server/deployments/policy";

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

export const metadata: Metadata = { title: "Deployment" };

const GATE_TONE = { pass: "green", fail: "red", none: "neutral" } as const;
const GATE_WORD = { pass: "passes", fail: "fails", none: "nothing to check" } as const;

export default async function DeploymentPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { id } = await params;
  const sp = await searchParams;
  const { api, actor } = await serverApi();
  const d = await orNotFound(api.deployments.get({ id, version: positiveInt(sp.version) ?? undefined }));
  const mayApprove = canApproveRelease(actor).allowed;
  // Viewers see no buttons; everyone else sees the buttons the policy offers, refused ones with the reason in words.
  const canAct = roleAtLeast(actor.role, "engineer");
  const failing = (d.gates ?? []).filter((g) => g.state === "fail");
  const fleet = d.target.kind === "edge-fleet";
  const approvalGate = d.gates?.find((g) => g.key === "approval");
  return (
    <>
      <p className="mb-2 text-sm text-muted">
        <Link href="/deployments" className="hover:underline">
          Deployments
        </Link>{" "}
        / {d.target.name}
      </p>
      <PageHeader
        title={`${d.model.name} on ${d.target.name}`}
        description={`${d.environment.name} · ${fleet ? "edge fleet" : d.target.kind.replace("-", " ")} · ONNX Runtime ${d.target.runtime.onnxRuntime}, opset ≤ ${d.target.runtime.maxOpset} · revision ${d.revision}`}
      />
      <div className="grid gap-4 lg:grid-cols-3 [&>*]:min-w-0">
        <Card className="lg:col-span-2">
          <h2 className="mb-3 font-semibold">State</h2>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-muted">Stable</dt>
              <dd className="font-mono text-lg">v{d.stable}</dd>
            </div>
            <div>
              <dt className="text-muted">Rollout</dt>
              <dd>
                <StateBadge state={d.state} percent={d.percent} candidate={d.candidate} />
              </dd>
            </div>
            {d.devices && d.fleet ? (
              <>
                {/* What devices report they run, not the plan's share of the fleet: pending and silent devices are said. */}
                {(d.candidate !== null ? [d.candidate, d.stable] : [d.stable]).map((v) => (
                  <div key={v}>
                    <dt className="text-muted">Reporting v{v}</dt>
                    <dd className="tabular-nums">{(d.fleet!.byVersion.find((x) => x.version === v)?.devices ?? 0).toLocaleString("en-US")}</dd>
                  </div>
                ))}
                <div>
                  <dt className="text-muted">Pending or not reported</dt>
                  <dd className="tabular-nums">
                    {(d.fleet.pending + d.fleet.unreported).toLocaleString("en-US")} of {d.devices.total.toLocaleString("en-US")}
                    {d.candidate !== null ? (
                      <span className="block text-xs text-muted">
                        the plan assigns {d.devices.onCandidate.toLocaleString("en-US")} to v{d.candidate}
                      </span>
                    ) : null}
                  </dd>
                </div>
              </>
            ) : null}
          </dl>
          {d.state !== "idle" ? (
            <p className="mt-3 text-sm text-muted">Plan: {d.plan.map((p, i) => (i === d.step ? `[${p}%]` : `${p}%`)).join(" → ")}</p>
          ) : null}
          <div className="mt-4">
            {canAct ? (
              <>
                <KeyboardShortcuts />
                <DeploymentActions
                  deploymentId={d.id}
                  revision={d.revision}
                  target={d.effectTarget}
                  policy={d.policy}
                  actor={actor}
                  stepPolicies={d.stepPolicies}
                  legend
                />
              </>
            ) : (
              <p className="text-sm text-zinc-700 dark:text-zinc-300">Viewers cannot change deployments; you can see everything here.</p>
            )}
          </div>
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">Runtime config</h2>
          <p className="text-xs text-muted">Injected at run time beside the artifact.</p>
          <pre className="mt-2 overflow-x-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-800">
            {JSON.stringify({ stable: d.stableConfig, ...(d.candidate ? { candidate: d.candidateConfig } : {}) }, null, 2)}
          </pre>
        </Card>
      </div>

      <RolloutPanel d={d} canRun={roleAtLeast(actor.role, "engineer")} />

      <Card className="mt-4">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 className="font-semibold">{d.gateVersion ? `Gates for v${d.gateVersion}` : "Gates"}</h2>
          <nav aria-label="Version to check" className="flex flex-wrap gap-1 text-sm">
            {d.versions
              .filter((v) => v.status !== "archived" && v.number !== d.stable)
              .map((v) => (
                <Link
                  key={v.number}
                  href={`/deployments/${d.id}?version=${v.number}`}
                  aria-current={v.number === d.gateVersion ? "page" : undefined}
                  className={
                    v.number === d.gateVersion
                      ? "rounded bg-zinc-900 px-2 py-0.5 text-white dark:bg-zinc-100 dark:text-zinc-900"
                      : "rounded px-2 py-0.5 hover:bg-zinc-100 dark:hover:bg-zinc-800"
                  }
                >
                  v{v.number} <span className="text-xs opacity-70">{v.status}</span>
                </Link>
              ))}
          </nav>
        </div>
        {!d.environment.protected ? (
          <p className="text-sm text-muted">Gates apply to production; {d.environment.name.toLowerCase()} deployments change without them.</p>
        ) : !d.gates ? (
          <p className="text-sm text-muted">No newer version to check.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Gates">
            {d.gates.map((g) => (
              <li key={g.key} className="flex flex-wrap items-start gap-3 py-2 text-sm">
                <span className="w-44 shrink-0 font-medium">{g.label}</span>
                <Badge tone={GATE_TONE[g.state]}>{GATE_WORD[g.state]}</Badge>
                <span className="min-w-0 flex-1 break-words">
                  {g.reason}
                  {g.key === "signoff" && typeof g.evidence.href === "string" ? (
                    <>
                      {" "}
                      <Link className="text-link underline" href={g.evidence.href}>
                        Open the safety review
                      </Link>
                    </>
                  ) : null}
                  {g.key === "approval" && d.gateVersion ? (
                    <ApprovalList deploymentId={d.id} version={d.gateVersion} approvals={d.approvals} actor={{ userId: actor.userId, role: actor.role }} />
                  ) : null}
                </span>
                {g.key === "approval" && g.state === "fail" && mayApprove && d.gateVersion ? (
                  <ApproveButton deploymentId={d.id} version={d.gateVersion} />
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {approvalGate && failing.length > 0 ? (
          <p className="mt-2 text-xs text-muted">
            A failing gate blocks Promote and Start canary; the safety sign-off also holds a canary at {d.policy.canaryMaxPercent}%. An admin can override with
            a written reason, which is audited, shown on the timeline and, for the sign-off, sent to the safety reviewers.
          </p>
        ) : null}
      </Card>

      <div className="mt-4 grid gap-4 lg:grid-cols-2 [&>*]:min-w-0">
        <Card>
          <h2 className="mb-3 font-semibold">Timeline</h2>
          <Timeline events={d.events} />
        </Card>
        {fleet ? (
          <Card>
            <h2 className="mb-3 font-semibold">Cohorts</h2>
            <Table>
              <thead>
                <tr>
                  <Th>Region</Th>
                  <Th>Hardware</Th>
                  <Th>Firmware</Th>
                  <Th className="text-right">Devices</Th>
                </tr>
              </thead>
              <tbody>
                {d.cohorts.map((c) => (
                  <tr key={`${c.region}-${c.hardwareClass}-${c.firmware}`}>
                    <Td>{c.region}</Td>
                    <Td>{c.hardwareClass}</Td>
                    <Td className="font-mono">{c.firmware}</Td>
                    <Td className="text-right tabular-nums">{c.devices.toLocaleString("en-US")}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
        ) : null}
      </div>
      <LineageSection entity={`deployment:${d.id}`} name={`${d.model.name} on ${d.target.name}`} />
      <p className="mt-4 text-sm">
        <Link href={`/oncall?model=${d.model.slug}`} className="text-link hover:underline">
          On-call view for {d.model.name}
        </Link>
      </p>
    </>
  );
}
