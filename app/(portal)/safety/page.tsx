import { ShippedWithoutSignOff, SignOffStatus } from "@/components/safety/sign-off-status";
import type { Metadata } from "next";
import Link from "next/link";
import { FieldRate } from "@/components/safety/field-cell";
import { TrendChart } from "@/components/safety/trend-chart";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Term } from "@/components/ui/term";
import { eventTypeLabel, interval, pct, perThousandHours, prepareTrend, sliceLabel } from "@/lib/safety-format";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Safety" };

export default async function SafetyOverviewPage() {
  const { api } = await serverApi();
  const rows = await api.safety.overview();
  return (
    <>
      <PageHeader
        title="Safety"
        description="For every event type: whether the newest candidate is worse than production anywhere, how often production catches real events and how often its alerts are real, and how that moved over releases. Underlined terms explain themselves on hover or focus."
        actions={
          <a
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            href="/api/v1/safety/overview/csv"
            data-print-hide
          >
            Export CSV
          </a>
        }
      />
      {rows.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Event type</Th>
              <Th>Verdict on the newest candidate</Th>
              <Th>Model</Th>
              <Th>
                Production <Term k="recall">recall</Term>
              </Th>
              <Th>
                Production <Term k="precision">precision</Term>
              </Th>
              <Th>
                <Term k="falseAlerts">False alerts</Term> per 1,000 driving hours
              </Th>
              <Th>Fleet, last 4 weeks</Th>
              <Th>
                Over releases <span className="font-normal normal-case text-blue-700 dark:text-blue-300">recall</span>{" "}
                <span className="font-normal normal-case text-muted">precision (dashed)</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const regressed = r.candidate?.regressedSlices ?? [];
              return (
                <tr key={`${r.model.slug}-${r.eventType}`} className={regressed.length ? "bg-red-50/60 dark:bg-red-950/20" : undefined}>
                  <Td>
                    <div className="font-medium">{eventTypeLabel(r.eventType)}</div>
                    <div className="text-xs text-muted">{r.dataset}</div>
                  </Td>
                  <Td>
                    {r.candidate ? (
                      <div className="space-y-1">
                        <Link className="font-medium text-link underline" href={`/safety/review/${r.model.slug}?candidate=${r.candidate.version}`}>
                          Review v{r.candidate.version}
                        </Link>
                        <div className="text-xs">
                          <SignOffStatus signOff={r.candidate.signOff} />
                        </div>
                        {regressed.length ? (
                          <ul className="space-y-0.5" aria-label={`Regressed slices of ${eventTypeLabel(r.eventType)}`}>
                            {regressed.map((s) => (
                              <li key={`${s.dimension}-${s.value}-${s.metric}`} className="text-xs">
                                <Badge tone="red">
                                  {s.metric} regressed · {sliceLabel(s.dimension, s.value)}
                                </Badge>
                              </li>
                            ))}
                          </ul>
                        ) : (
                          <div className="text-xs text-muted">
                            Not <Term k="regressed">regressed</Term> in any slice
                          </div>
                        )}
                      </div>
                    ) : (
                      <span className="text-xs text-muted">none newer than production</span>
                    )}
                    {r.shippedWithoutSignOff.length ? (
                      <div className="mt-1 text-xs">
                        <ShippedWithoutSignOff items={r.shippedWithoutSignOff} />
                      </div>
                    ) : null}
                  </Td>
                  <Td>
                    <Link className="text-link underline" href={`/models/${r.model.slug}`}>
                      {r.model.name}
                    </Link>
                    {r.production ? (
                      <div className="text-xs text-muted">production v{r.production.version}</div>
                    ) : (
                      <div className="text-xs text-muted">no production alias</div>
                    )}
                  </Td>
                  <Td className="tabular-nums">
                    {pct(r.production?.recall?.value)}{" "}
                    <span className="text-xs text-muted" title="95% interval">
                      {interval(r.production?.recall)}
                    </span>
                  </Td>
                  <Td className="tabular-nums">
                    {pct(r.production?.precision?.value)}{" "}
                    <span className="text-xs text-muted" title="95% interval">
                      {interval(r.production?.precision)}
                    </span>
                  </Td>
                  <Td className="tabular-nums">{perThousandHours(r.production?.falseAlertsPer1kHours)}</Td>
                  <Td className="tabular-nums text-sm">
                    {r.field ? (
                      <>
                        <FieldRate name="recall" value={r.field.recall} agreement={r.field.recallAgreement} />
                        <FieldRate name="precision" value={r.field.precision} agreement={r.field.precisionAgreement} />
                      </>
                    ) : (
                      <span className="text-xs text-muted">no fleet outcomes</span>
                    )}
                  </Td>
                  <Td>
                    <TrendChart data={prepareTrend(r.trend)} label={`${eventTypeLabel(r.eventType)} trend`} />
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      ) : (
        <EmptyState title="No evaluations yet">
          Evaluation jobs post counts per event type and slice to <code>POST /api/v1/evaluations</code> (token scope evals:write); rates and intervals are
          computed here.
        </EmptyState>
      )}
      <p className="mt-4 text-xs text-muted">
        Numbers in brackets are each rate&apos;s <Term k="interval" />. A slice counts as worse only when the candidate is{" "}
        <Term k="regressed">worse by more than chance explains</Term>. All terms:{" "}
        <a className="text-link underline" href="/glossary">
          glossary
        </a>
        .
      </p>
    </>
  );
}
