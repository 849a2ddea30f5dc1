// The rollout page's middle: plan steps with bake and policy, where the fleet stands, and each analysis with its evidence.
import { Badge, Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { DeploymentDetail } from "@/server/deployments/service";
import { AnalysisChart } from "./analysis-chart";
import { RunAnalysisButton } from "./run-analysis-button";

const VERDICT_TONE = { pass: "green", fail: "red", inconclusive: "neutral" } as const;
const DECISION_WORDS: Record<string, string> = {
  advanced: "advanced to the next step",
  completed: "completed the rollout",
  ready: "ready for a person to advance",
  paused: "paused the rollout",
  "rolled-back": "rolled back automatically",
  waiting: "waiting (bake or data)",
  none: "no decision (not in canary)",
};
const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

function value(c: DeploymentDetail["analyses"][number]["checks"][number], v: number | null) {
  if (v === null) return "—";
  if (c.key === "error-rate" || c.key === "recall") return pct(v);
  if (c.key === "latency-p95") return `${v.toFixed(1)} ms`;
  if (c.key === "event-rate") return v.toLocaleString("en-US", { maximumFractionDigits: v < 100 ? 1 : 0 });
  return v.toLocaleString("en-US");
}

export function RolloutPanel({ d, canRun }: { d: DeploymentDetail; canRun: boolean }) {
  const inFlight = d.state !== "idle";
  return (
    <>
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <Card className="min-w-0 lg:col-span-2">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h2 className="font-semibold">Rollout plan</h2>
            {canRun ? <RunAnalysisButton deploymentId={d.id} inFlight={inFlight} /> : null}
          </div>
          <Table label="Rollout plan">
            <thead>
              <tr>
                <Th>Step</Th>
                <Th className="text-right">Devices / traffic</Th>
                <Th className="text-right">Bake</Th>
                <Th>After a pass</Th>
                <Th>On a failure</Th>
              </tr>
            </thead>
            <tbody>
              {d.plan.map((p, i) => (
                <tr
                  key={i}
                  aria-current={inFlight && i === d.step ? "step" : undefined}
                  className={inFlight && i === d.step ? "bg-brand-50 dark:bg-zinc-800" : undefined}
                >
                  <Td>
                    {i + 1}
                    {inFlight && i === d.step ? (
                      <span className="ml-2 text-xs text-muted">
                        current
                        {d.stepStartedAt ? (
                          <>
                            , since <Time value={d.stepStartedAt} />
                          </>
                        ) : null}
                      </span>
                    ) : null}
                  </Td>
                  <Td className="text-right tabular-nums">{p}%</Td>
                  <Td className="text-right tabular-nums">{d.stepPolicies[i].bakeMinutes} min</Td>
                  <Td>{d.stepPolicies[i].mode === "auto" ? "advance automatically" : "wait for a person"}</Td>
                  <Td>{d.stepPolicies[i].onFail === "rollback" ? "roll back automatically" : "pause"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <p className="mt-2 text-xs text-muted">
            After its bake time each step is analysed: canary (devices on the candidate) against control (devices on the stable version), over the step&apos;s
            window. Checked every 5 minutes; a failure acts at once.
          </p>
        </Card>
        {d.fleet ? (
          <Card>
            <h2 className="mb-3 font-semibold">Fleet versions</h2>
            <dl className="grid grid-cols-2 gap-2 text-sm" aria-label="Fleet versions">
              {d.fleet.byVersion.map((v) => (
                <div key={v.version}>
                  <dt className="text-muted">Running v{v.version}</dt>
                  <dd className="tabular-nums">{v.devices.toLocaleString("en-US")}</dd>
                </div>
              ))}
              <div>
                <dt className="text-muted">Up to date</dt>
                <dd className="tabular-nums">{d.fleet.upToDate.toLocaleString("en-US")}</dd>
              </div>
              <div>
                <dt className="text-muted">Pending</dt>
                <dd className="tabular-nums">{d.fleet.pending.toLocaleString("en-US")}</dd>
              </div>
              <div>
                <dt className="text-muted">Failed</dt>
                <dd className={d.fleet.failed ? "tabular-nums font-semibold text-red-600" : "tabular-nums"}>{d.fleet.failed.toLocaleString("en-US")}</dd>
              </div>
              <div>
                <dt className="text-muted">Not reported yet</dt>
                <dd className="tabular-nums">{d.fleet.unreported.toLocaleString("en-US")}</dd>
              </div>
            </dl>
          </Card>
        ) : null}
      </div>

      <Card className="mt-4">
        <h2 className="mb-3 font-semibold">Analyses</h2>
        {!d.analyses.length ? (
          <p className="text-sm text-muted">
            No analysis yet. {inFlight ? "The first runs when the current step has baked, or press Run analysis now." : "Start a canary to get one per step."}
          </p>
        ) : (
          <ol className="space-y-6" aria-label="Analyses">
            {d.analyses.map((a) => {
              const recall = a.checks.filter((c) => c.key === "recall");
              return (
                <li key={a.id} className="border-t border-zinc-200 pt-3 first:border-0 first:pt-0 dark:border-zinc-800">
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-medium">
                      Step {a.step + 1} · {a.percent}% · v{a.candidateVersion} vs v{a.stableVersion}
                    </span>
                    <Badge tone={VERDICT_TONE[a.verdict as keyof typeof VERDICT_TONE] ?? "neutral"}>{a.verdict}</Badge>
                    <span>{DECISION_WORDS[a.decision] ?? a.decision}</span>
                    <span className="text-xs text-muted">
                      window <Time value={a.windowStart} /> – <Time value={a.windowEnd} /> · by {a.requestedBy}
                    </span>
                  </div>
                  <div className="mt-2 max-w-2xl">
                    <AnalysisChart
                      title={`Recall by slice, step ${a.step + 1}`}
                      data={recall.map((c) => ({
                        label: `${c.slice === "all" ? "all" : c.slice.split("=")[1]}`,
                        canary: Math.round((c.candidate ?? 0) * 1000) / 10,
                        control: Math.round((c.control ?? 0) * 1000) / 10,
                        failed: c.state === "fail",
                      }))}
                    />
                  </div>
                  <Table label={`Checks, step ${a.step + 1}`} className="mt-2">
                    <thead>
                      <tr>
                        <Th>Check</Th>
                        <Th>Slice</Th>
                        <Th className="text-right">Canary</Th>
                        <Th className="text-right">Control</Th>
                        <Th>Result</Th>
                        <Th>Why</Th>
                      </tr>
                    </thead>
                    <tbody>
                      {a.checks.map((c, i) => (
                        <tr key={i}>
                          <Td>{c.label}</Td>
                          <Td className="text-xs whitespace-nowrap">{c.slice}</Td>
                          <Td className="text-right tabular-nums whitespace-nowrap">{value(c, c.candidate)}</Td>
                          <Td className="text-right tabular-nums whitespace-nowrap">{value(c, c.control)}</Td>
                          <Td>
                            <Badge tone={c.state === "fail" ? "red" : c.state === "pass" ? "green" : "neutral"}>{c.state === "none" ? "n/a" : c.state}</Badge>
                          </Td>
                          <Td className="min-w-64 text-xs text-zinc-600 dark:text-zinc-400">{c.reason}</Td>
                        </tr>
                      ))}
                    </tbody>
                  </Table>
                </li>
              );
            })}
          </ol>
        )}
      </Card>
    </>
  );
}
