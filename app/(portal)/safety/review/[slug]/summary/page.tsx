import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { orNotFound, positiveInt } from "@/components/ui/or-not-found";
import { PrintButton } from "@/components/safety/print-button";
import { absoluteTime } from "@/lib/format";
import { eventTypeLabel, interval, pct, perThousandHours, points, sliceLabel } from "@/lib/safety-format";
import { serverApi } from "@/server/caller";

type Params = { slug: string };
type Search = { candidate?: string; dataset?: string };

export async function generateMetadata({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }): Promise<Metadata> {
  return { title: `Release summary · ${(await params).slug} v${(await searchParams).candidate ?? ""}` };
}

// One A4 page: the sidebar and header are hidden by the global print rule; this sheet tightens the rest.
const printCss = `
@page { size: A4; margin: 12mm; }
@media print {
  html, body { background: white !important; color: black !important; }
  main { max-width: none !important; padding: 0 !important; }
  .summary { font-size: 10pt; }
  .summary table { page-break-inside: avoid; }
  .summary * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}`;

export default async function ReleaseSummaryPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { slug } = await params;
  const sp = await searchParams;
  const candidate = positiveInt(sp.candidate);
  if (candidate === null) notFound();
  const { api } = await serverApi();
  const review = await orNotFound(api.safety.review({ slug, candidate, dataset: sp.dataset || undefined }));
  const overall = review.rows.filter((r) => r.dimension === "all");
  const signOff = review.latestSignOff;
  return (
    <article className="summary mx-auto max-w-3xl space-y-4 bg-white p-6 text-zinc-900 print:p-0">
      <style>{printCss}</style>
      {/* Not a <header>: the global print rule hides those (the portal header). */}
      <div className="flex items-start justify-between gap-4 border-b border-zinc-300 pb-3">
        <div>
          <p className="text-xs uppercase tracking-wide text-muted">Sentinel · release safety summary</p>
          <h1 className="text-xl font-semibold">
            {review.model.name} v{candidate}
          </h1>
          <p className="text-sm text-zinc-600">
            Against {review.production ? `production v${review.production.version}` : "no production version"} on {review.dataset ?? "no dataset"} · team{" "}
            {review.model.team} · printed {absoluteTime(new Date())}
          </p>
        </div>
        <PrintButton />
      </div>

      <section>
        <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-600">Decision</h2>
        {signOff ? (
          <p className="mt-1 text-sm">
            <strong className={signOff.decision === "approve" ? "text-emerald-700" : "text-red-700"}>
              {signOff.decision === "approve" ? "Approved" : "Rejected"}
            </strong>{" "}
            by {signOff.reviewer} on {absoluteTime(signOff.createdAt)}: “{signOff.comment}”
          </p>
        ) : (
          <p className="mt-1 text-sm text-zinc-600">Not signed off yet.</p>
        )}
      </section>

      <section>
        <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-600">Whole dataset, per event type</h2>
        <table className="mt-1 w-full border-collapse text-left text-sm">
          <thead>
            <tr className="border-b border-zinc-400 text-xs text-zinc-600">
              <th className="py-1 pr-2">Event type</th>
              <th className="py-1 pr-2">Recall v{candidate}</th>
              <th className="py-1 pr-2">Δ vs prod</th>
              <th className="py-1 pr-2">Precision v{candidate}</th>
              <th className="py-1 pr-2">Δ vs prod</th>
              <th className="py-1">False alerts</th>
            </tr>
          </thead>
          <tbody>
            {overall.map((r) => (
              <tr key={r.eventType} className="border-b border-zinc-200 align-top tabular-nums">
                <td className="py-1 pr-2 font-medium">{eventTypeLabel(r.eventType)}</td>
                <td className="py-1 pr-2">
                  {pct(r.candidate?.recall?.value)} <span className="text-xs text-muted">{interval(r.candidate?.recall)}</span>
                </td>
                <td className={`py-1 pr-2 ${r.recall.verdict === "regressed" ? "font-semibold text-red-700" : ""}`}>
                  {points(r.recall.delta?.delta)}
                  {r.recall.verdict === "regressed" ? " ▼" : ""}
                </td>
                <td className="py-1 pr-2">
                  {pct(r.candidate?.precision?.value)} <span className="text-xs text-muted">{interval(r.candidate?.precision)}</span>
                </td>
                <td className={`py-1 pr-2 ${r.precision.verdict === "regressed" ? "font-semibold text-red-700" : ""}`}>
                  {points(r.precision.delta?.delta)}
                  {r.precision.verdict === "regressed" ? " ▼" : ""}
                </td>
                <td className="py-1 text-xs">{perThousandHours(r.candidate?.falseAlertsPer1kHours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-600">Regressed slices ({review.regressions.length})</h2>
        {review.regressions.length ? (
          <ul className="mt-1 list-disc pl-5 text-sm">
            {review.regressions.map((g) => {
              const row = review.rows.find((r) => r.eventType === g.eventType && r.dimension === g.dimension && r.value === g.value);
              return (
                <li key={`${g.eventType}-${g.dimension}-${g.value}`}>
                  {eventTypeLabel(g.eventType)} · {sliceLabel(g.dimension, g.value)}:{" "}
                  {g.recall === "regressed" && row?.recall.delta
                    ? `recall ${points(row.recall.delta.delta)} [${points(row.recall.delta.lo)}, ${points(row.recall.delta.hi)}] `
                    : ""}
                  {g.precision === "regressed" && row?.precision.delta
                    ? `precision ${points(row.precision.delta.delta)} [${points(row.precision.delta.lo)}, ${points(row.precision.delta.hi)}]`
                    : ""}
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-zinc-600">None: no slice is worse beyond noise.</p>
        )}
      </section>

      <footer className="border-t border-zinc-300 pt-2 text-xs text-muted">
        Rates from TP/FP/FN counts; 95% Wilson intervals. A regression is marked only when the 95% Newcombe interval of (candidate − production) lies entirely
        below zero. Full per-slice table: /safety/review/{slug}?candidate={candidate}.
      </footer>
    </article>
  );
}
