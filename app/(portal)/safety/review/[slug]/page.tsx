import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { orNotFound, positiveInt } from "@/components/ui/or-not-found";
import { ConfusionMatrixTable } from "@/components/safety/confusion-matrix";
import { ExampleFrames } from "@/components/safety/example-frames";
import { FieldRate } from "@/components/safety/field-cell";
import { PrCurveChart } from "@/components/safety/pr-curve-chart";
import { SignOffForm } from "@/components/safety/sign-off-form";
import { SignOffHistory } from "@/components/safety/sign-off-history";
import { VerdictBadge } from "@/components/safety/verdict-badge";
import { Badge, Card, EmptyState, ErrorNote, PageHeader } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { Table, Td, Th } from "@/components/ui/table";
import { eventTypeLabel, interval, pct, perThousandHours, points, sliceLabel } from "@/lib/safety-format";
import { serverApi } from "@/server/caller";
import { canSignOff } from "@/server/safety/policy";

type Params = { slug: string };
type Search = { candidate?: string; dataset?: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `Release review · ${(await params).slug}` };
}

const linkButton = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

export default async function ReleaseReviewPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { slug } = await params;
  const sp = await searchParams;
  const { api, actor } = await serverApi();
  const candidate = positiveInt(sp.candidate);
  if (candidate === null) {
    const { versions } = await orNotFound(api.registry.model({ slug }));
    if (!versions.length) return <EmptyState title="This model has no versions" />;
    redirect(`/safety/review/${slug}?candidate=${Math.max(...versions.map((v) => v.number))}`);
  }
  const [review, perms] = await Promise.all([orNotFound(api.safety.review({ slug, candidate, dataset: sp.dataset || undefined })), api.safety.myPermissions()]);
  // The same rule the service enforces; a page is always a person, never a token.
  const signing = canSignOff({ safetyReviewer: perms.safetyReviewer, viaToken: false });
  const query = new URLSearchParams({ candidate: String(candidate), ...(review.dataset ? { dataset: review.dataset } : {}) });
  const eventTypes = [...new Set(review.rows.map((r) => r.eventType))];
  const vs = review.production
    ? review.production.version === candidate
      ? "the production version itself"
      : `production v${review.production.version}`
    : "no production version";
  return (
    <>
      <PageHeader
        title={`Release review: ${review.model.name} v${candidate}`}
        description={`Candidate v${candidate} against ${vs}, on ${review.dataset ?? "no dataset"}. Intervals are 95%.`}
        actions={
          <>
            <a className={linkButton} href={`/api/v1/safety/review/${slug}/csv?${query}`}>
              Export CSV
            </a>
            <Link className={linkButton} href={`/safety/review/${slug}/summary?${query}`}>
              Printable summary
            </Link>
          </>
        }
      />
      {review.datasets.length > 1 ? (
        <nav aria-label="Dataset" className="mb-4 flex flex-wrap gap-2 text-sm">
          {review.datasets.map((d) => (
            <Link
              key={d}
              href={`/safety/review/${slug}?candidate=${candidate}&dataset=${encodeURIComponent(d)}`}
              aria-current={d === review.dataset ? "page" : undefined}
              className={d === review.dataset ? "font-semibold underline" : "text-link underline"}
            >
              {d}
            </Link>
          ))}
        </nav>
      ) : null}

      <div className="mb-6 grid gap-4 lg:grid-cols-2">
        <Card>
          <h2 className="text-base font-semibold">Regressions</h2>
          {review.regressions.length ? (
            <ul className="mt-2 space-y-1 text-sm">
              {review.regressions.map((r) => (
                <li key={`${r.eventType}-${r.dimension}-${r.value}`}>
                  <Badge tone="red">
                    {[r.recall === "regressed" ? "recall" : null, r.precision === "regressed" ? "precision" : null].filter(Boolean).join(" and ")}
                  </Badge>{" "}
                  {eventTypeLabel(r.eventType)} · {sliceLabel(r.dimension, r.value)}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
              {review.production ? "No event type or slice is worse beyond noise." : "Nothing to compare against."}
            </p>
          )}
        </Card>
        <Card>
          <h2 className="text-base font-semibold">Sign-off</h2>
          <div className="mt-2 space-y-4">
            {review.shippedWithoutSignOff.map((o) => (
              <ErrorNote key={`${o.deploymentId}-${o.at.toISOString()}`}>
                <strong>Shipped without sign-off:</strong> {o.by} overrode the sign-off gate for v{o.version} on {o.target} <Time value={o.at} />: “{o.reason}”
              </ErrorNote>
            ))}
            <SignOffHistory items={review.signOffs} slug={slug} version={candidate} actor={{ userId: actor.userId, role: actor.role }} />
            {review.candidate.evaluationId ? (
              signing.allowed ? (
                <SignOffForm
                  slug={slug}
                  version={candidate}
                  dataset={review.dataset}
                  seen={{ candidateEvaluationId: review.candidate.evaluationId, productionEvaluationId: review.production?.evaluationId ?? null }}
                  regressions={review.regressions.length}
                />
              ) : (
                <p className="text-sm text-muted">{signing.reason}.</p>
              )
            ) : null}
          </div>
        </Card>
      </div>

      {review.curves.length ? (
        <section className="mb-6" aria-labelledby="pr-curves">
          <h2 id="pr-curves" className="mb-2 text-base font-semibold">
            Precision-recall curves
          </h2>
          <div className="grid gap-4 lg:grid-cols-2">
            {review.curves.map((c) => (
              <Card key={c.eventType}>
                <PrCurveChart
                  title={eventTypeLabel(c.eventType)}
                  candidate={c.candidate ? { label: `v${candidate}`, ...c.candidate } : null}
                  production={c.production && review.production ? { label: `production v${review.production.version}`, ...c.production } : null}
                />
              </Card>
            ))}
          </div>
          <p className="mt-1 text-xs text-muted">
            Each curve is the version&apos;s score-threshold sweep on the whole dataset; the diamond is where it runs (its whole-dataset row above).
          </p>
        </section>
      ) : null}

      {review.field.length ? (
        <section className="mb-6" aria-labelledby="field">
          <h2 id="field" className="mb-2 text-base font-semibold">
            Field against lab
          </h2>
          <Table>
            <thead>
              <tr>
                <Th>Event type</Th>
                <Th>Version</Th>
                <Th>Lab (whole dataset)</Th>
                <Th>Field, pooled</Th>
                <Th>Field recall per week</Th>
              </tr>
            </thead>
            <tbody>
              {review.field.map((f) => (
                <tr
                  key={`${f.eventType}-${f.version}`}
                  className={f.recall === "disagrees" || f.precision === "disagrees" ? "bg-amber-50 dark:bg-amber-950/30" : undefined}
                >
                  <Td>{eventTypeLabel(f.eventType)}</Td>
                  <Td>
                    v{f.version} <span className="text-xs text-muted">{f.role}</span>
                  </Td>
                  <Td className="tabular-nums text-sm">
                    <FieldRate name="recall" value={f.lab?.recall ?? null} agreement="unknown" />
                    <FieldRate name="precision" value={f.lab?.precision ?? null} agreement="unknown" />
                  </Td>
                  <Td className="tabular-nums text-sm">
                    <FieldRate name="recall" value={f.pooled.recall} agreement={f.recall} />
                    <FieldRate name="precision" value={f.pooled.precision} agreement={f.precision} />
                    <div className="text-xs text-muted">weeks {f.pooled.week}</div>
                  </Td>
                  <Td className="text-xs tabular-nums">
                    {f.weeks.map((w) => (
                      <span key={w.week} className="mr-2 inline-block" title={`week of ${w.week}: ${w.tp} TP, ${w.fp} FP, ${w.fn} FN`}>
                        {w.week.slice(5)} {pct(w.recall?.value, 0)}
                      </span>
                    ))}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <p className="mt-1 text-xs text-muted">
            Field numbers are TP/FP/FN the fleet reports with its telemetry (reviewed events). &ldquo;Fleet and lab disagree&rdquo; marks rates whose 95%
            intervals do not overlap (see the{" "}
            <a className="text-link underline" href="/glossary#fieldVsLab">
              glossary
            </a>
            ).
          </p>
        </section>
      ) : null}

      {review.confusion.length ? (
        <section className="mb-6" aria-labelledby="confusion">
          <h2 id="confusion" className="mb-2 text-base font-semibold">
            Confusion matrices
          </h2>
          {review.confusion.map((c) => (
            <Card key={c.name} className="mb-4">
              <div className="grid gap-6 lg:grid-cols-2">
                <ConfusionMatrixTable title={`${c.name}, v${candidate}`} m={c.candidate} />
                {c.production && review.production ? (
                  <ConfusionMatrixTable title={`${c.name}, production v${review.production.version}`} m={c.production} />
                ) : (
                  <p className="text-sm text-muted">Production has no matrix named {c.name}.</p>
                )}
              </div>
            </Card>
          ))}
        </section>
      ) : null}

      {review.newExamples.length ? (
        <section className="mb-6" aria-labelledby="examples">
          <h2 id="examples" className="mb-2 text-base font-semibold">
            New false alerts and misses
          </h2>
          <p className="mb-2 text-xs text-muted">
            Frames the candidate gets wrong that production&apos;s evaluation does not list. Dashed green: ground truth; solid: the false detection (red) or the
            missed object (orange).
          </p>
          <ExampleFrames examples={review.newExamples} />
        </section>
      ) : null}

      {review.rows.length ? (
        eventTypes.map((et) => (
          <section key={et} className="mb-6">
            <h2 className="mb-2 text-base font-semibold">{eventTypeLabel(et)}</h2>
            <Table>
              <thead>
                <tr>
                  <Th>Slice</Th>
                  <Th>Recall v{candidate}</Th>
                  <Th>Recall prod</Th>
                  <Th>Δ recall</Th>
                  <Th>Precision v{candidate}</Th>
                  <Th>Precision prod</Th>
                  <Th>Δ precision</Th>
                  <Th>False alerts v{candidate} / prod</Th>
                </tr>
              </thead>
              <tbody>
                {review.rows
                  .filter((r) => r.eventType === et)
                  .map((r) => (
                    <tr key={`${r.dimension}-${r.value}`} className={r.regressed ? "bg-red-50 dark:bg-red-950/30" : undefined}>
                      <Td className={r.dimension === "all" ? "font-semibold" : undefined}>{sliceLabel(r.dimension, r.value)}</Td>
                      <Td className="tabular-nums">
                        {pct(r.candidate?.recall?.value)} <span className="text-xs text-muted">{interval(r.candidate?.recall)}</span>
                      </Td>
                      <Td className="tabular-nums">
                        {pct(r.production?.recall?.value)} <span className="text-xs text-muted">{interval(r.production?.recall)}</span>
                      </Td>
                      <Td className="tabular-nums">
                        {points(r.recall.delta?.delta)}{" "}
                        <span className="text-xs text-muted">{r.recall.delta ? `[${points(r.recall.delta.lo)}, ${points(r.recall.delta.hi)}]` : ""}</span>
                        <div>
                          <VerdictBadge verdict={r.recall.verdict} />
                        </div>
                      </Td>
                      <Td className="tabular-nums">
                        {pct(r.candidate?.precision?.value)} <span className="text-xs text-muted">{interval(r.candidate?.precision)}</span>
                      </Td>
                      <Td className="tabular-nums">
                        {pct(r.production?.precision?.value)} <span className="text-xs text-muted">{interval(r.production?.precision)}</span>
                      </Td>
                      <Td className="tabular-nums">
                        {points(r.precision.delta?.delta)}{" "}
                        <span className="text-xs text-muted">
                          {r.precision.delta ? `[${points(r.precision.delta.lo)}, ${points(r.precision.delta.hi)}]` : ""}
                        </span>
                        <div>
                          <VerdictBadge verdict={r.precision.verdict} />
                        </div>
                      </Td>
                      <Td className="tabular-nums text-xs">
                        {perThousandHours(r.candidate?.falseAlertsPer1kHours)}
                        <br />
                        {perThousandHours(r.production?.falseAlertsPer1kHours)}
                      </Td>
                    </tr>
                  ))}
              </tbody>
            </Table>
          </section>
        ))
      ) : (
        <EmptyState title={`v${candidate} has no evaluation yet`}>Post one to POST /api/v1/evaluations; the comparison appears here.</EmptyState>
      )}
    </>
  );
}
