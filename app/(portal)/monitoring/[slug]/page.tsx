import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { HistogramOverlay } from "@/components/charts/histogram-overlay";
import { TimeSeriesChart } from "@/components/charts/time-series";
import { AlertList } from "@/components/monitoring/alert-list";
import { MonitorActions } from "@/components/monitoring/monitor-actions";
import { ThresholdRules } from "@/components/monitoring/threshold-rules";
import { ResponseRules } from "@/components/webhooks/response-rules";
import { formatAge, formatBudget, formatStat, METHOD_LABELS } from "@/components/monitoring/format";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { cn } from "@/lib/cn";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { SLICE_KEY_LABELS } from "@/server/monitoring/evidence";
import { RANGE_CHOICES } from "@/server/monitoring/schemas";

type Params = Promise<{ slug: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Monitoring · ${(await params).slug}` };
}

export default async function ModelMonitoringPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { slug } = await params;
  const sp = await searchParams;
  const range = RANGE_CHOICES.find((r) => r === one(sp.range)) ?? "24h";
  const toParam = one(sp.to);
  const to = toParam && !Number.isNaN(Date.parse(toParam)) ? new Date(toParam) : undefined;
  const { api, actor } = await serverApi();
  // The series an alert links to: version, prediction or feature, cohort and slice (see server/monitoring/evidence.ts).
  const versionParam = one(sp.version);
  const series = {
    version: versionParam && /^\d{1,9}$/.test(versionParam) ? Number(versionParam) : undefined,
    source: one(sp.source) === "prediction" ? ("prediction" as const) : undefined,
    cohort: one(sp.cohort),
    slice: one(sp.slice),
  };
  const d = await api.monitoring.model({ slug, range, to, feature: one(sp.feature), ...series }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  const from = new Date(d.range.from).getTime();
  const end = new Date(d.range.to).getTime();
  const link = (over: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    const current = d.monitors.find((m) => m.id === d.selectedId);
    // Switching range or monitor keeps the version; the selected monitor's own parameters keep its series.
    const merged = { range, to: toParam, version: versionParam, ...(current?.query ?? {}), ...over };
    for (const [k, v] of Object.entries(merged)) if (v) q.set(k, v);
    return `/monitoring/${slug}?${q}`;
  };
  const selected = d.monitors.find((m) => m.id === d.selectedId) ?? null;
  const detail = d.detail ?? { pValueMethod: false, series: [], overlay: [] };
  const openAlerts = d.alerts.filter((a) => a.state !== "resolved");
  const [routing, responseRules] = await Promise.all([
    api.webhooks.alertRouting({ alertIds: openAlerts.map((a) => a.id) }),
    api.webhooks.responseRules({ model: d.model.slug }),
  ]);
  return (
    <>
      <PageHeader
        title={`${d.model.name}${d.version ? ` v${d.version}` : ""}${d.versionRole === "candidate" ? " (candidate)" : ""}`}
        description={
          d.versionRole === "candidate"
            ? `Monitoring of ${d.model.slug} v${d.version}, the candidate beside production v${d.productionVersion}: drift of its cohorts, serving latency and errors, SLO budgets and freshness.`
            : `Monitoring of ${d.model.slug} in production: drift per feature, serving latency and errors, SLO budgets and freshness.`
        }
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {roleAtLeast(actor.role, "engineer") && d.version ? <MonitorActions model={d.model.slug} version={d.version} features={d.features} /> : null}
            <nav aria-label="Time range" className="flex gap-1">
              {RANGE_CHOICES.map((r) => (
                <Link
                  key={r}
                  href={link({ range: r })}
                  aria-current={r === range ? "page" : undefined}
                  className={cn(
                    "rounded-md px-2.5 py-1 text-sm",
                    r === range
                      ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                      : "border border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300",
                  )}
                >
                  {r}
                </Link>
              ))}
            </nav>
          </div>
        }
      />
      <p className="-mt-4 mb-4 text-xs text-muted">
        {new Date(from).toISOString().slice(0, 16).replace("T", " ")} to {new Date(end).toISOString().slice(0, 16).replace("T", " ")} UTC · one point per{" "}
        {d.range.stepMs / 60_000} min
        {toParam ? (
          <>
            {" "}
            ·{" "}
            <Link className="text-link underline" href={link({ to: undefined })}>
              back to now
            </Link>
          </>
        ) : null}
        {d.versionRole === "candidate" && d.productionVersion ? (
          <>
            {" "}
            ·{" "}
            <Link className="text-link underline" href={`/monitoring/${slug}`}>
              production v{d.productionVersion}
            </Link>
          </>
        ) : null}
      </p>

      {openAlerts.length ? (
        <section className="mb-6" aria-labelledby="alerts-h">
          <h2 id="alerts-h" className="mb-2 font-semibold">
            Open alerts
          </h2>
          <AlertList items={openAlerts} routing={routing} canAct={roleAtLeast(actor.role, "engineer")} />
        </section>
      ) : null}

      <section className="mb-6 space-y-4" aria-labelledby="drift-h">
        <div className="flex items-center gap-2">
          <h2 id="drift-h" className="font-semibold">
            Drift
          </h2>
          {d.modelDrift.total ? (
            <Badge tone={d.modelDrift.drifted ? "red" : d.modelDrift.driftedCount ? "amber" : "green"}>
              {d.modelDrift.drifted ? "model drifting" : d.modelDrift.driftedCount ? "some features drift" : "stable"}: {d.modelDrift.driftedCount} of{" "}
              {d.modelDrift.total}
            </Badge>
          ) : null}
        </div>
        {d.monitors.length === 0 ? (
          <EmptyState title="No drift monitors">
            An engineer adds one per feature or prediction with “Add monitor” above, choosing a reference window that had normal traffic.
          </EmptyState>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Feature</Th>
                <Th>Devices</Th>
                <Th>Method</Th>
                <Th>Latest window</Th>
                <Th>Value / threshold</Th>
                <Th>PSI</Th>
                <Th>Verdict</Th>
              </tr>
            </thead>
            <tbody>
              {d.monitors.map((m) => (
                <tr key={m.id} className={m.id === d.selectedId ? "bg-amber-50/60 dark:bg-amber-950/20" : undefined}>
                  <Td>
                    <Link
                      href={link({ feature: undefined, source: undefined, cohort: undefined, slice: undefined, ...m.query })}
                      className="font-medium text-link hover:underline"
                      aria-current={m.id === d.selectedId ? "true" : undefined}
                    >
                      {m.source === "prediction" ? `prediction: ${m.name}` : m.name}
                    </Link>
                  </Td>
                  <Td className="text-sm">{m.scope}</Td>
                  <Td className="text-sm">{m.latest ? (METHOD_LABELS[m.latest.method] ?? m.latest.method) : m.method}</Td>
                  <Td className="text-sm">{m.latest ? <Time value={m.latest.windowEnd} /> : "–"}</Td>
                  <Td className="text-sm tabular-nums">
                    {m.latest ? `${formatStat(m.latest.pValue ?? m.latest.statistic)} / ${formatStat(m.latest.threshold)}` : "–"}
                  </Td>
                  <Td className="text-sm tabular-nums">{formatStat(m.latest?.psi)}</Td>
                  <Td>
                    {m.latest ? (
                      <Badge tone={m.latest.drifted ? "red" : "green"}>{m.latest.drifted ? "drift" : "no drift"}</Badge>
                    ) : (
                      <span className="text-muted">not evaluated</span>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {selected && d.heading ? (
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2 [&>*]:min-w-0">
            <div className="lg:col-span-2" data-testid="series-heading">
              <h3 className="font-semibold">{d.heading.title}</h3>
              <p className="text-sm text-muted">{d.heading.window}</p>
            </div>
            <Card>
              <h3 className="text-sm font-semibold">
                {selected.name}: {selected.latest ? METHOD_LABELS[selected.latest.method] : "drift"} over time
              </h3>
              <p className="mb-2 text-xs text-muted">
                {detail.pValueMethod ? "Drift when the p-value falls to the threshold or below." : "Drift when the distance reaches the threshold."} Window{" "}
                {selected.windowMinutes} min; reference <Time value={selected.referenceFrom} /> to <Time value={selected.referenceTo} /> (
                {selected.referenceCount.toLocaleString("en-US")} values).
              </p>
              {detail.series.length ? (
                <TimeSeriesChart
                  label={`Drift of ${selected.name} over time`}
                  rows={detail.series.map((p) => ({ t: p.t, value: p.value }))}
                  series={[{ key: "value", label: detail.pValueMethod ? "p-value" : "distance", color: "#2563eb" }]}
                  gaps
                  threshold={selected.latest?.threshold ?? detail.series[detail.series.length - 1]?.threshold}
                  thresholdLabel={`threshold ${formatStat(selected.latest?.threshold ?? detail.series[detail.series.length - 1]?.threshold)}`}
                  from={from}
                  to={end}
                />
              ) : (
                <EmptyState title="No evaluations in this range" />
              )}
            </Card>
            <Card>
              <h3 className="text-sm font-semibold">{selected.name}: reference vs current</h3>
              <p className="mb-2 text-xs text-muted">
                {selected.latest ? (
                  <>
                    Window ending <Time value={selected.latest.windowEnd} />: {selected.latest.currentCount.toLocaleString("en-US")} values against{" "}
                    {selected.latest.referenceCount.toLocaleString("en-US")} in the reference, as shares per bin.
                  </>
                ) : (
                  "No evaluation yet."
                )}
              </p>
              {detail.overlay.length ? <HistogramOverlay rows={detail.overlay} label={`Reference and current distributions of ${selected.name}`} /> : null}
            </Card>
            {d.slices.length ? (
              <Card className="lg:col-span-2">
                <h3 className="text-sm font-semibold">{selected.name} by slice (latest window)</h3>
                <p className="mb-2 text-xs text-muted">
                  Each cohort and each slice value the devices report, tested against the same reference: where the drift comes from.
                </p>
                <Table>
                  <thead>
                    <tr>
                      <Th>Slice</Th>
                      <Th>Values</Th>
                      <Th>Value / threshold</Th>
                      <Th>Verdict</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.slices.map((s) => (
                      <tr key={`${s.dimension}=${s.value}`} data-testid="slice-row">
                        <Td>
                          <span className="text-muted">{SLICE_KEY_LABELS[s.dimension] ?? s.dimension}</span> {s.value}
                        </Td>
                        <Td className="tabular-nums">{Math.round(s.count).toLocaleString("en-US")}</Td>
                        <Td className="tabular-nums">
                          {formatStat(s.pValue ?? s.statistic)} / {formatStat(s.threshold)}
                        </Td>
                        <Td>
                          <Badge tone={s.drifted ? "red" : "green"}>{s.drifted ? "drift" : "no drift"}</Badge>
                        </Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              </Card>
            ) : null}
          </div>
        ) : null}
      </section>

      <section className="mb-6" aria-labelledby="serving-h">
        <h2 id="serving-h" className="mb-2 font-semibold">
          Serving
        </h2>
        {d.serving.length ? (
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2 [&>*]:min-w-0">
            <Card>
              <h3 className="mb-2 text-sm font-semibold">Latency percentiles (from merged histograms)</h3>
              <TimeSeriesChart
                label="Latency percentiles"
                rows={d.serving.map((s) => ({ t: s.t, p50: s.p50, p95: s.p95, p99: s.p99 }))}
                series={[
                  { key: "p50", label: "p50", color: "#16a34a" },
                  { key: "p95", label: "p95", color: "#f59e0b" },
                  { key: "p99", label: "p99", color: "#dc2626" },
                ]}
                unit=" ms"
                from={from}
                to={end}
              />
            </Card>
            <Card>
              <h3 className="mb-2 text-sm font-semibold">Error rate</h3>
              <TimeSeriesChart
                label="Error rate"
                rows={d.serving.map((s) => ({ t: s.t, errorRate: s.errorRate }))}
                series={[{ key: "errorRate", label: "errors", color: "#dc2626" }]}
                percent
                from={from}
                to={end}
              />
            </Card>
          </div>
        ) : (
          <EmptyState title="No telemetry in this range" />
        )}
      </section>

      <section className="mb-6" aria-labelledby="threshold-h">
        <h2 id="threshold-h" className="mb-2 font-semibold">
          Threshold rules
        </h2>
        <ThresholdRules model={d.model.slug} rules={d.thresholds} canEdit={roleAtLeast(actor.role, "engineer")} />
      </section>

      <section className="mb-6" aria-labelledby="slo-h">
        <h2 id="slo-h" className="mb-2 font-semibold">
          SLOs
        </h2>
        {d.slos.length === 0 ? (
          <EmptyState title="No SLOs for this model" />
        ) : (
          <div className="grid gap-4 lg:grid-cols-2">
            {d.slos.map((s) => (
              <Card key={s.id}>
                <div className="flex flex-wrap items-center gap-2">
                  <h3 className="text-sm font-semibold">
                    {s.kind} {(s.objective * 100).toFixed(s.objective >= 0.99 ? 1 : 0)}% over {s.windowDays} days · {s.target}
                    {s.kind === "latency" ? ` · under ${s.latencyThresholdMs} ms` : s.kind === "freshness" ? ` · at most ${s.maxAgeMinutes} min old` : ""}
                  </h3>
                  <Badge tone={s.severity === "page" ? "red" : s.budget.remaining < 0.25 ? "amber" : "green"}>
                    {formatBudget(s.budget.remaining)} budget left
                  </Badge>
                  {s.severity ? <Badge tone="red">burning: {s.severity}</Badge> : null}
                </div>
                <p className="mt-1 text-xs text-muted">
                  SLI {s.budget.sli === null ? "–" : `${(s.budget.sli * 100).toFixed(3)}%`} · burn rates{" "}
                  {s.rules.map((r) => `${r.name} ${r.longBurn.toFixed(1)}x/${r.shortBurn.toFixed(1)}x (limit ${r.factor}x)`).join(" · ")}
                </p>
                {s.burnDown.length ? (
                  <TimeSeriesChart
                    label={`Error budget burn-down, ${s.kind}`}
                    rows={s.burnDown.map((p) => ({ t: p.t, remaining: p.remaining }))}
                    series={[{ key: "remaining", label: "budget left", color: "#7c3aed" }]}
                    threshold={0}
                    thresholdLabel="budget spent"
                    percent
                    from={s.burnDown[0].t}
                    to={end}
                    height={160}
                  />
                ) : null}
              </Card>
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="fresh-h">
        <h2 id="fresh-h" className="mb-2 font-semibold">
          Freshness
        </h2>
        {d.freshness.length ? (
          <Table>
            <thead>
              <tr>
                <Th>Cohort</Th>
                <Th>Newest window</Th>
                <Th>Newest labelled outcomes</Th>
                <Th>State</Th>
              </tr>
            </thead>
            <tbody>
              {d.freshness.map((f) => (
                <tr key={f.cohort}>
                  <Td>{f.cohort}</Td>
                  <Td>
                    <Time value={f.newestEnd} /> ({formatAge(f.ageMs)} old)
                  </Td>
                  <Td>{f.newestOutcomes ? <Time value={f.newestOutcomes} /> : <span className="text-muted">none sent</span>}</Td>
                  <Td>
                    <Badge tone={f.stale ? "amber" : "green"}>{f.stale ? `stale (max ${f.maxAgeMinutes} min)` : "fresh"}</Badge>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <EmptyState title="No telemetry in the last 7 days" />
        )}
      </section>

      <section className="mt-6" aria-labelledby="responses-h">
        <h2 id="responses-h" className="mb-1 font-semibold">
          Automated responses
        </h2>
        <p className="mb-3 text-sm text-muted">
          What Sentinel does by itself, once per alert, when an alert of a kind starts firing for {d.model.slug}; each outcome is recorded on the alert.
        </p>
        <ResponseRules model={d.model.slug} data={responseRules} canEdit={roleAtLeast(actor.role, "engineer")} />
      </section>
    </>
  );
}
